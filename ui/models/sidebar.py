"""The sidebar's lists: circles (with unread counts), direct conversations, and people present."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, replace
from enum import IntEnum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from messenger.views import CircleView, DirectMessageView, MemberView, Role

translate = QCoreApplication.translate
ModelIndex = QModelIndex | QPersistentModelIndex
T = TypeVar("T")


class ItemRole(IntEnum):
    VIEW = Qt.ItemDataRole.UserRole + 1  # the view dataclass of the row
    UNREAD = Qt.ItemDataRole.UserRole + 2  # int
    KEY = Qt.ItemDataRole.UserRole + 3  # bytes: the key the avatar is drawn from ("" = none)
    PRESENT = Qt.ItemDataRole.UserRole + 4  # bool


def _unread_words(count: int) -> str:
    if count == 1:
        return translate("SidebarModels", "1 unread message")
    return translate("SidebarModels", "{count} unread messages").format(count=count)


class _ListModel(QAbstractListModel, Generic[T]):
    """Rows of frozen views, found again by a key, updated in place."""

    def __init__(self, key: Callable[[T], Hashable], parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[T] = []
        self._key = key

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def item_at(self, row: int) -> T:
        return self._rows[row]

    def items(self) -> list[T]:
        return list(self._rows)

    def row_of_key(self, key: Hashable) -> int | None:
        for row, item in enumerate(self._rows):
            if self._key(item) == key:
                return row
        return None

    def _set(self, items: Iterable[T]) -> None:
        self.beginResetModel()
        self._rows = list(items)
        self.endResetModel()

    def _upsert(self, item: T, at_end: bool = True) -> int:
        row = self.row_of_key(self._key(item))
        if row is None:
            row = len(self._rows) if at_end else 0
            self.beginInsertRows(QModelIndex(), row, row)
            self._rows.insert(row, item)
            self.endInsertRows()
        else:
            self._rows[row] = item
            index = self.index(row)
            self.dataChanged.emit(index, index, [])
        return row

    def _remove_key(self, key: Hashable) -> bool:
        row = self.row_of_key(key)
        if row is None:
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()
        return True

    def _move_to_top(self, row: int) -> None:
        if row > 0:
            self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), 0)
            self._rows.insert(0, self._rows.pop(row))
            self.endMoveRows()


class CircleListModel(_ListModel[CircleView]):
    """The circles I am in, in the order the core gives them; the badge is ``unread``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(lambda c: c.id, parent)
        self.open_id: bytes | None = None  # the circle on screen: its posts are being read

    def _seen(self, circle: CircleView) -> CircleView:
        """A badge never sits on the conversation being read, whatever the core counts."""
        return replace(circle, unread=0) if circle.id == self.open_id and circle.unread else circle

    def set_circles(self, circles: Iterable[CircleView]) -> None:
        self._set([self._seen(c) for c in circles])

    def upsert(self, circle: CircleView) -> int:
        return self._upsert(self._seen(circle))

    def set_open(self, circle_id: bytes | None) -> None:
        self.open_id = circle_id
        if circle_id is not None:
            self.set_unread(circle_id, 0)

    def remove(self, circle_id: bytes) -> bool:
        return self._remove_key(circle_id)

    def set_unread(self, circle_id: bytes, unread: int) -> bool:
        row = self.row_of_key(circle_id)
        if row is None:
            return False
        self._upsert(self._seen(replace(self._rows[row], unread=max(0, unread))))
        return True

    def circle(self, circle_id: bytes) -> CircleView | None:
        row = self.row_of_key(circle_id)
        return None if row is None else self._rows[row]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        c = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return c.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return c.description or None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            parts = [c.name]
            if c.role is Role.HOST:
                parts.append(translate("SidebarModels", "you host it"))
            if c.unread:
                parts.append(_unread_words(c.unread))
            return ", ".join(parts)
        if role == ItemRole.VIEW:
            return c
        if role == ItemRole.UNREAD:
            return c.unread
        if role == ItemRole.KEY:
            return b""
        return None


@dataclass(frozen=True)
class DirectConversation:
    """One row of the direct messages list: the latest message with a member, and the unread."""

    circle_id: bytes
    peer_key: bytes
    peer: str
    last: DirectMessageView | None  # None for a request (its messages wait until accepted)
    unread: int = 0
    request: bool = False  # they ask to talk privately; nothing is shown until I accept


class DirectListModel(_ListModel[DirectConversation]):
    """Direct conversations, the most recent first, fed with DirectMessageView rows."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(lambda d: (d.circle_id, d.peer_key), parent)
        self.open_key: tuple[bytes, bytes] | None = None  # the conversation on screen: no badge

    def set_latest(self, latest: Iterable[tuple[DirectMessageView, int]]) -> None:
        """Each conversation's latest message and its unread count."""
        rows = [DirectConversation(m.circle_id, m.peer_key, m.peer, m, n) for m, n in latest]
        rows.sort(key=lambda d: d.last.ts if d.last else 0.0, reverse=True)
        self._set(rows)

    def add_request(self, circle_id: bytes, peer_key: bytes, peer: str) -> None:
        """Someone asks to talk privately: a row at the top, with a badge, until I answer."""
        row = self.row_of_key((circle_id, peer_key))
        if row is None:
            row = self._upsert(DirectConversation(circle_id, peer_key, peer, None, 1, True))
        else:  # its first message may be listed already: mark the row as a request
            current = self._rows[row]
            self._upsert(replace(current, request=True, unread=max(1, current.unread)))
        self._move_to_top(row)

    def clear_request(self, circle_id: bytes, peer_key: bytes) -> None:
        """Accepted: an ordinary conversation (a row with no message yet goes; the messages
        that waited bring it back)."""
        row = self.row_of_key((circle_id, peer_key))
        if row is None:
            return
        current = self._rows[row]
        if current.last is None:
            self._remove_key((circle_id, peer_key))
        elif current.request:
            self._upsert(replace(current, request=False))

    def requests(self) -> list[DirectConversation]:
        return [d for d in self._rows if d.request]

    def conversation(self, circle_id: bytes, peer_key: bytes) -> DirectConversation | None:
        row = self.row_of_key((circle_id, peer_key))
        return None if row is None else self._rows[row]

    def remove(self, circle_id: bytes, peer_key: bytes) -> bool:
        return self._remove_key((circle_id, peer_key))

    def unread_total(self) -> int:
        return sum(d.unread for d in self._rows)

    def add_message(self, message: DirectMessageView, unread: bool | None = None) -> int:
        """A new message: its conversation moves to the top; incoming ones count as unread."""
        if unread is None:
            unread = not message.outgoing
        if (message.circle_id, message.peer_key) == self.open_key:
            unread = False  # a badge never sits on the conversation being read
        row = self.row_of_key((message.circle_id, message.peer_key))
        before = 0 if row is None else self._rows[row].unread
        request = row is not None and self._rows[row].request  # stays one until answered
        item = DirectConversation(
            message.circle_id,
            message.peer_key,
            message.peer,
            message,
            before + int(unread) if not request else max(1, before),
            request,
        )
        row = self._upsert(item)
        self._move_to_top(row)
        return 0

    def mark_read(self, circle_id: bytes, peer_key: bytes) -> bool:
        row = self.row_of_key((circle_id, peer_key))
        if row is None:
            return False
        if self._rows[row].unread:
            self._upsert(replace(self._rows[row], unread=0))
        return True

    def remove_circle(self, circle_id: bytes) -> None:
        for item in [d for d in self._rows if d.circle_id == circle_id]:
            self._remove_key((item.circle_id, item.peer_key))

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        d = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if d.request:
                return translate("SidebarModels", "{peer} asks to talk").format(peer=d.peer)
            return d.peer
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if d.request:
                return translate(
                    "SidebarModels", "{peer} asks to talk privately: open to accept or decline"
                ).format(peer=d.peer)
            text = translate("SidebarModels", "Direct messages with {peer}").format(peer=d.peer)
            return f"{text}, {_unread_words(d.unread)}" if d.unread else text
        if role == ItemRole.VIEW:
            return d
        if role == ItemRole.UNREAD:
            return d.unread
        if role == ItemRole.KEY:
            return d.peer_key
        return None


class PeopleListModel(_ListModel[MemberView]):
    """Members of my circles who are present now (never me), sorted by pseudonym."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(lambda m: (m.circle_id, m.key), parent)

    def set_members(self, members: Iterable[MemberView]) -> None:
        shown = [m for m in members if m.present and not m.is_me and not m.blocked]
        shown.sort(key=lambda m: m.pseudonym.casefold())
        self._set(shown)

    def update_member(self, member: MemberView) -> None:
        """A member arrived, left, or changed; shown only while present and not blocked."""
        if not member.present or member.is_me or member.blocked:
            self._remove_key((member.circle_id, member.key))
            return
        if self.row_of_key((member.circle_id, member.key)) is not None:
            self._upsert(member)
            return
        row = sum(1 for m in self._rows if m.pseudonym.casefold() < member.pseudonym.casefold())
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, member)
        self.endInsertRows()

    def remove_circle(self, circle_id: bytes) -> None:
        for m in [m for m in self._rows if m.circle_id == circle_id]:
            self._remove_key((m.circle_id, m.key))

    def set_circle_members(self, circle_id: bytes, members: Iterable[MemberView]) -> None:
        """The whole member list of one circle: whoever is no longer in it (removed, left)
        leaves the list too, not only those who come and go."""
        items = [m for m in members if m.circle_id == circle_id]
        keys = {m.key for m in items}
        for gone in [m for m in self._rows if m.circle_id == circle_id and m.key not in keys]:
            self._remove_key((gone.circle_id, gone.key))
        for member in items:
            self.update_member(member)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        m = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return m.pseudonym
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return translate("SidebarModels", "{name}, here now").format(name=m.pseudonym)
        if role == ItemRole.VIEW:
            return m
        if role == ItemRole.UNREAD:
            return 0
        if role == ItemRole.KEY:
            return m.key
        if role == ItemRole.PRESENT:
            return m.present
        return None
