"""Helpers for the packaging tests: load the scripts under packaging/ (not an import package)."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGING = ROOT / "packaging"


def load_script(relative: str) -> ModuleType:
    """Import packaging/<relative> as a module of its own (its name cannot clash with PyPI's)."""
    path = PACKAGING / relative
    name = "hearth_packaging_" + path.stem
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def need_tool(name: str, package: str) -> str:
    """The tool's path, or skip the test naming the Debian package that provides it."""
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (Debian package {package})")
    return found
