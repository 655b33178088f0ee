"""The posts of one conversation, oldest first, paged in from the core as the person scrolls up.

The model holds :class:`~messenger.views.PostView` rows sorted by (time, sequence, id). It never
asks the core for anything itself: when the view is near the top and there is more history,
``fetchMore`` emits :attr:`ConversationModel.fetchOlder` with the oldest post held, and whoever
answers calls :meth:`ConversationModel.prepend_page`. Live posts arrive by :meth:`add_post`;
a post already held (by id) is updated in place, never shown twice.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from messenger.views import DeliveryState, PostView, QuoteView, ReactionView

translate = QCoreApplication.translate
CONTINUATION_SECONDS = 5 * 60  # a post this soon after the same author's joins their group
NOTICE_KEY = bytes(32)  # the "author" of a timeline line (someone joined or left, ...)

ModelIndex = QModelIndex | QPersistentModelIndex


class PostRole(IntEnum):
    POST = Qt.ItemDataRole.UserRole + 1  # the PostView
    REVEALED = Qt.ItemDataRole.UserRole + 2  # bool: a content warning was clicked open
    CONTINUED = Qt.ItemDataRole.UserRole + 3  # bool: same author as the row above, soon after
    STATE = Qt.ItemDataRole.UserRole + 4  # DeliveryState


def sort_key(post: PostView) -> tuple[float, int, bytes]:
    return (post.ts, post.seq, post.id)


def accessible_text(post: PostView, revealed: bool, deleted: bool = False) -> str:
    """What a screen reader says for a post: who, when, what it answers, the text (unless
    behind a warning), and its reactions."""
    who = post.author or translate("ConversationModel", "Anonymous")
    when = datetime.fromtimestamp(post.ts).strftime("%H:%M")
    if deleted:
        return translate("ConversationModel", "{who}, {when}: this post was deleted.").format(
            who=who, when=when
        )
    said = _said(post, revealed)
    extra = [quote_text(post.quote)] if post.quote is not None else []
    extra += [
        translate("ConversationModel", "{label}: {n}").format(label=r.label, n=r.count)
        for r in post.reactions
    ]
    return said if not extra else said + " (" + "; ".join(extra) + ")"


def quote_text(quote: QuoteView) -> str:
    """What a reply answers, in words (for screen readers and the composer's reply bar)."""
    if quote.deleted:
        return translate("ConversationModel", "in reply to a post that was deleted")
    if quote.hidden:
        return translate("ConversationModel", "in reply to a hidden post")
    who = quote.author or translate("ConversationModel", "Anonymous")
    return translate("ConversationModel", "in reply to {who}: {body}").format(
        who=who, body=quote.body
    )


def _said(post: PostView, revealed: bool) -> str:
    who = post.author or translate("ConversationModel", "Anonymous")
    when = datetime.fromtimestamp(post.ts).strftime("%H:%M")
    if post.hidden:
        return translate("ConversationModel", "{who}, {when}: this post is hidden.").format(
            who=who, when=when
        )
    if post.content_warning and not revealed:
        return translate(
            "ConversationModel", "{who}, {when}: content warning: {warning}. Press Enter to show."
        ).format(who=who, when=when, warning=post.content_warning)
    return translate("ConversationModel", "{who}, {when}: {body}").format(
        who=who, when=when, body=post.body
    )


class ConversationModel(QAbstractListModel):
    """PostView rows, oldest first; pages of older posts are asked for, live posts appended."""

    fetchOlder = Signal(object)  # the oldest PostView held: "send the page before it"
    # rows whose height may have changed (reveal, hide, edit): views re-measure them
    sizeChanged = Signal(int, int)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PostView] = []
        self._by_id: dict[bytes, PostView] = {}
        self._revealed: set[bytes] = set()
        self._deleted: set[bytes] = set()  # deleted for everyone by their authors, while shown
        self._notices: set[bytes] = set()  # timeline lines, not posts
        self._has_older = False
        self._pending = False
        self._gate: Callable[[], bool] | None = None

    # -- reading ---------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self._rows):
            return None
        post = self._rows[row]
        if role == PostRole.POST:
            return post
        if role == PostRole.REVEALED:
            return post.id in self._revealed
        if role == PostRole.CONTINUED:
            return self.is_continued(row)
        if role == PostRole.STATE:
            return post.state
        if post.id in self._notices and role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return post.body
        if role == Qt.ItemDataRole.DisplayRole:
            if post.id in self._deleted:
                return translate("ConversationModel", "This post was deleted.")
            if post.hidden:
                return translate("ConversationModel", "This post is hidden.")
            if post.content_warning and post.id not in self._revealed:
                return post.content_warning
            return post.body
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return accessible_text(post, post.id in self._revealed, post.id in self._deleted)
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def post_at(self, row: int) -> PostView:
        return self._rows[row]

    def is_revealed(self, post_id: bytes) -> bool:
        return post_id in self._revealed

    def is_deleted(self, post_id: bytes) -> bool:
        return post_id in self._deleted

    def is_notice(self, post_id: bytes) -> bool:
        """A timeline line (someone joined or left; history from before I joined), no post."""
        return post_id in self._notices

    def add_notice(self, circle_id: bytes, text: str, ts: float) -> PostView:
        """A calm line in the timeline at ``ts``: centred, no bubble, no actions."""
        digest = hashlib.blake2b(f"{ts}:{text}".encode(), digest_size=32).digest()
        notice = PostView(
            circle_id=circle_id,
            id=digest,
            author_key=NOTICE_KEY,
            author="",
            seq=0,
            ts=ts,
            body=text,
        )
        self._notices.add(notice.id)
        self.add_post(notice)
        return notice

    def is_continued(self, row: int) -> bool:
        """True when the row above is by the same author, shortly before: no name, no avatar."""
        if row <= 0 or row >= len(self._rows):
            return False
        post, above = self._rows[row], self._rows[row - 1]
        return (
            bool(post.author)
            and above.author_key != NOTICE_KEY
            and post.author_key == above.author_key
            and post.author == above.author
            and not above.hidden
            and 0 <= post.ts - above.ts < CONTINUATION_SECONDS
        )

    def row_of(self, post_id: bytes) -> int | None:
        post = self._by_id.get(post_id)
        if post is None:
            return None
        row = bisect.bisect_left(self._rows, sort_key(post), key=sort_key)
        if row < len(self._rows) and self._rows[row].id == post_id:
            return row
        return None  # pragma: no cover - the index and the rows agree by construction

    def posts(self) -> list[PostView]:
        return list(self._rows)

    def __contains__(self, post_id: object) -> bool:
        return post_id in self._by_id

    @property
    def has_older(self) -> bool:
        return self._has_older

    @property
    def fetch_pending(self) -> bool:
        return self._pending

    # -- paging ----------------------------------------------------------------------------
    def set_fetch_gate(self, gate: Callable[[], bool] | None) -> None:
        """Only fetch older posts while ``gate()`` is true (the view: "scrolled near the top")."""
        self._gate = gate

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or not self._has_older or self._pending or not self._rows:
            return False
        return self._gate is None or self._gate()

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        self._pending = True
        self.fetchOlder.emit(self._rows[0])

    def reset(self, posts: Iterable[PostView], has_older: bool) -> None:
        """Show a new conversation: its newest page, and whether there is more before it."""
        self.beginResetModel()
        unique = {p.id: p for p in posts}
        self._rows = sorted(unique.values(), key=sort_key)
        self._by_id = unique
        self._revealed.clear()
        self._deleted.clear()
        self._notices.clear()
        self._has_older = has_older
        self._pending = False
        self.endResetModel()

    def clear(self) -> None:
        self.reset((), False)

    def prepend_page(self, posts: Iterable[PostView], has_older: bool) -> int:
        """The answer to :attr:`fetchOlder`: older posts; returns how many rows were added."""
        self._pending = False
        self._has_older = has_older
        fresh = sorted({p.id: p for p in posts if p.id not in self._by_id}.values(), key=sort_key)
        if not fresh:
            return 0
        if self._rows:
            oldest = sort_key(self._rows[0])
            cut = bisect.bisect_left(fresh, oldest, key=sort_key)
            older, overlapping = fresh[:cut], fresh[cut:]
        else:
            older, overlapping = fresh, []
        added = 0
        if older:
            self.beginInsertRows(QModelIndex(), 0, len(older) - 1)
            self._rows[0:0] = older
            for p in older:
                self._by_id[p.id] = p
            self.endInsertRows()
            added += len(older)
            self._changed_size(len(older), len(older))  # the old first row may now continue
        for p in overlapping:
            added += int(self.add_post(p))
        return added

    def trim_oldest(self, keep: int) -> int:
        """Drop all but the newest ``keep`` rows (they can be paged in again); returns how many."""
        extra = len(self._rows) - max(0, keep)
        if extra <= 0:
            return 0
        self.beginRemoveRows(QModelIndex(), 0, extra - 1)
        for post in self._rows[:extra]:
            del self._by_id[post.id]
            self._revealed.discard(post.id)
        del self._rows[:extra]
        self._has_older = True
        self.endRemoveRows()
        self._changed_size(0, 0)
        return extra

    # -- live changes ----------------------------------------------------------------------
    def add_post(self, post: PostView) -> bool:
        """Insert a live or synced post in order; a post already held is updated instead."""
        if post.id in self._by_id:
            self.update_post(post)
            return False
        key = sort_key(post)
        if not self._rows or key >= sort_key(self._rows[-1]):
            row = len(self._rows)
        else:
            row = bisect.bisect_left(self._rows, key, key=sort_key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, post)
        self._by_id[post.id] = post
        self.endInsertRows()
        if row + 1 < len(self._rows):
            self._changed_size(row + 1, row + 1)
        return True

    def update_post(self, post: PostView) -> bool:
        """Replace a held post with a newer snapshot of it (same id and place)."""
        row = self.row_of(post.id)
        if row is None:
            return False
        old = self._rows[row]
        if old == post:
            return True
        if sort_key(old) != sort_key(post):  # moved in time: take it out and put it back
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            del self._by_id[post.id]
            self.endRemoveRows()
            self.add_post(post)
            return True
        self._rows[row] = post
        self._by_id[post.id] = post
        sized = (
            old.hidden,
            old.body,
            old.content_warning,
            old.author,
            old.reactions,
            old.quote,
        ) != (post.hidden, post.body, post.content_warning, post.author, post.reactions, post.quote)
        index = self.index(row)
        self.dataChanged.emit(index, index, [])
        if sized:
            self._changed_size(row, min(row + 1, len(self._rows) - 1))
        return True

    def update_state(self, post_id: bytes, state: DeliveryState) -> bool:
        """A delivery state changed (sent, delivered, read, failed); false if not held."""
        row = self.row_of(post_id)
        if row is None:
            return False
        post = self._rows[row]
        if post.state is not state:
            self._rows[row] = self._by_id[post_id] = replace(post, state=state)
            index = self.index(row)
            self.dataChanged.emit(index, index, [int(PostRole.STATE)])
        return True

    def set_hidden(self, post_id: bytes, hidden: bool) -> bool:
        """A moderator hid a post, or a block/boundary hides it here; false if not held."""
        row = self.row_of(post_id)
        if row is None:
            return False
        return self.update_post(replace(self._rows[row], hidden=hidden))

    def set_reactions(self, post_id: bytes, reactions: tuple[ReactionView, ...]) -> bool:
        """A post's reactions changed; false if not held."""
        row = self.row_of(post_id)
        if row is None:
            return False
        return self.update_post(replace(self._rows[row], reactions=reactions))

    def mark_deleted(self, post_id: bytes) -> bool:
        """Its author deleted a post for everyone: its text goes, a calm placeholder stays
        ("This post was deleted"), and replies to it say so in their quote."""
        for reply in [p for p in self._rows if p.quote is not None and p.quote.id == post_id]:
            self.update_post(replace(reply, quote=QuoteView(post_id, "", "", deleted=True)))
        row = self.row_of(post_id)
        if row is None:
            return False
        self._deleted.add(post_id)
        self._revealed.discard(post_id)
        gone = replace(
            self._rows[row], body="", content_warning=None, reactions=(), quote=None, hidden=True
        )
        return self.update_post(gone)

    def remove_post(self, post_id: bytes) -> bool:
        row = self.row_of(post_id)
        if row is None:
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        del self._by_id[post_id]
        self._revealed.discard(post_id)
        self.endRemoveRows()
        if row < len(self._rows):
            self._changed_size(row, row)
        return True

    def set_revealed(self, row: int, revealed: bool) -> None:
        """Open (or close again) a post's content warning."""
        post = self._rows[row]
        if not post.content_warning or (post.id in self._revealed) == revealed:
            return
        if revealed:
            self._revealed.add(post.id)
        else:
            self._revealed.discard(post.id)
        index = self.index(row)
        self.dataChanged.emit(index, index, [int(PostRole.REVEALED)])
        self._changed_size(row, row)

    def toggle_revealed(self, row: int) -> None:
        self.set_revealed(row, self._rows[row].id not in self._revealed)

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if index.isValid() and role == PostRole.REVEALED:
            self.set_revealed(index.row(), bool(value))
            return True
        return False

    def _changed_size(self, first: int, last: int) -> None:
        if 0 <= first <= last < len(self._rows):
            self.sizeChanged.emit(first, last)
