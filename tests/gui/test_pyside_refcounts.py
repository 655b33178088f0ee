"""PySide6 keeps its references to None, True and False balanced (the 6.12.0 regression).

PySide6 6.12.0 released a reference to ``None`` on every call of a method returning nothing,
and to ``True`` on every ``emit``; on Python 3.11, where those objects are not immortal, the
interpreter aborts after a few thousand calls (ui/pyside_guard.py protects the app when that
version is installed). This test would catch that regression, or a similar one, in whatever
PySide6 the pins name: a thousand such calls must leave the singletons' counts where they were.
Checked against the real thing: with PySide6 6.12.0 on the path it fails ("dropped references
to None"), with 6.11.3 it passes.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

CALLS = 1000  # with the bug: 1000 references short, yet few enough not to abort the run
SLACK = 50  # other references taken or dropped meanwhile (the test itself holds a few)


_SINGLETONS = {"None": None, "True": True, "False": False}


class _Emitter(QObject):
    ticked = Signal(int)


@pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="None, True and False are immortal from Python 3.12"
)
def test_thousands_of_calls_leave_none_true_and_false_counted(qapp: QApplication) -> None:
    emitter = _Emitter()
    received: list[int] = []
    emitter.ticked.connect(received.append)
    before = {name: sys.getrefcount(value) for name, value in _SINGLETONS.items()}
    for i in range(CALLS):
        emitter.setObjectName("tick")  # returns None
        emitter.ticked.emit(i)  # returns True
        emitter.blockSignals(False)  # returns False
    after = {name: sys.getrefcount(value) for name, value in _SINGLETONS.items()}
    assert len(received) == CALLS
    for name in _SINGLETONS:
        assert after[name] >= before[name] - SLACK, f"PySide6 dropped references to {name}"
