"""A question before something that cannot be undone (block, remove, wipe), in Hearth's own
look. Cancel is the default: Enter never does the irreversible thing."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from .base import Dialog


class ConfirmDialog(Dialog):
    confirmed = Signal()

    def __init__(
        self,
        title: str,
        text: str,
        action: str,
        accessible: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, parent)
        self.setMinimumWidth(440)
        self.message = self.hint(text)
        self.message.setObjectName("")
        self.message.setAccessibleName(self.tr("Notice"))
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.confirm_button = self.add_button(
            action, accessible, role=QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.confirm_button.setObjectName("Danger")
        self.confirm_button.clicked.connect(self._confirm)
        self.cancel_button = self.add_cancel()
        self.cancel_button.setAutoDefault(True)
        self.cancel_button.setDefault(True)
        self.cancel_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _confirm(self) -> None:
        self.confirmed.emit()
        self.accept()


class NoticeDialog(Dialog):
    """Something the person should know (a request failed, nothing was lost): one button."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setMinimumWidth(400)
        self.message = self.hint(text)
        self.message.setObjectName("")
        self.message.setAccessibleName(self.tr("Notice"))
        self.add_primary(self.tr("OK")).clicked.connect(self.accept)
