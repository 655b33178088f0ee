"""Someone asks to talk privately: accept (their messages appear), decline (silently), or later."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from .base import Dialog


class DmRequestDialog(Dialog):
    accepted_request = Signal(bytes, bytes)  # circle id, peer key
    declined_request = Signal(bytes, bytes)

    def __init__(
        self, circle_id: bytes, peer_key: bytes, peer: str, circle: str, parent: QWidget | None
    ) -> None:
        super().__init__(self.tr("{peer} asks to talk privately").format(peer=peer), parent)
        self.setMinimumWidth(460)
        self.circle_id, self.peer_key, self.peer = circle_id, peer_key, peer
        self.hint(
            self.tr(
                "{peer}, from {circle}, wrote to you privately. Their messages appear once you "
                "accept. If you decline, they are not told: their messages are simply not shown."
            ).format(peer=peer, circle=circle)
        )
        self.later_button = self.add_button(
            self.tr("Later"), role=QDialogButtonBox.ButtonRole.RejectRole
        )
        self.later_button.clicked.connect(self.reject)
        self.decline_button = self.add_button(
            self.tr("Decline"), self.tr("Decline {peer}'s request").format(peer=peer)
        )
        self.decline_button.clicked.connect(self._decline)
        self.accept_button = self.add_primary(
            self.tr("Accept"), self.tr("Accept {peer}'s request").format(peer=peer)
        )
        self.accept_button.clicked.connect(self._accept)

    def _accept(self) -> None:
        self.accepted_request.emit(self.circle_id, self.peer_key)
        self.accept()

    def _decline(self) -> None:
        self.declined_request.emit(self.circle_id, self.peer_key)
        self.accept()
