"""The composer: Enter sends, Shift+Enter a new line; starters, content warnings, a counter."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from messenger.conversation.envelope import MAX_BODY, MAX_CONTENT_WARNING
from messenger.views import PostView

MAX_POST_BYTES = MAX_BODY  # a post's text, in UTF-8 (8 KiB)
MAX_WARNING_BYTES = MAX_CONTENT_WARNING  # a content warning, in UTF-8
COUNTER_FROM = MAX_POST_BYTES - 1024  # show the counter from here on
TYPING_INTERVAL = 3.0  # seconds between two "typing" signals


def utf8_size(text: str) -> int:
    return len(text.encode("utf-8"))


class Composer(QWidget):
    submitted = Signal(str, str)  # text, content warning ("" for none)
    typing = Signal()  # the person is typing (at most every TYPING_INTERVAL seconds)

    def __init__(
        self,
        parent: QWidget | None = None,
        starters: Sequence[str] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Composer")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._clock = clock
        self._last_typing = float("-inf")
        self.typing_enabled = False

        self.warning_edit = QLineEdit()
        self.warning_edit.setObjectName("WarningEdit")
        self.warning_edit.setAccessibleName(self.tr("Content warning"))
        self.warning_edit.setPlaceholderText(
            self.tr("Content warning: a few words shown before your message, e.g. “grief”")
        )
        self.warning_edit.setMaxLength(MAX_WARNING_BYTES)
        self.warning_edit.setVisible(False)
        self.warning_edit.textChanged.connect(self._update_counter)

        self.edit = QPlainTextEdit()
        self.edit.setObjectName("ComposerEdit")
        self.edit.setAccessibleName(self.tr("Message"))
        self.edit.setTabChangesFocus(True)
        self.edit.setFixedHeight(64)
        self.edit.installEventFilter(self)
        self.edit.textChanged.connect(self._text_changed)
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setObjectName("Primary")
        self.send_button.setAccessibleName(self.tr("Send message"))
        self.send_button.clicked.connect(self.submit)

        self.starters_button = QToolButton()
        self.starters_button.setText(self.tr("Conversation starters"))
        self.starters_button.setAccessibleName(self.tr("Conversation starters"))
        self.starters_button.setToolTip(self.tr("Insert an open-ended question"))
        self.starters_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.starters_menu = QMenu(self.starters_button)
        self.starters_menu.setAccessibleName(self.tr("Conversation starters"))
        self.starters_button.setMenu(self.starters_menu)
        self.set_starters(starters if starters is not None else _default_starters())

        self.warning_button = QToolButton()
        self.warning_button.setText(self.tr("Content warning"))
        self.warning_button.setAccessibleName(self.tr("Add a content warning"))
        self.warning_button.setToolTip(
            self.tr("Others see the warning first and choose whether to read on")
        )
        self.warning_button.setCheckable(True)
        self.warning_button.toggled.connect(self._toggle_warning)

        # The post being answered, shown above the text until it is sent or cancelled.
        self.reply_post: PostView | None = None
        self.reply_bar = QWidget()
        self.reply_bar.setObjectName("ReplyBar")
        self.reply_bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.reply_label = QLabel()
        self.reply_label.setObjectName("ReplyPreview")
        self.reply_label.setAccessibleName(self.tr("Replying to"))
        self.reply_label.setTextFormat(Qt.TextFormat.PlainText)
        self.reply_cancel = QToolButton()
        self.reply_cancel.setText(self.tr("Cancel reply"))
        self.reply_cancel.setAccessibleName(self.tr("Cancel the reply"))
        self.reply_cancel.setToolTip(self.tr("Write to the whole circle instead (Esc)"))
        self.reply_cancel.clicked.connect(lambda: self.set_reply(None))
        reply_row = QHBoxLayout(self.reply_bar)
        reply_row.setContentsMargins(10, 4, 4, 4)
        reply_row.addWidget(self.reply_label, 1)
        reply_row.addWidget(self.reply_cancel)
        self.reply_bar.setVisible(False)

        self.counter = QLabel()
        self.counter.setObjectName("CharCounter")
        self.counter.setAccessibleName(self.tr("Message length"))
        self.counter.setVisible(False)

        self.tools = QWidget()
        tools = QHBoxLayout(self.tools)
        tools.setContentsMargins(0, 0, 0, 0)
        tools.setSpacing(6)
        tools.addWidget(self.starters_button)
        tools.addWidget(self.warning_button)
        tools.addStretch(1)
        tools.addWidget(self.counter)
        row = QHBoxLayout()
        row.setSpacing(10)
        row.addWidget(self.edit, 1)
        row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 10)
        layout.setSpacing(6)
        layout.addWidget(self.reply_bar)
        self.anonymity = QLabel()  # how anonymous a post here is (ui/anonymity_words.py)
        self.anonymity.setObjectName("Hint")
        self.anonymity.setWordWrap(True)
        self.anonymity.setVisible(False)
        layout.addWidget(self.anonymity)
        layout.addWidget(self.warning_edit)
        layout.addLayout(row)
        layout.addWidget(self.tools)
        self.setTabOrder(self.warning_edit, self.edit)
        self.setTabOrder(self.edit, self.send_button)
        self.setTabOrder(self.send_button, self.starters_button)
        self.setTabOrder(self.starters_button, self.warning_button)
        self.set_available(False)

    # -- state -----------------------------------------------------------------------------
    def set_available(self, available: bool, placeholder: str | None = None) -> None:
        """Enable typing in a conversation; otherwise say why the composer is idle."""
        for widget in (self.edit, self.starters_button, self.warning_button, self.warning_edit):
            widget.setEnabled(available)
        if not available:
            self.set_reply(None)
        self.tools.setVisible(available)
        if placeholder is None:
            placeholder = (
                self.tr("Write to the circle…  (Enter sends, Shift+Enter for a new line)")
                if available
                else self.tr("Create or join a circle to start talking.")
            )
        self.edit.setPlaceholderText(placeholder)
        self._update_counter()

    def set_anonymity(self, words: str | None) -> None:
        """Posts here are anonymous: say how strongly, above the text (None: they are not)."""
        self.anonymity.setText(words or "")
        self.anonymity.setVisible(bool(words))

    def set_starters(self, questions: Sequence[str]) -> None:
        self.starters_menu.clear()
        for question in questions:
            label = question if len(question) <= 70 else question[:67] + "…"
            action = QAction(label, self.starters_menu)
            action.setToolTip(question)
            action.triggered.connect(lambda _=False, q=question: self.insert_starter(q))
            self.starters_menu.addAction(action)
        self.starters_button.setVisible(bool(questions))

    def starter_questions(self) -> list[str]:
        return [a.toolTip() for a in self.starters_menu.actions()]

    def insert_starter(self, question: str) -> None:
        """Put ``question`` where the cursor is (replacing a selection) for the person to edit."""
        cursor = self.edit.textCursor()
        cursor.insertText(question)
        self.edit.setTextCursor(cursor)
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_reply(self, post: PostView | None) -> None:
        """Answer ``post`` with the next message (None: write to the whole circle)."""
        self.reply_post = post
        if post is not None:
            who = post.author or self.tr("Anonymous")
            excerpt = " ".join(post.body.split())
            if len(excerpt) > 70:
                excerpt = excerpt[:69] + "…"
            self.reply_label.setText(
                self.tr("Replying to {who}: {excerpt}").format(who=who, excerpt=excerpt)
            )
            self.edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.reply_bar.setVisible(post is not None)

    def content_warning(self) -> str:
        return self.warning_edit.text().strip() if self.warning_button.isChecked() else ""

    def post_bytes(self) -> int:
        """The UTF-8 size of the text that would be sent."""
        return utf8_size(self.edit.toPlainText().strip())

    def can_send(self) -> bool:
        text = self.edit.toPlainText().strip()
        return (
            bool(text)
            and self.edit.isEnabled()
            and self.post_bytes() <= MAX_POST_BYTES
            and utf8_size(self.content_warning()) <= MAX_WARNING_BYTES
        )

    # -- actions ---------------------------------------------------------------------------
    def submit(self) -> None:
        if not self.can_send():
            return
        text, warning = self.edit.toPlainText().strip(), self.content_warning()
        self.edit.clear()
        self.warning_edit.clear()
        self.warning_button.setChecked(False)
        self.submitted.emit(text, warning)
        self.set_reply(None)  # after: whoever sends it reads reply_post

    def _toggle_warning(self, on: bool) -> None:
        self.warning_edit.setVisible(on)
        if on:
            self.warning_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_counter()

    def _text_changed(self) -> None:
        self._update_counter()
        if self.typing_enabled and self.edit.toPlainText():
            now = self._clock()
            if now - self._last_typing >= TYPING_INTERVAL:
                self._last_typing = now
                self.typing.emit()

    def _update_counter(self) -> None:
        used = self.post_bytes()
        over = used > MAX_POST_BYTES
        self.counter.setVisible(used >= COUNTER_FROM)
        if over:
            text = self.tr("Too long by {n} — shorten it to send").format(n=used - MAX_POST_BYTES)
        else:
            text = self.tr("{used} / {limit}").format(used=used, limit=MAX_POST_BYTES)
        self.counter.setText(text)
        self.counter.setProperty("over", "true" if over else "false")
        self.counter.style().unpolish(self.counter)
        self.counter.style().polish(self.counter)
        self.send_button.setEnabled(self.edit.isEnabled() and not over)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.submit()
                return True
            if event.key() == Qt.Key.Key_Escape and self.reply_post is not None:
                self.set_reply(None)
                return True
        return super().eventFilter(watched, event)


def _default_starters() -> list[str]:
    from ..texts import starters

    return starters()
