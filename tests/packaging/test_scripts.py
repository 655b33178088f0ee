"""The build scripts: shell syntax, executable bits, pins, and the files they name exist."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from .helpers import PACKAGING, ROOT

SHELL_SCRIPTS = [
    PACKAGING / "linux" / "build.sh",
    PACKAGING / "macos" / "build.sh",
    PACKAGING / "linux" / "AppRun",
]


@pytest.mark.parametrize("script", SHELL_SCRIPTS, ids=lambda p: str(p.relative_to(PACKAGING)))
def test_shell_scripts_parse_and_are_executable(script: Path) -> None:
    shell = "bash" if script.suffix == ".sh" else "sh"
    done = subprocess.run([shell, "-n", str(script)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert os.access(script, os.X_OK), f"{script} is not executable"


def test_build_requirements_are_pinned_exactly() -> None:
    lines = [
        line.split("#", 1)[0].strip()
        for line in (PACKAGING / "requirements-build.txt").read_text().splitlines()
    ]
    requirements = [line for line in lines if line]
    assert requirements
    for requirement in requirements:
        assert re.match(r"^[A-Za-z0-9_.-]+==[0-9][^ ;]*(\s*;.*)?$", requirement), requirement
    assert any(r.startswith("pyinstaller==") for r in requirements)


def test_the_installed_pyinstaller_is_the_pinned_one() -> None:
    pyinstaller = pytest.importorskip("PyInstaller", reason="PyInstaller is a build requirement")
    pin = re.search(
        r"^pyinstaller==(\S+)", (PACKAGING / "requirements-build.txt").read_text(), re.MULTILINE
    )
    assert pin is not None and pyinstaller.__version__ == pin.group(1)


def test_the_powershell_build_uses_a_venv_the_pins_pyinstaller_and_makensis() -> None:
    text = (PACKAGING / "windows" / "build.ps1").read_text(encoding="utf-8")
    for needle in (
        '-m", "venv"',
        "constraints.txt",
        "packaging\\requirements-build.txt",
        "PyInstaller",
        "packaging\\hearth.spec",
        'hearth-cli.exe") @("--self-test")',
        "makensis",
        "packaging\\windows\\hearth.nsi",
        "/DVERSION=$Version",
    ):
        assert needle in text, needle
    assert text.count("{") == text.count("}")
    assert text.count("(") == text.count(")")


def test_files_the_linux_build_names_exist() -> None:
    text = (PACKAGING / "linux" / "build.sh").read_text(encoding="utf-8")
    for relative in re.findall(r"\$ROOT/([\w./-]+)", text):
        if relative.startswith(("dist", "build", ".venv", "resources/icons")):
            continue
        assert (ROOT / relative).exists(), relative
    for relative in re.findall(r"\$HERE/([\w./-]+)", text):
        assert (PACKAGING / "linux" / relative).exists(), relative


def test_the_deb_depends_on_what_the_qt_xcb_plugin_links() -> None:
    lines = (PACKAGING / "linux" / "deb" / "depends.txt").read_text().splitlines()
    depends = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    for package in (
        "libxcb-cursor0",
        "libxkbcommon-x11-0",
        "libegl1",
        "libfontconfig1",
        "libdbus-1-3",
        "libxcb-icccm4",
        "libc6",
    ):
        assert package in depends
    control = (PACKAGING / "linux" / "deb" / "control.in").read_text()
    for field in ("Package: hearth", "Depends: @DEPENDS@", "Version: @VERSION@"):
        assert field in control
