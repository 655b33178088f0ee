"""Avatars: a colour circle with initials, from :mod:`messenger.avatar` (never from a photo)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter

from messenger import avatar as core_avatar

_cache: dict[tuple[bytes, str], tuple[QColor, QColor, str]] = {}
_CACHE_LIMIT = 4096


def avatar_for(key: bytes, pseudonym: str) -> tuple[QColor, QColor, str]:
    """Background colour, text colour and initials; anonymous posts get a neutral grey "?"."""
    found = _cache.get((key, pseudonym))
    if found is not None:
        return found
    a = core_avatar.avatar_for(pseudonym, key) if pseudonym else core_avatar.anonymous()
    result = (QColor(a.colour), QColor(a.text_colour), a.initials)
    if len(_cache) >= _CACHE_LIMIT:
        _cache.clear()
    _cache[(key, pseudonym)] = result
    return result


def paint_avatar(painter: QPainter, rect: QRectF, key: bytes, pseudonym: str) -> None:
    colour, text_colour, letters = avatar_for(key, pseudonym)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(rect)
    font = QFont(painter.font())
    font.setBold(True)
    font.setPixelSize(max(8, int(rect.height() * 0.40)))
    painter.setFont(font)
    painter.setPen(text_colour)
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), letters)
    painter.restore()
