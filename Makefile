# Hearth — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed.stamp
export QT_QPA_PLATFORM ?=
PYTEST_ARGS ?=

.PHONY: run test lint bench venv system-deps clean screenshots format package

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,dev,package]'
	@touch $(STAMP)

venv: $(STAMP)

## Launch the app (local profile, LAN discovery, no server).
run: $(STAMP)
	$(BIN)/hearth

## Every test, headless.
test: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -rs $(PYTEST_ARGS)

## System packages some tests need (xvfb, iproute2, Qt's X11 libraries); installs as root, else tests skip.
system-deps:
	@bash tests/system_deps.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks

screenshots: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m ui.screenshots docs/screenshots

## Linux bundle, tarball, .deb and AppDir; self-test from the bundle; metadata validated.
package: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen bash packaging/linux/build.sh

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
