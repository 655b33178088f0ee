"""The text caret stops blinking after a while without input (as GTK's cursor-blink-timeout
does), so an app left open in front of someone does not repaint twice a second for as long as
it stays open; a key or a click makes it blink again.

``ui.app`` installs it with :func:`install` for the life of the application.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication

BLINK_FOR_MS = 10_000
INPUT = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.InputMethod,
    QEvent.Type.FocusIn,
    QEvent.Type.Wheel,
}


class QuietCaret(QObject):
    """Watches the application's input; ``blinking`` says whether the caret blinks now."""

    def __init__(self, app: QGuiApplication, blink_for_ms: int = BLINK_FOR_MS) -> None:
        super().__init__(app)
        self._hints = app.styleHints()
        self._flash_ms = self._hints.cursorFlashTime() or 1000
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(blink_for_ms)
        self._timer.timeout.connect(self._stop_blinking)
        app.installEventFilter(self)
        self._timer.start()

    @property
    def blinking(self) -> bool:
        return self._hints.cursorFlashTime() > 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT:
            if not self.blinking:
                self._hints.setCursorFlashTime(self._flash_ms)
            self._timer.start()  # again from now
        return False

    def _stop_blinking(self) -> None:
        self._hints.setCursorFlashTime(0)  # a steady caret: no timer, no repaint


def install(app: QGuiApplication) -> QuietCaret:
    return QuietCaret(app)
