"""A circle's settings: my name here (everyone); description, rules, slow mode and closing the
circle (the host; slow mode also co-moderators). Only what changed is asked of the core."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from messenger.views import CircleView, Role

from ..anonymity_words import crowd_words
from .base import Dialog
from .confirm import ConfirmDialog
from .first_run import MAX_PSEUDONYM, pseudonym_problem

MAX_SLOW_MODE = 3600


@dataclass(frozen=True)
class CircleChanges:
    circle_id: bytes
    pseudonym: str | None = None  # None: unchanged
    description: str | None = None
    rules: str | None = None
    slow_mode: int | None = None
    auto_approve: bool | None = None  # let people with the link in without asking

    @property
    def details_changed(self) -> bool:
        return self.description is not None or self.rules is not None


class CircleSettingsDialog(Dialog):
    changesRequested = Signal(object)  # CircleChanges
    closeCircleRequested = Signal(bytes)  # circle id (confirmed here)

    def __init__(self, circle: CircleView, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Settings of {name}").format(name=circle.name), parent)
        self.setMinimumWidth(520)
        self.circle = circle
        host = circle.role is Role.HOST
        moderator = circle.role in (Role.HOST, Role.MODERATOR)
        self.pseudonym = QLineEdit(circle.my_pseudonym)
        self.pseudonym.setMaxLength(MAX_PSEUDONYM)
        self.field(
            self.tr("My name in this circle"),
            self.pseudonym,
            help_text=self.tr("Others here see the new name at once; other circles never do."),
        )
        self.description = QLineEdit(circle.description)
        self.rules = QPlainTextEdit(circle.rules)
        self.rules.setTabChangesFocus(True)
        self.rules.setFixedHeight(110)
        self.slow_mode = QSpinBox()
        self.slow_mode.setRange(0, MAX_SLOW_MODE)
        self.slow_mode.setSingleStep(15)
        self.slow_mode.setSpecialValueText(self.tr("Off"))
        self.slow_mode.setSuffix(self.tr(" s"))
        self.slow_mode.setValue(circle.settings.slow_mode_seconds)
        self.auto_approve = QCheckBox(self.tr("Let people in without asking me"))
        self.auto_approve.setAccessibleName(self.tr("Approve newcomers automatically"))
        self.auto_approve.setChecked(circle.settings.auto_approve)
        self.close_button: QPushButton | None = None
        self.confirm_dialog: ConfirmDialog | None = None
        self.anonymity_note = self.hint(crowd_words(circle.members))
        self.anonymity_note.setVisible(circle.settings.anonymous_posting)
        if host:
            self.field(self.tr("Description"), self.description)
            self.field(
                self.tr("Rules"),
                self.rules,
                help_text=self.tr("Members are asked to accept changed rules again."),
            )
        if host:
            self.field(
                self.tr("Newcomers"),
                self.auto_approve,
                help_text=self.tr(
                    "Off: someone with the link waits until you let them in. On: anyone "
                    "with the link gets in at once."
                ),
            )
        if moderator:
            self.field(
                self.tr("Slow mode: seconds between a member's posts"),
                self.slow_mode,
                accessible=self.tr("Slow mode, seconds between posts"),
            )
        if host:
            self.close_button = self.add_button(
                self.tr("Close the circle…"), self.tr("Close the circle for good")
            )
            self.close_button.setObjectName("Danger")
            self.close_button.clicked.connect(self._ask_close)
        self.add_cancel()
        self.save_button = self.add_primary(self.tr("Save"), self.tr("Save the circle settings"))
        self.save_button.clicked.connect(self.submit)

    def changes(self) -> CircleChanges:
        c = self.circle
        name = self.pseudonym.text().strip()
        host = c.role is Role.HOST
        description = self.description.text().strip()
        rules = self.rules.toPlainText().strip()
        slow = self.slow_mode.value()
        auto = self.auto_approve.isChecked()
        return CircleChanges(
            circle_id=c.id,
            pseudonym=name if name != c.my_pseudonym else None,
            description=description if host and description != c.description else None,
            rules=rules if host and rules != c.rules.strip() else None,
            slow_mode=slow
            if c.role in (Role.HOST, Role.MODERATOR) and slow != c.settings.slow_mode_seconds
            else None,
            auto_approve=auto if host and auto != c.settings.auto_approve else None,
        )

    def submit(self) -> None:
        changes = self.changes()
        if changes.pseudonym is not None:
            problem = pseudonym_problem(changes.pseudonym)
            if problem:
                self.show_error(problem)
                self.pseudonym.setFocus()
                return
        self.clear_error()
        self.changesRequested.emit(changes)
        self.accept()

    def _ask_close(self) -> None:
        dialog = ConfirmDialog(
            self.tr("Close {name} for good?").format(name=self.circle.name),
            self.tr(
                "Nobody can post in {name} any more, and nobody new can join. What was said "
                "stays readable for those who keep it. This cannot be undone."
            ).format(name=self.circle.name),
            self.tr("Close the circle"),
            self.tr("Close the circle for good, now"),
            self,
        )
        dialog.confirmed.connect(self._close)
        self.confirm_dialog = dialog
        dialog.open()

    def _close(self) -> None:
        self.closeCircleRequested.emit(self.circle.id)
        self.accept()
