"""A guard for PySide6 6.12.0 on Python 3.11: its calls drop references to None, True and False.

Every call of a PySide6 6.12.0 method that returns nothing releases one reference to ``None``
it never took (``emit`` does the same to ``True``). From Python 3.12 those objects are immortal
and nothing happens; on Python 3.11 their count reaches zero after a few thousand calls and the
interpreter aborts ("Fatal Python error: none_dealloc"). PySide6 6.11.3 does not have the bug.

While that version is installed on Python < 3.12, :func:`apply` gives the three singletons
a practically endless count (2**40 more), which is what Python 3.12 does for them anyway. They
are never freed in a running interpreter, so nothing else changes.
"""

from __future__ import annotations

import ctypes
import importlib.util
import re
import sys
from pathlib import Path

AFFECTED = frozenset({"6.12.0"})
_HEADROOM = 1 << 40
_applied: list[bool] = []


def affected_version() -> str | None:
    """The installed shiboken6 version if it has the bug and Python has no immortal objects."""
    if sys.version_info >= (3, 12):
        return None
    version = _version_from_config() or _version_from_metadata()
    return version if version in AFFECTED else None


def _version_from_config() -> str:
    """Read ``shiboken6/_config.py`` without importing shiboken6 (fast, for headless starts)."""
    try:
        spec = importlib.util.find_spec("shiboken6")
    except (ImportError, ValueError):
        return ""
    if spec is None or not spec.submodule_search_locations:
        return ""
    for folder in spec.submodule_search_locations:
        try:
            text = (Path(folder) / "_config.py").read_text(encoding="utf-8")
        except OSError:
            continue
        found = re.search(r'^version = "([^"]+)"', text, re.MULTILINE)
        if found:
            return found.group(1)
    return ""


def _version_from_metadata() -> str:
    from importlib import metadata  # slow to import: only when _config.py was not found

    try:
        return metadata.version("shiboken6")
    except metadata.PackageNotFoundError:
        return str(getattr(sys.modules.get("PySide6"), "__version__", ""))


def apply() -> bool:
    """Protect None, True and False once per process; true when the guard is active."""
    if _applied:
        return _applied[0]
    active = affected_version() is not None
    if active:
        for singleton in (None, True, False):
            # ob_refcnt is the first field of every object in a release build of CPython 3.11.
            ctypes.c_ssize_t.from_address(id(singleton)).value += _HEADROOM
    _applied.append(active)
    return active
