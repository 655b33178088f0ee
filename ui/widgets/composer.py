"""The composer: Enter sends, Shift+Enter starts a new line."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QPushButton, QWidget


class Composer(QWidget):
    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Composer")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.edit = QPlainTextEdit()
        self.edit.setObjectName("ComposerEdit")
        self.edit.setAccessibleName(self.tr("Message"))
        self.edit.setTabChangesFocus(True)
        self.edit.setFixedHeight(64)
        self.edit.installEventFilter(self)
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setObjectName("Primary")
        self.send_button.setAccessibleName(self.tr("Send message"))
        self.send_button.clicked.connect(self.submit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 14)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.set_available(False)

    def set_available(self, available: bool, placeholder: str | None = None) -> None:
        """Enable typing in a conversation; otherwise say why the composer is idle."""
        self.edit.setEnabled(available)
        self.send_button.setEnabled(available)
        if placeholder is None:
            placeholder = (
                self.tr("Write to the circle…  (Enter sends, Shift+Enter for a new line)")
                if available
                else self.tr("Create or join a circle to start talking.")
            )
        self.edit.setPlaceholderText(placeholder)

    def submit(self) -> None:
        text = self.edit.toPlainText().strip()
        if not text or not self.edit.isEnabled():
            return
        self.edit.clear()
        self.submitted.emit(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.submit()
                return True
        return super().eventFilter(watched, event)
