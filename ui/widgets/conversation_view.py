"""The list of bubbles: keeps to the newest post, asks for older ones near the top, stays put."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QMenu, QWidget

from messenger.views import PostView

from ..models.conversation import ConversationModel
from .bubble_delegate import BubbleDelegate
from .reaction_words import reaction_label, reaction_names

ModelIndex = QModelIndex | QPersistentModelIndex


MAX_ROWS = 3000  # at the bottom with more rows than this, the oldest are let go …
KEEP_ROWS = 2000  # … down to this many (scrolling up pages them in again)
FOLLOW_MS = 30  # live posts in a burst are laid out together, this long after the first


class ConversationView(QListView):
    """A QListView of :class:`ConversationModel` rows painted by :class:`BubbleDelegate`.

    Older pages are fetched when the person scrolls within a screen of the top (never because
    the newest post is visible); after a page is prepended the view keeps what was on screen
    in place; a live post keeps the view at the bottom when it was there. While the person
    reads the newest posts, rows beyond :data:`MAX_ROWS` are let go so that a live post never
    waits for a long history to be laid out again.
    """

    reportPostRequested = Signal(object)  # PostView: report it (and its author)
    hidePostRequested = Signal(object)  # PostView: hide it for everyone (moderators)
    replyRequested = Signal(object)  # PostView: answer it (the composer shows it)
    reactRequested = Signal(object, str)  # PostView, reaction name: give it, or take mine back
    deleteRequested = Signal(object)  # PostView of mine: delete it for everyone (asks first)

    def __init__(self, model: ConversationModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ConversationView")
        self.can_moderate = False  # the controller sets it for hosts and moderators
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.setAccessibleName(self.tr("Messages"))
        self.conversation_model = model
        self.delegate = BubbleDelegate(model, self)
        self.delegate.set_font(self.font())
        self.delegate.reactionClicked.connect(self.reactRequested)
        self.can_act = False  # the controller sets it in a circle I may write in (not DMs)
        self.setModel(model)
        self.setItemDelegate(self.delegate)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalScrollBar().setSingleStep(24)
        self.setUniformItemSizes(False)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setMouseTracking(False)
        self.setSpacing(0)
        self.setViewportMargins(0, 0, 0, 10)
        self._pin_bottom = True
        self._follow = QTimer(self)  # one relayout and scroll for a burst of live posts
        self._follow.setSingleShot(True)
        self._follow.setInterval(FOLLOW_MS)
        self._follow.timeout.connect(self._follow_bottom)
        self._prepend_distance: int | None = None
        self.max_rows, self.keep_rows = MAX_ROWS, KEEP_ROWS
        model.set_fetch_gate(self.near_top)
        model.sizeChanged.connect(self._size_changed)
        model.rowsAboutToBeInserted.connect(self._before_insert)
        model.modelReset.connect(self._after_reset)

    # -- paging ----------------------------------------------------------------------------
    def near_top(self) -> bool:
        """Within one screen of the oldest post held (or everything fits on screen)."""
        bar = self.verticalScrollBar()
        return bar.value() <= max(self.viewport().height(), 200)

    def at_bottom(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - 4

    def verticalScrollbarValueChanged(self, value: int) -> None:
        # Not the base behaviour (it fetches when the bottom is reached): older posts are above.
        self._pin_bottom = self.at_bottom()
        model = self.conversation_model
        if model.canFetchMore(QModelIndex()):
            model.fetchMore(QModelIndex())

    def _before_insert(self, parent: ModelIndex, first: int, last: int) -> None:
        bar = self.verticalScrollBar()
        rows = self.conversation_model.rowCount()
        if first == 0 and rows > 0:
            self._prepend_distance = bar.maximum() - bar.value()
        elif not self._follow.isActive():  # while a follow is due, the view is still pinned
            self._pin_bottom = self.at_bottom() or rows == 0

    def rowsInserted(self, parent: ModelIndex, start: int, end: int) -> None:
        super().rowsInserted(parent, start, end)
        if self._prepend_distance is not None:
            distance, self._prepend_distance = self._prepend_distance, None
            self.executeDelayedItemsLayout()
            self.updateGeometries()
            bar = self.verticalScrollBar()
            bar.setValue(max(0, bar.maximum() - distance))
        elif self._pin_bottom:
            # Not now: a catch-up brings hundreds of posts in one go, and laying the list out
            # again for each one made 10,000 posts take over a minute. Once, when they are in.
            self._follow.start()

    def _follow_bottom(self) -> None:
        if not self._pin_bottom:
            return
        model = self.conversation_model
        if model.rowCount() > self.max_rows:  # pinned: let the oldest go before laying out
            model.trim_oldest(self.keep_rows)
        self.scrollToBottom()

    def trim(self) -> int:
        """Let the oldest rows go when the view is at the bottom and holds too many."""
        model = self.conversation_model
        if not self.at_bottom() or model.rowCount() <= self.max_rows:
            return 0
        removed = model.trim_oldest(self.keep_rows)
        self.scrollToBottom()
        return removed

    def _after_reset(self) -> None:
        self._pin_bottom = True
        self.scrollToBottom()

    def _size_changed(self, first: int, last: int) -> None:
        pinned = self.at_bottom()
        self.delegate.forget_rows(first, last)
        self.delegate.sizeHintChanged.emit(self.conversation_model.index(first))
        if pinned:
            self.scrollToBottom()

    def scrollToBottom(self) -> None:
        if not self.isVisible():  # laid out when shown, at its real width (measured once)
            self._pin_bottom = True
            return
        self.delegate.set_width(self.viewport().width())
        self.executeDelayedItemsLayout()
        super().scrollToBottom()

    def showEvent(self, event: QShowEvent) -> None:
        self.delegate.set_width(self.viewport().width())
        super().showEvent(event)
        if self._pin_bottom:
            self.scrollToBottom()

    # -- actions on a post -----------------------------------------------------------------
    def post_menu(self, post: PostView) -> QMenu:
        """Copy; report (others' posts); hide (hosts and moderators). Built for ``post``."""
        menu = QMenu(self)
        menu.setAccessibleName(self.tr("Actions on this message"))
        model = self.conversation_model
        if model.is_notice(post.id) or model.is_deleted(post.id):
            return menu  # a timeline line, or a deleted post: nothing left to act on
        actions: list[tuple[str, Callable[[], object]]] = []
        if not post.hidden:
            actions.append((self.tr("Copy text"), lambda: self.copy_post(post)))
        if post.content_warning and not post.hidden:
            row = self.conversation_model.row_of(post.id)
            if row is not None:
                shown = self.conversation_model.is_revealed(post.id)
                text = self.tr("Hide the message again") if shown else self.tr("Show the message")
                actions.append((text, lambda: self.conversation_model.toggle_revealed(row)))
        usable = self.can_act and not post.hidden
        if usable:
            actions.append((self.tr("Reply"), lambda: self.replyRequested.emit(post)))
        if not post.mine:
            actions.append((self.tr("Report…"), lambda: self.reportPostRequested.emit(post)))
        if self.can_moderate and not post.hidden:
            actions.append(
                (self.tr("Hide for everyone"), lambda: self.hidePostRequested.emit(post))
            )
        if usable and self.can_delete(post):
            actions.append(
                (self.tr("Delete for everyone…"), lambda: self.deleteRequested.emit(post))
            )
        for text, slot in actions:
            action = QAction(text, menu)
            action.triggered.connect(slot)
            menu.addAction(action)
        if usable:
            react = menu.addMenu(self.tr("React"))
            react.setAccessibleName(self.tr("React to this message"))
            mine = {r.name for r in post.reactions if r.mine}
            for number, name in enumerate(reaction_names(), start=1):
                action = QAction(f"&{number}  {reaction_label(name)}", react)
                action.setCheckable(True)
                action.setChecked(name in mine)
                action.triggered.connect(lambda _=False, n=name: self.reactRequested.emit(post, n))
                react.addAction(action)
        return menu

    def can_delete(self, post: PostView) -> bool:
        """Mine, and not anonymous: an anonymous post is never tied to my key (a moderator can
        hide it instead)."""
        return post.mine and not post.anonymous and not self.conversation_model.is_deleted(post.id)

    def select_post(self, post_id: bytes) -> bool:
        """Scroll to a post held here and select it (a search result's jump)."""
        row = self.conversation_model.row_of(post_id)
        if row is None:
            return False
        index = self.conversation_model.index(row)
        self._pin_bottom = False
        self.setCurrentIndex(index)
        self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def copy_post(self, post: PostView) -> None:
        QGuiApplication.clipboard().setText(post.body)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.indexAt(pos)
        if not index.isValid():
            index = self.currentIndex()
            pos = self.visualRect(index).center()
        if not index.isValid():
            return
        menu = self.post_menu(self.conversation_model.post_at(index.row()))
        if menu.actions():
            menu.popup(self.viewport().mapToGlobal(pos))

    # -- events ----------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        pinned = self.at_bottom()
        if self.delegate.set_width(self.viewport().width()):
            self.scheduleDelayedItemsLayout()
        super().resizeEvent(event)
        if pinned:
            self.scrollToBottom()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.delegate.set_font(self.font())
            self.scheduleDelayedItemsLayout()
        super().changeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        if index.isValid() and self._post_key(event, self.conversation_model.post_at(index.row())):
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and (
            index.isValid()
        ):
            self.conversation_model.toggle_revealed(index.row())
            event.accept()
            return
        super().keyPressEvent(event)

    def _post_key(self, event: QKeyEvent, post: PostView) -> bool:
        """R replies, 1-4 react, Delete deletes my own post (after asking)."""
        if (
            not self.can_act
            or post.hidden
            or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            return False
        key, first = int(event.key()), int(Qt.Key.Key_1)
        names = reaction_names()
        if key == int(Qt.Key.Key_R):
            self.replyRequested.emit(post)
        elif first <= key < first + len(names):
            self.reactRequested.emit(post, names[key - first])
        elif key == int(Qt.Key.Key_Delete) and self.can_delete(post):
            self.deleteRequested.emit(post)
        else:
            return False
        return True
