"""First run: what Hearth hides, then a passphrase-protected profile or an ephemeral session,
then a pseudonym to start with. Emits :attr:`FirstRunDialog.completed` with a FirstRunChoice."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from messenger import pseudonym as pseudonyms

from ..requests import FirstRunChoice
from ..threat_model import as_html
from .base import Dialog, row
from .passphrase import MIN_LENGTH, Strength, strength, strength_hint

translate = QCoreApplication.translate
MAX_PSEUDONYM = pseudonyms.MAX_LENGTH


def pseudonym_problem(name: str) -> str:
    """ "" when ``name`` can be used as a pseudonym, else why not, in words for the person."""
    try:
        pseudonyms.validate(name)
    except pseudonyms.PseudonymError as exc:
        problem = pseudonyms.PseudonymProblem
        return {
            problem.NOT_TEXT: translate("Pseudonym", "Choose a name."),
            problem.EMPTY: translate("Pseudonym", "Choose a name with at least one letter."),
            problem.TOO_LONG: translate("Pseudonym", "Choose a name of at most 32 characters."),
            problem.CONTROL: translate(
                "Pseudonym", "A name cannot contain line breaks, tabs or control codes."
            ),
            problem.INVISIBLE: translate(
                "Pseudonym", "A name cannot contain invisible characters."
            ),
            problem.UNSUPPORTED: translate(
                "Pseudonym", "A name cannot contain unassigned or private characters."
            ),
            problem.MARKS: translate("Pseudonym", "A name cannot stack that many accents."),
            problem.RESERVED: translate(
                "Pseudonym", "That name is reserved so nobody can pass for the host or the app."
            ),
        }.get(exc.problem, translate("Pseudonym", "Choose another name."))
    return ""


def default_suggestion() -> str:
    return pseudonyms.generate()


class PseudonymField(QWidget):
    """A name, editable, with "Suggest another" when a generator is given."""

    def __init__(
        self, suggest: Callable[[], str] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        suggest = suggest or default_suggestion
        self._suggest = suggest
        self.edit = QLineEdit()
        self.edit.setMaxLength(MAX_PSEUDONYM)
        self.edit.setAccessibleName(self.tr("Your name in this circle"))
        self.edit.setPlaceholderText(self.tr("A name others will see"))
        self.suggest_button = QPushButton(self.tr("Suggest another"))
        self.suggest_button.setAccessibleName(self.tr("Suggest another name"))
        self.suggest_button.setAutoDefault(False)
        self.suggest_button.clicked.connect(self.suggest)
        layout = row(self.edit, self.suggest_button, stretch_last=True)
        layout.setContentsMargins(0, 0, 0, 0)
        self.setLayout(layout)
        self.suggest()

    def suggest(self) -> None:
        self.edit.setText(self._suggest())
        self.edit.selectAll()

    def text(self) -> str:
        return self.edit.text().strip()


class FirstRunDialog(Dialog):
    completed = Signal(object)  # FirstRunChoice

    INTRO, STORAGE, NAME = 0, 1, 2

    def __init__(
        self, suggest_pseudonym: Callable[[], str] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Welcome to Hearth"), parent)
        self.setMinimumWidth(560)
        self.pages = QStackedWidget()
        self.content.addWidget(self.pages)

        # 1. What Hearth hides, and what it does not.
        intro = QWidget()
        intro_layout = QVBoxLayout(intro)
        intro_layout.setContentsMargins(0, 0, 0, 0)
        lead = QLabel(
            self.tr(
                "Hearth is for small circles of people in the same place. There is no account "
                "and no server: you talk directly, under a name you choose for each circle."
            )
        )
        lead.setWordWrap(True)
        self.threat_model = QLabel(as_html())
        self.threat_model.setObjectName("RulesBox")
        self.threat_model.setWordWrap(True)
        self.threat_model.setTextFormat(Qt.TextFormat.RichText)
        self.threat_model.setAccessibleName(self.tr("What Hearth hides, and what it does not"))
        intro_layout.addWidget(lead)
        intro_layout.addWidget(self.threat_model)
        intro_layout.addStretch(1)
        self.pages.addWidget(intro)

        # 2. A profile protected by a passphrase, or an ephemeral session.
        storage = QWidget()
        storage_layout = QVBoxLayout(storage)
        storage_layout.setContentsMargins(0, 0, 0, 0)
        storage_layout.setSpacing(8)
        self.profile_choice = QRadioButton(self.tr("Keep a profile on this computer"))
        self.profile_choice.setAccessibleName(self.tr("Keep a profile protected by a passphrase"))
        self.ephemeral_choice = QRadioButton(self.tr("Ephemeral session: keep nothing"))
        self.ephemeral_choice.setAccessibleName(self.tr("Ephemeral session, nothing is saved"))
        group = QButtonGroup(self)
        group.addButton(self.profile_choice)
        group.addButton(self.ephemeral_choice)
        self.profile_choice.setChecked(True)
        storage_layout.addWidget(self.profile_choice)
        self.hint(
            self.tr(
                "Your circles and history are kept, encrypted under your passphrase. Nobody "
                "can recover a forgotten passphrase — not even us."
            ),
            storage_layout,
        )
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_box = QWidget()
        box = QVBoxLayout(self.passphrase_box)
        box.setContentsMargins(24, 0, 0, 0)
        self.field(self.tr("Passphrase"), self.passphrase, box)
        self.strength_label = QLabel()
        self.strength_label.setObjectName("StrengthHint")
        self.strength_label.setWordWrap(True)
        self.strength_label.setAccessibleName(self.tr("Passphrase strength"))
        box.addWidget(self.strength_label)
        self.field(self.tr("The same passphrase again"), self.confirm, box)
        storage_layout.addWidget(self.passphrase_box)
        storage_layout.addSpacing(6)
        storage_layout.addWidget(self.ephemeral_choice)
        self.hint(
            self.tr(
                "Everything lives in memory and is gone when you quit. Good for a borrowed or "
                "shared computer."
            ),
            storage_layout,
        )
        storage_layout.addStretch(1)
        self.pages.addWidget(storage)
        self.passphrase.textChanged.connect(self._update_strength)
        self.profile_choice.toggled.connect(self.passphrase_box.setEnabled)

        # 3. A name to start with.
        name_page = QWidget()
        name_layout = QVBoxLayout(name_page)
        name_layout.setContentsMargins(0, 0, 0, 0)
        self.pseudonym = PseudonymField(suggest_pseudonym)
        name_label = self.field(
            self.tr("Your name in your first circle"),
            self.pseudonym,
            name_layout,
            help_text=self.tr(
                "Others in that circle see only this name. You choose a new one for each circle, "
                "so nobody can link your circles. Avoid your real name if you want to stay "
                "anonymous."
            ),
        )
        name_label.setBuddy(self.pseudonym.edit)
        name_layout.addStretch(1)
        self.pages.addWidget(name_page)

        self.back_button = self.add_button(self.tr("Back"))
        self.back_button.clicked.connect(self.back)
        self.next_button = self.add_primary(self.tr("Continue"))
        self.next_button.clicked.connect(self.next)
        self.show_page(self.INTRO)

    # -- navigation ------------------------------------------------------------------------
    def show_page(self, page: int) -> None:
        self.fit_page(self.pages, page)
        self.clear_error()
        self.back_button.setVisible(page > self.INTRO)
        titles = {
            self.INTRO: self.tr("Welcome to Hearth"),
            self.STORAGE: self.tr("How should Hearth keep your things?"),
            self.NAME: self.tr("What should people call you?"),
        }
        self.heading.setText(titles[page])
        self.next_button.setText(self.tr("Start") if page == self.NAME else self.tr("Continue"))
        self.next_button.setAccessibleName(self.next_button.text())
        focus = {
            self.INTRO: self.next_button,
            self.STORAGE: self.passphrase
            if self.profile_choice.isChecked()
            else self.ephemeral_choice,
            self.NAME: self.pseudonym.edit,
        }[page]
        focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc steps back a page; on the first page it does nothing (closing the window is
        how to leave: a stray Esc must not quit the app)."""
        if event.key() == Qt.Key.Key_Escape:
            if self.pages.currentIndex() > self.INTRO:
                self.back()
            event.accept()
            return
        super().keyPressEvent(event)

    def back(self) -> None:
        self.show_page(max(self.INTRO, self.pages.currentIndex() - 1))

    def next(self) -> None:
        page = self.pages.currentIndex()
        if page == self.STORAGE and not self._storage_ok():
            return
        if page == self.NAME:
            self.finish()
            return
        self.show_page(page + 1)

    def _storage_ok(self) -> bool:
        if self.ephemeral_choice.isChecked():
            return True
        phrase = self.passphrase.text()
        if len(phrase) < MIN_LENGTH:
            self.show_error(self.tr("Choose a passphrase of at least 8 characters."))
            self.passphrase.setFocus()
            return False
        if phrase != self.confirm.text():
            self.show_error(self.tr("The two passphrases differ. Type the same one twice."))
            self.confirm.selectAll()
            self.confirm.setFocus()
            return False
        return True

    def finish(self) -> None:
        name = self.pseudonym.text()
        problem = pseudonym_problem(name)
        if problem:
            self.show_error(problem)
            self.pseudonym.edit.setFocus()
            return
        ephemeral = self.ephemeral_choice.isChecked()
        choice = FirstRunChoice(
            ephemeral=ephemeral,
            passphrase="" if ephemeral else self.passphrase.text(),
            pseudonym=name,
        )
        self.passphrase.clear()
        self.confirm.clear()
        self.completed.emit(choice)
        self.accept()

    def _update_strength(self, text: str) -> None:
        value = strength(text)
        self.strength_label.setText(strength_hint(value))
        level = {
            Strength.TOO_SHORT: "weak",
            Strength.WEAK: "weak",
            Strength.FAIR: "fair",
            Strength.STRONG: "strong",
        }.get(value, "")
        self.strength_label.setProperty("strength", level)
        self.strength_label.style().unpolish(self.strength_label)
        self.strength_label.style().polish(self.strength_label)
