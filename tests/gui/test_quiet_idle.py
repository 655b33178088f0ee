"""A laptop stays quiet while the app sits open (issue 18): the caret stops blinking after a
while without input and blinks again on a key; the garbage-collection timer backs off while
there is nothing to collect."""

from __future__ import annotations

import gc

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from ui.gc_guard import GcGuard
from ui.quiet_caret import QuietCaret


class _Paints(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def _spin(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def test_the_caret_stops_blinking_when_nobody_types_and_starts_again_on_a_key(
    qapp: QApplication,
) -> None:
    hints = qapp.styleHints()
    flash = hints.cursorFlashTime()
    caret = QuietCaret(qapp, blink_for_ms=300)
    edit = QPlainTextEdit()
    paints = _Paints()
    try:
        edit.show()
        edit.activateWindow()
        edit.setFocus()
        edit.viewport().installEventFilter(paints)
        QTest.keyClick(edit, Qt.Key.Key_A)
        assert caret.blinking
        _spin(600)
        assert not caret.blinking
        paints.count = 0
        _spin(1500)
        assert paints.count == 0  # a steady caret: nothing repaints
        QTest.keyClick(edit, Qt.Key.Key_B)
        assert caret.blinking and edit.toPlainText() == "ab"
    finally:
        qapp.removeEventFilter(caret)
        hints.setCursorFlashTime(flash)
        edit.close()


def test_the_gc_timer_backs_off_while_nothing_is_collected_and_returns_when_needed(
    qapp: QApplication,
) -> None:
    guard = GcGuard(interval_ms=50, idle_interval_ms=400)
    try:
        gc.collect()
        for _ in range(4):
            guard.tick()
        assert guard.interval_ms == 400  # 50, 100, 200, 400: an idle app is woken rarely
        kept: list[list[int]] = [
            [] for _ in range(gc.get_threshold()[0] + 10)
        ]  # generation 0 over its threshold
        assert gc.get_count()[0] > gc.get_threshold()[0]
        guard.tick()
        assert guard.interval_ms == 50 and len(kept) > 0  # busy again: collected, looking often
    finally:
        guard.stop()
