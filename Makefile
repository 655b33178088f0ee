# Hearth — the two commands a newcomer needs: `make run` and `make test`.
# Another interpreter: `make test PYTHON=python3.12` (a pyenv version not selected is found too,
# or give a path). Each Python gets its own venv: .venv for the default, .venv-3.12 and so on.
PYTHON ?= python3
PYTHON_EXE := $(shell $(PYTHON) -c 'import sys; print(sys.executable)' 2>/dev/null || \
	PYENV_VERSION="$$(pyenv versions --bare 2>/dev/null | tr '\n' :)" pyenv which $(PYTHON) 2>/dev/null)
ifeq ($(PYTHON_EXE),)
$(error $(PYTHON) is not a Python here (try a path, or `pyenv versions`))
endif
PYTHON_VERSION := $(shell $(PYTHON_EXE) -c 'import sys; print("%d.%d" % sys.version_info[:2])')
ifeq ($(origin PYTHON),file)
VENV   ?= .venv
else
VENV   ?= .venv-$(PYTHON_VERSION)
endif
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed.stamp
export QT_QPA_PLATFORM ?=
PYTEST_ARGS ?=

.PHONY: run test lint bench venv system-deps clean screenshots format package wheels-check

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON_EXE) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# sqlcipher3-binary (the old driver) installs the same module as sqlcipher3: never both;
	@# reinstall sqlcipher3 after removing it, so the module files are whole again
	@$(BIN)/python -m pip uninstall --quiet --yes sqlcipher3-binary 2>/dev/null || true
	$(BIN)/python -m pip install --quiet --force-reinstall --no-deps -c constraints.txt sqlcipher3
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
	$(BIN)/jactionlint .github/workflows/*.yml

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks

screenshots: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m ui.screenshots docs/screenshots

## Linux bundle, tarball, .deb and AppDir; self-test from the bundle; metadata validated.
package: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen PYTHON=$(BIN)/python bash packaging/linux/build.sh

## The pinned set resolves as wheels for Windows x64, macOS arm64/x86_64, manylinux
## x86_64/aarch64 on Python 3.11-3.13 (asks the package index; not part of `make test`).
wheels-check: $(STAMP)
	$(BIN)/python packaging/wheels_check.py

clean:
	rm -rf .venv .venv-3.* build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
