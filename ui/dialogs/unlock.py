"""Unlock an existing profile with its passphrase, or start an ephemeral session instead."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from .base import Dialog, link_button
from .confirm import ConfirmDialog


class UnlockDialog(Dialog):
    """Emits :attr:`unlockRequested`; stays open until the controller calls :meth:`unlocked`
    (or :meth:`show_wrong_passphrase`): opening a profile takes a moment (Argon2id)."""

    unlockRequested = Signal(str)  # the passphrase
    ephemeralRequested = Signal()
    newProfileRequested = Signal()  # confirmed: wipe the locked profile and start afresh

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Unlock your profile"), parent)
        self.setMinimumWidth(440)
        self.hint(self.tr("Your circles and history on this computer are locked by a passphrase."))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.field(self.tr("Passphrase"), self.passphrase)
        self.ephemeral_button = link_button(
            self.tr("Start an ephemeral session instead"),
            self.tr("Start an ephemeral session instead, keeping nothing"),
        )
        self.ephemeral_button.clicked.connect(self._ephemeral)
        self.content.addWidget(self.ephemeral_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.new_profile_button = link_button(
            self.tr("Forgot it? Start a new profile…"),
            self.tr("Start a new profile, wiping this one"),
        )
        self.new_profile_button.clicked.connect(self._ask_new_profile)
        self.content.addWidget(self.new_profile_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.confirm_dialog: ConfirmDialog | None = None
        self.add_cancel(self.tr("Quit"))
        self.unlock_button = self.add_primary(self.tr("Unlock"))
        self.unlock_button.clicked.connect(self.submit)
        self.passphrase.returnPressed.connect(self.submit)
        self.passphrase.setFocus()

    def submit(self) -> None:
        phrase = self.passphrase.text()
        if not phrase:
            self.show_error(self.tr("Type your passphrase."))
            return
        self.clear_error()
        self.set_busy(True)
        self.unlockRequested.emit(phrase)

    def set_busy(self, busy: bool) -> None:
        for widget in (
            self.passphrase,
            self.unlock_button,
            self.ephemeral_button,
            self.new_profile_button,
        ):
            widget.setEnabled(not busy)
        self.unlock_button.setText(self.tr("Opening…") if busy else self.tr("Unlock"))

    def show_wrong_passphrase(self, text: str | None = None) -> None:
        self.set_busy(False)
        self.show_error(
            text
            or self.tr(
                "That passphrase did not open this profile. Check Caps Lock and the keyboard "
                "layout, and try again."
            )
        )
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def unlocked(self) -> None:
        self.passphrase.clear()
        self.accept()

    def _ask_new_profile(self) -> None:
        """Nobody can recover a forgotten passphrase: the way on is a new, empty profile."""
        dialog = ConfirmDialog(
            self.tr("Start a new profile?"),
            self.tr(
                "The locked profile on this computer is wiped: its circles, names, keys and "
                "history are gone for good. Then you choose a new passphrase."
            ),
            self.tr("Wipe it and start anew"),
            self.tr("Wipe the locked profile and start a new one"),
            self,
        )
        dialog.confirmed.connect(self._new_profile)
        self.confirm_dialog = dialog
        dialog.open()

    def _new_profile(self) -> None:
        self.passphrase.clear()
        self.newProfileRequested.emit()
        self.accept()

    def _ephemeral(self) -> None:
        self.passphrase.clear()
        self.ephemeralRequested.emit()
        self.accept()
