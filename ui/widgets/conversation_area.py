"""The right-hand side: a welcome while there is no conversation, else header, bubbles, composer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import Enum

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from messenger.views import CircleView, PostView, Role

from ..models.conversation import ConversationModel
from .composer import Composer
from .conversation_view import ConversationView
from .empty_state import EmptyState

translate = QCoreApplication.translate
TYPING_TIMEOUT_MS = 6000  # a typing indicator fades if not renewed
SEARCH_IN_HEADER_FROM = 640  # px of conversation width; narrower, Ctrl+F shows the field


def typing_text(names: Sequence[str]) -> str:
    """ "Ana is typing…", "Ana and Ben are typing…", "Several people are typing…", or ""."""

    names = [n for n in names if n]
    if not names:
        return ""
    if len(names) == 1:
        return translate("TypingIndicator", "{a} is typing…").format(a=names[0])
    if len(names) == 2:
        return translate("TypingIndicator", "{a} and {b} are typing…").format(
            a=names[0], b=names[1]
        )
    return translate("TypingIndicator", "Several people are typing…")


class Mode(Enum):
    WELCOME = "welcome"
    CIRCLE = "circle"
    DIRECT = "direct"


class ConversationArea(QWidget):
    """Shows one conversation (a circle's posts or direct messages) and sends what is written."""

    WELCOME, CONVERSATION = 0, 1

    postRequested = Signal(bytes, str, str, object)  # circle, text, warning, reply-to id or None
    directMessageRequested = Signal(bytes, bytes, str)  # circle, peer key, text
    typingActivity = Signal(bytes)  # circle id: I am typing there
    circlePanelRequested = Signal(bytes)  # circle id
    inviteRequested = Signal(bytes)  # circle id
    searchRequested = Signal(bytes, str)  # circle id, the words typed ("" clears)
    searchResultChosen = Signal(object)  # PostView: jump to it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = Mode.WELCOME
        self.circle: CircleView | None = None
        self.peer: tuple[bytes, bytes, str] | None = None  # circle id, peer key, pseudonym
        self.empty = EmptyState()

        self.header = QWidget()
        self.header.setObjectName("ConversationHeader")
        self.header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.title = QLabel()
        self.title.setObjectName("ConversationTitle")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("ConversationSubtitle")
        # At the window's minimum width the subtitle wraps rather than being cut off.
        self.subtitle.setWordWrap(True)
        self.subtitle.setMinimumWidth(120)
        self.invite_button = QPushButton(self.tr("Invite"))
        self.invite_button.setAccessibleName(self.tr("Invite someone to this circle"))
        self.invite_button.setToolTip(self.tr("Share a link or read a code aloud"))
        self.invite_button.clicked.connect(self._invite)
        self.panel_button = QPushButton(self.tr("About this circle"))
        self.panel_button.setAccessibleName(self.tr("Show the circle's rules and members"))
        self.panel_button.setToolTip(self.tr("Rules, members, safety numbers (Ctrl+I)"))
        self.panel_button.setCheckable(True)
        self.panel_button.clicked.connect(self._panel)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self._search_now)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("CircleSearch")
        self.search_edit.setAccessibleName(self.tr("Search this circle"))
        self.search_edit.setPlaceholderText(self.tr("Search this circle"))
        self.search_edit.setToolTip(self.tr("Find posts by their words (Ctrl+F)"))
        self.search_edit.setMinimumWidth(120)
        self.search_edit.setMaximumWidth(220)
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        self.search_edit.returnPressed.connect(self._search_now)
        self.search_edit.installEventFilter(self)
        self.search_results = QListWidget()
        self.search_results.setObjectName("SearchResults")
        self.search_results.setAccessibleName(self.tr("Search results"))
        self.search_results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.search_results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.search_results.setUniformItemSizes(True)
        self.search_summary = QLabel()
        self.search_summary.setObjectName("SearchSummary")
        self.search_panel = QWidget()
        self.search_panel.setObjectName("SearchPanel")
        self.search_panel.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        search_layout = QVBoxLayout(self.search_panel)
        search_layout.setContentsMargins(18, 6, 14, 8)
        search_layout.setSpacing(4)
        search_layout.addWidget(self.search_summary)
        search_layout.addWidget(self.search_results)
        self.search_panel.setVisible(False)
        self.search_results.itemActivated.connect(self._result_chosen)
        self.search_results.itemClicked.connect(self._result_chosen)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header_layout = QHBoxLayout(self.header)
        header_layout.setContentsMargins(18, 10, 14, 10)
        header_layout.addLayout(titles, 1)
        header_layout.addWidget(self.search_edit)
        header_layout.addWidget(self.invite_button)
        header_layout.addWidget(self.panel_button)

        self.model = ConversationModel(self)
        self.messages = ConversationView(self.model)
        self.no_posts = QLabel(
            self.tr("No messages yet. Say hello, or try a conversation starter.")
        )
        self.no_posts.setObjectName("Hint")
        self.no_posts.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_posts.setWordWrap(True)
        self.removed_note = QLabel()
        self.removed_note.setObjectName("WarningBox")
        self.removed_note.setWordWrap(True)
        self.removed_note.setAccessibleName(self.tr("You were removed from this circle"))
        self.removed_note.setVisible(False)
        self.typing_label = QLabel()
        self.typing_label.setObjectName("TypingIndicator")
        self.typing_label.setAccessibleName(self.tr("Who is typing"))
        self.typing_label.setVisible(False)
        self._typing_timer = QTimer(self)
        self._typing_timer.setSingleShot(True)
        self._typing_timer.setInterval(TYPING_TIMEOUT_MS)
        self._typing_timer.timeout.connect(lambda: self.set_typing([]))

        conversation = QWidget()
        conv_layout = QVBoxLayout(conversation)
        conv_layout.setContentsMargins(0, 0, 0, 0)
        conv_layout.setSpacing(0)
        conv_layout.addWidget(self.header)
        conv_layout.addWidget(self.search_panel)
        conv_layout.addWidget(self.removed_note)
        conv_layout.addWidget(self.no_posts, 1)
        conv_layout.addWidget(self.messages, 1)
        conv_layout.addWidget(self.typing_label)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(conversation)
        self.composer = Composer()
        self.composer.submitted.connect(self._submitted)
        self.composer.typing.connect(self._typing)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.composer)
        for signal in (self.model.rowsInserted, self.model.rowsRemoved, self.model.modelReset):
            signal.connect(self._refresh_empty)
        self._refresh_empty()

    # -- what is shown ---------------------------------------------------------------------
    def show_welcome(self) -> None:
        self.mode = Mode.WELCOME
        self.circle = self.peer = None
        self.model.clear()
        self.set_typing([])
        self.stack.setCurrentIndex(self.WELCOME)
        self.composer.set_available(False)

    def show_circle(self, circle: CircleView, posts: Iterable[PostView], has_older: bool) -> None:
        """Open ``circle`` with its newest page of posts; older ones are asked for on scroll."""
        self.mode = Mode.CIRCLE
        self.circle, self.peer = circle, None
        self.update_circle(circle)
        self.set_typing([])
        self.model.reset(posts, has_older)
        self.stack.setCurrentIndex(self.CONVERSATION)
        self.invite_button.setVisible(True)
        self.panel_button.setVisible(True)
        self._reset_search(visible=True)
        self.messages.can_act = not circle.removed
        self._show_removed(circle)

    def show_direct(
        self,
        circle_id: bytes,
        peer_key: bytes,
        peer: str,
        posts: Iterable[PostView],
        has_older: bool,
    ) -> None:
        """Open the direct conversation with ``peer`` (rows: :func:`ui.direct.post_from_direct`)."""
        self.mode = Mode.DIRECT
        self.circle, self.peer = None, (circle_id, peer_key, peer)
        self.title.setText(peer)
        self.subtitle.setText(self.tr("Direct messages — only the two of you can read them"))
        self.set_typing([])
        self.model.reset(posts, has_older)
        self.stack.setCurrentIndex(self.CONVERSATION)
        self.composer.set_available(
            True,
            self.tr("Write to {peer}…  (Enter sends, Shift+Enter for a new line)").format(
                peer=peer
            ),
        )
        self.invite_button.setVisible(False)
        self.panel_button.setVisible(False)
        self._reset_search(visible=False)
        self.messages.can_act = False

    def update_circle(self, circle: CircleView) -> None:
        """Refresh the header when the open circle changed (name, people present, role); a
        direct conversation keeps its own header (the person, and who can read it)."""
        if self.mode is Mode.DIRECT or (self.circle is not None and self.circle.id != circle.id):
            return
        self.circle = circle
        self.title.setText(circle.name)
        if circle.waiting:
            present = self.tr("waiting for the host to let you in")
        elif circle.members_present <= 1:
            present = self.tr("only you here so far")
        else:
            present = self.tr("{n} people here").format(n=circle.members_present)
        parts = [present, self.tr("you are {name}").format(name=circle.my_pseudonym)]
        if circle.role is Role.HOST:
            parts.append(self.tr("you host it"))
        elif circle.role is Role.MODERATOR:
            parts.append(self.tr("you moderate it"))
        self.subtitle.setText(" · ".join(parts))
        self.invite_button.setEnabled(
            circle.role in (Role.HOST, Role.MODERATOR) and not circle.removed
        )
        if self.mode is Mode.CIRCLE:
            self._show_removed(circle)

    def _show_removed(self, circle: CircleView) -> None:
        """Removed: the circle stays readable here, calmly explained, until I leave it."""
        self.removed_note.setText(
            self.tr(
                "The host removed you from {name}. What was said stays readable here; nothing "
                'new reaches you or the circle from you. Leave it from "About this circle" '
                "when you are ready."
            ).format(name=circle.name)
        )
        self.removed_note.setVisible(circle.removed)
        self.messages.can_act = not circle.removed
        if circle.removed:
            empty = self.tr("Nothing was said here while you were in this circle.")
        elif circle.waiting:
            empty = self.tr(
                "The host has been asked to let you in. What is said here shows once they do."
            )
        else:
            empty = self.tr("No messages yet. Say hello, or try a conversation starter.")
        self.no_posts.setText(empty)
        if circle.removed:
            self.composer.set_available(
                False, self.tr("You can no longer write here: you were removed from this circle.")
            )
        elif circle.waiting:
            self.composer.set_available(
                False, self.tr("You can write here once the host lets you in.")
            )
        else:
            self.composer.set_available(True)

    def set_typing(self, names: Sequence[str]) -> None:
        """Who is typing in the open conversation (only when typing indicators are on)."""
        text = typing_text(names)
        self.typing_label.setText(text)
        self.typing_label.setVisible(bool(text))
        if text:
            self._typing_timer.start()
        else:
            self._typing_timer.stop()

    def current_circle_id(self) -> bytes | None:
        if self.circle is not None:
            return self.circle.id
        return self.peer[0] if self.peer is not None else None

    # -- search ----------------------------------------------------------------------------
    def focus_search(self) -> None:
        if self.mode is Mode.CIRCLE:
            self.search_edit.setVisible(True)
            self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.search_edit.selectAll()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_search()

    def _fit_search(self) -> None:
        """Narrow: the header keeps its title; the search field comes with Ctrl+F (or the
        View menu) and stays while it holds words."""
        edit = self.search_edit
        wanted = self.mode is Mode.CIRCLE and (
            self.width() >= SEARCH_IN_HEADER_FROM or bool(edit.text()) or edit.hasFocus()
        )
        if edit.isVisible() != wanted:
            edit.setVisible(wanted)

    def show_search_results(self, words: str, posts: Sequence[PostView]) -> None:
        """The posts found for ``words`` (ignored if the person typed on since)."""
        if words.strip() != self.search_edit.text().strip() or self.mode is not Mode.CIRCLE:
            return
        self.search_results.clear()
        if not words.strip():
            self.search_panel.setVisible(False)
            return
        for post in posts:
            who = post.author or self.tr("Anonymous")
            when = datetime.fromtimestamp(post.ts).strftime("%d %b %H:%M")
            excerpt = " ".join(post.body.split())
            if len(excerpt) > 120:
                excerpt = excerpt[:119] + "…"
            item = QListWidgetItem(f"{who} · {when}: {excerpt}")
            item.setData(Qt.ItemDataRole.UserRole, post)
            self.search_results.addItem(item)
        if posts:
            summary = self.tr("{n} posts found — Enter or a click shows one (Esc closes)")
            self.search_summary.setText(summary.format(n=len(posts)))
        else:
            self.search_summary.setText(self.tr("No posts here with these words."))
        self.search_results.setVisible(bool(posts))
        if posts:
            row = max(self.search_results.sizeHintForRow(0), 20)
            self.search_results.setFixedHeight(min(len(posts), 6) * row + 6)
        self.search_panel.setVisible(True)

    def _search_now(self) -> None:
        self._search_timer.stop()
        if self.mode is Mode.CIRCLE and self.circle is not None:
            self.searchRequested.emit(self.circle.id, self.search_edit.text().strip())

    def _result_chosen(self, item: QListWidgetItem) -> None:
        post = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(post, PostView):
            self.searchResultChosen.emit(post)

    def _reset_search(self, *, visible: bool) -> None:
        self._search_timer.stop()
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self.search_edit.setVisible(visible)
        if visible:
            self._fit_search()
        self.search_results.clear()
        self.search_panel.setVisible(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Escape:
                self._reset_search(visible=True)
                self.messages.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
            if event.key() == Qt.Key.Key_Down and self.search_results.count():
                self.search_results.setFocus(Qt.FocusReason.TabFocusReason)
                self.search_results.setCurrentRow(0)
                return True
        return super().eventFilter(watched, event)

    # -- signals ---------------------------------------------------------------------------
    def _submitted(self, text: str, warning: str) -> None:
        if self.mode is Mode.CIRCLE and self.circle is not None:
            reply = self.composer.reply_post
            self.postRequested.emit(self.circle.id, text, warning, reply.id if reply else None)
        elif self.mode is Mode.DIRECT and self.peer is not None:
            self.directMessageRequested.emit(self.peer[0], self.peer[1], text)

    def _typing(self) -> None:
        circle_id = self.current_circle_id()
        if circle_id is not None:
            self.typingActivity.emit(circle_id)

    def _invite(self) -> None:
        if self.circle is not None:
            self.inviteRequested.emit(self.circle.id)

    def _panel(self) -> None:
        if self.circle is not None:
            self.circlePanelRequested.emit(self.circle.id)

    def _refresh_empty(self) -> None:
        empty = self.model.rowCount() == 0
        self.no_posts.setVisible(empty)
        self.messages.setVisible(not empty)
