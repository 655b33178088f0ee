"""A circle's members for the circle panel: present first, then by name; me at the top."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from messenger.views import MemberView, Role

from .sidebar import ItemRole

translate = QCoreApplication.translate
ModelIndex = QModelIndex | QPersistentModelIndex


def role_text(role: Role) -> str:
    return {
        Role.HOST: translate("MemberListModel", "host"),
        Role.MODERATOR: translate("MemberListModel", "moderator"),
        Role.MEMBER: translate("MemberListModel", "member"),
    }[role]


def member_status(member: MemberView, cue: str = "") -> str:
    """The second line of a member row: role, presence, and what I set (blocked, muted)."""
    parts = [role_text(member.role)]
    parts.append(
        translate("MemberListModel", "here now")
        if member.present
        else translate("MemberListModel", "away")
    )
    if member.verified and not member.key_changed:
        parts.append(translate("MemberListModel", "verified in person"))
    if member.blocked:
        parts.append(translate("MemberListModel", "blocked"))
    elif member.muted:
        parts.append(translate("MemberListModel", "muted"))
    if cue:
        parts.append(cue)
    return " · ".join(parts)


def _order(m: MemberView) -> tuple[int, int, str]:
    return (0 if m.is_me else 1, 0 if m.present else 1, m.pseudonym.casefold())


class MemberListModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[MemberView] = []
        self._cues: dict[bytes, str] = {}

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def set_members(self, members: Iterable[MemberView]) -> None:
        self.beginResetModel()
        self._rows = sorted(members, key=_order)
        self.endResetModel()

    def update_member(self, member: MemberView) -> None:
        rows = [m for m in self._rows if m.key != member.key] + [member]
        self.set_members(rows)

    def set_cues(self, cues: dict[bytes, str]) -> None:
        """Local "usually replies within …" cues by member key (empty to hide them)."""
        self._cues = dict(cues)
        if self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1), [])

    def member_at(self, row: int) -> MemberView:
        return self._rows[row]

    def members(self) -> list[MemberView]:
        return list(self._rows)

    def row_of(self, key: bytes) -> int | None:
        for row, m in enumerate(self._rows):
            if m.key == key:
                return row
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        m = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if m.is_me:
                return translate("MemberListModel", "{name} (you)").format(name=m.pseudonym)
            return m.pseudonym
        if role == Qt.ItemDataRole.ToolTipRole:
            return member_status(m, self._cues.get(m.key, ""))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = f"{m.pseudonym}, {member_status(m, self._cues.get(m.key, ''))}"
            if m.key_changed:
                text += ", " + translate("MemberListModel", "warning: key changed")
            return text
        if role == ItemRole.VIEW:
            return m
        if role == ItemRole.KEY:
            return m.key
        if role == ItemRole.PRESENT:
            return m.present
        return None

    def cue(self, key: bytes) -> str:
        return self._cues.get(key, "")
