"""Join: paste a link or type a spoken code; read and accept the rules; introduce yourself."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from enum import Enum

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..code_check import word_check_text
from .base import Dialog
from .first_run import PseudonymField, pseudonym_problem

translate = QCoreApplication.translate
MAX_INTRODUCTION = 1000
_CODE = re.compile(r"^\d{1,4}(-[^\W\d_]+)+$")


class JoinKind(Enum):
    LINK = "link"
    CODE = "code"


class JoinInputError(ValueError):
    """What was typed is neither an invite link nor a spoken code; the text says why."""


def parse_join_input(text: str) -> tuple[JoinKind, str]:
    """Tell a link from a code, and tidy a code as people type it ("7 Amber lantern")."""
    text = text.strip()
    if not text:
        raise JoinInputError(translate("JoinDialog", "Paste a link or type a code."))
    if "://" in text or text.lower().startswith("hearth:"):
        if any(c.isspace() for c in text):
            raise JoinInputError(
                translate("JoinDialog", "A link has no spaces: paste it again in one piece.")
            )
        return JoinKind.LINK, text
    code = re.sub(r"[\s_.·,]+", "-", text.lower())
    code = re.sub(r"-{2,}", "-", code).strip("-")
    if not _CODE.match(code):
        raise JoinInputError(
            translate(
                "JoinDialog",
                "That is neither an invite link nor a code like “7-amber-lantern”.",
            )
        )
    return JoinKind.CODE, code


class JoinDialog(Dialog):
    previewRequested = Signal(str)  # the link or tidied code: "what circle is this?"
    joinRequested = Signal(str, str, str)  # link or code, introduction ("" = none), pseudonym

    ENTER, WAITING, RULES = 0, 1, 2

    def __init__(
        self,
        intro_templates: Sequence[str] | None = None,
        suggest_pseudonym: Callable[[], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Join a circle"), parent)
        self.setMinimumWidth(540)
        self.target = ""
        self.circle_name = ""
        self.pages = QStackedWidget()
        self.content.addWidget(self.pages)

        enter = QWidget()
        enter_layout = QVBoxLayout(enter)
        enter_layout.setContentsMargins(0, 0, 0, 0)
        self.input = QLineEdit()
        self.input.setPlaceholderText(self.tr("hearth://… or 7-amber-lantern"))
        self.field(
            self.tr("Invite link or spoken code"),
            self.input,
            enter_layout,
            help_text=self.tr(
                "Paste the link someone sent you, or type the code the host reads aloud. "
                "Codes work on this network only."
            ),
        )
        self.word_check = QLabel()
        self.word_check.setObjectName("ErrorText")
        self.word_check.setWordWrap(True)
        self.word_check.setAccessibleName(self.tr("Code check"))
        self.word_check.setVisible(False)
        enter_layout.addWidget(self.word_check)
        self.input.textChanged.connect(self._check_words)
        enter_layout.addStretch(1)
        self.pages.addWidget(enter)

        waiting = QWidget()
        waiting_layout = QVBoxLayout(waiting)
        self.waiting_label = QLabel(self.tr("Looking for the circle…"))
        self.waiting_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.waiting_label.setAccessibleName(self.tr("Looking for the circle"))
        waiting_layout.addStretch(1)
        waiting_layout.addWidget(self.waiting_label)
        waiting_layout.addStretch(1)
        self.pages.addWidget(waiting)

        rules_page = QWidget()
        rules_layout = QVBoxLayout(rules_page)
        rules_layout.setContentsMargins(0, 0, 0, 0)
        rules_layout.setSpacing(8)
        self.description = QLabel()
        self.description.setWordWrap(True)
        rules_layout.addWidget(self.description)
        rules_heading = QLabel(self.tr("The circle's rules"))
        rules_heading.setObjectName("PanelHeading")
        rules_layout.addWidget(rules_heading)
        self.rules_heading = rules_heading
        self.rules_pending = False
        self.pending_note = QLabel(
            self.tr(
                "The host's rules come as soon as you are connected: you read them and accept "
                "them then, before you take part."
            )
        )
        self.pending_note.setObjectName("Hint")
        self.pending_note.setWordWrap(True)
        self.pending_note.setAccessibleName(self.tr("About the rules"))
        self.pending_note.setVisible(False)
        rules_layout.addWidget(self.pending_note)
        self.rules = QLabel()
        self.rules.setObjectName("RulesBox")
        self.rules.setWordWrap(True)
        self.rules.setTextFormat(Qt.TextFormat.PlainText)
        self.rules.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.rules.setAccessibleName(self.tr("The circle's rules"))
        self.rules.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.rules)
        scroll.setMaximumHeight(180)
        scroll.setAccessibleName(self.tr("The circle's rules"))
        self.rules_scroll = scroll
        rules_layout.addWidget(scroll)
        self.accept_rules = QCheckBox(self.tr("I have read the rules and will follow them"))
        self.accept_rules.setAccessibleName(self.tr("I have read the rules and will follow them"))
        self.accept_rules.toggled.connect(self._update_join)
        rules_layout.addWidget(self.accept_rules)
        self.pseudonym = PseudonymField(suggest_pseudonym)
        label = self.field(self.tr("Your name in this circle"), self.pseudonym, rules_layout)
        label.setBuddy(self.pseudonym.edit)
        self.template = QComboBox()
        self.template.addItem(self.tr("No introduction"), "")
        for text in intro_templates or ():
            self.template.addItem(text if len(text) <= 60 else text[:57] + "…", text)
        self.template.currentIndexChanged.connect(self._template_chosen)
        self.introduction = QPlainTextEdit()
        self.introduction.setTabChangesFocus(True)
        self.introduction.setFixedHeight(70)
        self.introduction.setPlaceholderText(
            self.tr("Optional: a few words the circle sees when you arrive")
        )
        self.field(self.tr("Introduce yourself (optional)"), self.template, rules_layout)
        self.introduction.setAccessibleName(self.tr("Introduction"))
        rules_layout.addWidget(self.introduction)
        self.pages.addWidget(rules_page)

        self.add_cancel()
        self.next_button = self.add_primary(self.tr("Continue"))
        self.next_button.clicked.connect(self.next)
        self.input.returnPressed.connect(self.next)
        self.show_page(self.ENTER)

    # -- flow ------------------------------------------------------------------------------
    def show_page(self, page: int) -> None:
        self.fit_page(self.pages, page)
        self.next_button.setVisible(page != self.WAITING)
        if page == self.ENTER:
            self.heading.setText(self.tr("Join a circle"))
            self.next_button.setText(self.tr("Continue"))
            self.next_button.setEnabled(True)
            self.input.setFocus()
        elif page == self.RULES:
            self.heading.setText(self.tr("Join {name}").format(name=self.circle_name))
            self.next_button.setText(self.tr("Join"))
            self._update_join()
            self.accept_rules.setFocus()
        self.next_button.setAccessibleName(self.next_button.text())

    def next(self) -> None:
        page = self.pages.currentIndex()
        if page == self.ENTER:
            try:
                _, self.target = parse_join_input(self.input.text())
            except JoinInputError as exc:
                self.show_error(str(exc))
                self.input.setFocus()
                return
            self.clear_error()
            self.show_page(self.WAITING)
            self.previewRequested.emit(self.target)
        elif page == self.RULES:
            self.submit()

    def show_preview(
        self, name: str, rules: str, description: str = "", *, pending: bool = False
    ) -> None:
        """The circle was found: show its rules to accept (the controller calls this).

        ``pending``: the host's rules arrive only once connected (a spoken code, or a link that
        carries just their fingerprint). Nobody is asked to accept rules they have not seen:
        the rules come to read and accept right after connecting.
        """
        self.circle_name = name
        self.rules_pending = pending
        for widget in (self.rules_heading, self.rules_scroll, self.accept_rules):
            widget.setVisible(not pending)
        self.pending_note.setVisible(pending)
        self.rules.setText(rules or self.tr("This circle has no written rules."))
        self.rules_scroll.setMinimumHeight(
            min(self.rules.heightForWidth(max(200, self.rules_scroll.width() - 4)) + 4, 180)
        )
        self.description.setText(description)
        self.description.setVisible(bool(description))
        self.accept_rules.setChecked(False)
        self.clear_error()
        self.show_page(self.RULES)

    def show_failure(self, text: str) -> None:
        """Looking up or joining failed: say why and let the person try again."""
        self.show_error(text)
        self.show_page(self.ENTER)
        self.input.selectAll()

    def submit(self) -> None:
        if not self.rules_pending and not self.accept_rules.isChecked():
            self.show_error(self.tr("Read the rules and tick the box to join."))
            return
        pseudonym = self.pseudonym.text()
        problem = pseudonym_problem(pseudonym) if pseudonym else ""
        if problem:
            self.show_error(problem)
            self.pseudonym.edit.setFocus()
            return
        introduction = self.introduction.toPlainText().strip()[:MAX_INTRODUCTION]
        self.clear_error()
        self.show_page(self.WAITING)
        self.waiting_label.setText(self.tr("Joining {name}…").format(name=self.circle_name))
        self.joinRequested.emit(self.target, introduction, pseudonym)

    def joined(self) -> None:
        self.accept()

    def _check_words(self, text: str) -> None:
        said = "" if "://" in text or text.lower().startswith("hearth:") else word_check_text(text)
        self.word_check.setText(said)
        self.word_check.setVisible(bool(said))

    def _template_chosen(self) -> None:
        text = self.template.currentData()
        if isinstance(text, str) and text:
            self.introduction.setPlainText(text)
            self.introduction.setFocus()

    def _update_join(self) -> None:
        if self.pages.currentIndex() == self.RULES:
            self.next_button.setEnabled(self.rules_pending or self.accept_rules.isChecked())
