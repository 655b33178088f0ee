"""Hearth's desktop front end: PySide6 widgets on the qasync loop, and the ``hearth`` script."""

from . import pyside_guard as _pyside_guard

_pyside_guard.apply()
