"""Create a circle: its name, description and rules, and how it behaves."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from messenger.views import CircleSettingsView, DmPolicy, Retention

from ..anonymity_words import setting_words
from .base import Dialog
from .first_run import PseudonymField, pseudonym_problem

MAX_NAME = 64
MAX_DESCRIPTION = 280
MAX_RULES = 4000


class CreateCircleDialog(Dialog):
    # name, description, rules, CircleSettingsView, my pseudonym ("" = let the app choose)
    createCircleRequested = Signal(str, str, str, object, str)

    def __init__(
        self, suggest_pseudonym: Callable[[], str] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Create a circle"), parent)
        self.setMinimumWidth(560)
        self.name = QLineEdit()
        self.name.setMaxLength(MAX_NAME)
        self.name.setPlaceholderText(self.tr("e.g. Tuesday evening group"))
        self.field(self.tr("Name"), self.name)
        self.description = QLineEdit()
        self.description.setMaxLength(MAX_DESCRIPTION)
        self.description.setPlaceholderText(self.tr("What the circle is for, in a sentence"))
        self.field(self.tr("Description"), self.description)
        self.rules = QPlainTextEdit()
        self.rules.setTabChangesFocus(True)
        self.rules.setFixedHeight(96)
        self.rules.setPlainText(
            self.tr(
                "What is said here stays here.\n"
                "Speak for yourself; listen without fixing.\n"
                "Be kind. No names of people who are not here."
            )
        )
        self.field(
            self.tr("Rules"),
            self.rules,
            help_text=self.tr("Everyone reads and accepts these before joining."),
        )
        self.pseudonym = PseudonymField(suggest_pseudonym)
        label = self.field(self.tr("Your name in this circle"), self.pseudonym)
        label.setBuddy(self.pseudonym.edit)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        self.retention = QComboBox()
        self.retention.setAccessibleName(self.tr("Keep history"))
        for text, value in (
            (self.tr("For this session only"), Retention.SESSION),
            (self.tr("For some hours"), Retention.HOURS),
            (self.tr("For some days"), Retention.DAYS),
            (self.tr("Until deleted"), Retention.FOREVER),
        ):
            self.retention.addItem(text, value)
        self.retention.setCurrentIndex(2)
        self.retention_amount = QSpinBox()
        self.retention_amount.setAccessibleName(self.tr("How many hours or days"))
        self.retention_amount.setRange(1, 365)
        self.retention_amount.setValue(30)
        self.retention.currentIndexChanged.connect(self._retention_changed)
        self._retention_changed()
        self.dm_policy = QComboBox()
        self.dm_policy.setAccessibleName(self.tr("Direct messages"))
        for text, policy in (
            (self.tr("Anyone may message anyone"), DmPolicy.EVERYONE),
            (self.tr("Only with the host and moderators"), DmPolicy.MODERATORS),
            (self.tr("No direct messages"), DmPolicy.NOBODY),
        ):
            self.dm_policy.addItem(text, policy)
        self.slow_mode = QSpinBox()
        self.slow_mode.setAccessibleName(self.tr("Slow mode, seconds between posts"))
        self.slow_mode.setRange(0, 3600)
        self.slow_mode.setSingleStep(15)
        self.slow_mode.setSpecialValueText(self.tr("Off"))
        self.slow_mode.setSuffix(self.tr(" s"))
        self.anonymous = QCheckBox(self.tr("Allow anonymous posts"))
        self.anonymous.setAccessibleName(self.tr("Allow anonymous posts"))
        self.anonymous.setToolTip(
            self.tr("Posts show no name and nobody can tell who wrote them; times are rounded.")
        )
        self.auto_approve = QCheckBox(self.tr("Let people in without asking me"))
        self.auto_approve.setAccessibleName(self.tr("Approve newcomers automatically"))
        labels = [
            (self.tr("Keep history"), self.retention),
            (self.tr("Direct messages"), self.dm_policy),
            (self.tr("Slow mode"), self.slow_mode),
        ]
        for r, (text, widget) in enumerate(labels):
            label = QLabel(text)
            label.setBuddy(widget)
            grid.addWidget(label, r, 0)
            grid.addWidget(widget, r, 1)
        grid.addWidget(self.retention_amount, 0, 2)
        grid.addWidget(self.anonymous, 3, 0, 1, 3)
        grid.addWidget(self.auto_approve, 4, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        self.content.addLayout(grid)
        self.anonymity_note = self.hint(setting_words())
        self.anonymity_note.setVisible(False)
        self.anonymous.toggled.connect(self.anonymity_note.setVisible)

        self.add_cancel()
        self.create_button = self.add_primary(self.tr("Create circle"))
        self.create_button.clicked.connect(self.submit)
        self.name.setFocus()

    def _retention_changed(self) -> None:
        value = self.retention.currentData()
        self.retention_amount.setVisible(value in (Retention.HOURS, Retention.DAYS))
        self.retention_amount.setSuffix(
            self.tr(" hours") if value is Retention.HOURS else self.tr(" days")
        )

    def settings(self) -> CircleSettingsView:
        retention = self.retention.currentData()
        assert isinstance(retention, Retention)
        policy = self.dm_policy.currentData()
        assert isinstance(policy, DmPolicy)
        return CircleSettingsView(
            retention=retention,
            retention_amount=self.retention_amount.value(),
            dm_policy=policy,
            slow_mode_seconds=self.slow_mode.value(),
            anonymous_posting=self.anonymous.isChecked(),
            auto_approve=self.auto_approve.isChecked(),
        )

    def submit(self) -> None:
        name = self.name.text().strip()
        if not name:
            self.show_error(self.tr("Give the circle a name."))
            self.name.setFocus()
            return
        rules = self.rules.toPlainText().strip()
        if len(rules) > MAX_RULES:
            self.show_error(self.tr("The rules are too long (at most 4000 characters)."))
            self.rules.setFocus()
            return
        pseudonym = self.pseudonym.text()
        problem = pseudonym_problem(pseudonym) if pseudonym else ""
        if problem:
            self.show_error(problem)
            self.pseudonym.edit.setFocus()
            return
        self.clear_error()
        self.createCircleRequested.emit(
            name, self.description.text().strip(), rules, self.settings(), pseudonym
        )
        self.accept()
