"""Key pinning: the first key seen under a name in a circle is remembered; a different key
under the same name later is flagged loudly (:attr:`PinStatus.CHANGED`) until the person
accepts it (typically after comparing safety numbers).

Names are compared the way people read them (:func:`messenger.pseudonym.comparison_key`:
case-folded, compatibility-normalised), so "quiet heron" cannot quietly replace "Quiet Heron".
A member id (the key in hex) works as the name too.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from .errors import HearthError
from .pseudonym import comparison_key

PINS_FORMAT = 1
KEY_SIZE = 32


class PinStatus(Enum):
    NEW = "new"  # first sight: now pinned
    SAME = "same"  # the pinned key
    CHANGED = "changed"  # a different key under a pinned name: warn, do not trust silently


class PinningError(HearthError):
    code = "bad_pins"


@dataclass(frozen=True)
class PinResult:
    status: PinStatus
    who: str
    key: bytes  # the key seen now
    pinned: bytes  # the key pinned (equal to ``key`` unless CHANGED)

    @property
    def changed(self) -> bool:
        return self.status is PinStatus.CHANGED


class KeyPins:
    """Pins per (circle id, name). Serialise with :meth:`to_dict` into the encrypted store."""

    def __init__(self) -> None:
        self._pins: dict[tuple[bytes, str], bytes] = {}

    def __len__(self) -> int:
        return len(self._pins)

    @staticmethod
    def _slot(circle_id: bytes, who: str) -> tuple[bytes, str]:
        return bytes(circle_id), comparison_key(who)

    def check(self, circle_id: bytes, who: str, key: bytes) -> PinResult:
        """Compare ``key`` with the pin for ``who`` in the circle; pin it on first sight."""
        if not isinstance(key, bytes) or len(key) != KEY_SIZE:
            raise PinningError("a member key must be 32 bytes")
        slot = self._slot(circle_id, who)
        pinned = self._pins.get(slot)
        if pinned is None:
            self._pins[slot] = key
            return PinResult(PinStatus.NEW, who, key, key)
        if pinned == key:
            return PinResult(PinStatus.SAME, who, key, pinned)
        return PinResult(PinStatus.CHANGED, who, key, pinned)

    def pinned(self, circle_id: bytes, who: str) -> bytes | None:
        return self._pins.get(self._slot(circle_id, who))

    def accept(self, circle_id: bytes, who: str, key: bytes) -> None:
        """Pin ``key`` for ``who`` (the person accepted a changed key)."""
        if not isinstance(key, bytes) or len(key) != KEY_SIZE:
            raise PinningError("a member key must be 32 bytes")
        self._pins[self._slot(circle_id, who)] = key

    def forget(self, circle_id: bytes, who: str | None = None) -> None:
        """Forget one name's pin, or every pin of the circle (on leaving it)."""
        if who is not None:
            self._pins.pop(self._slot(circle_id, who), None)
            return
        for slot in [slot for slot in self._pins if slot[0] == circle_id]:
            del self._pins[slot]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": PINS_FORMAT,
            "pins": [[circle, who, key] for (circle, who), key in sorted(self._pins.items())],
        }

    @classmethod
    def from_dict(cls, data: object) -> KeyPins:
        if not isinstance(data, dict) or data.get("format") != PINS_FORMAT:
            raise PinningError("unknown stored pins format")
        rows = data.get("pins")
        if not isinstance(rows, list):
            raise PinningError("stored pins are malformed")
        pins = cls()
        for row in rows:
            if not (isinstance(row, list | tuple) and len(row) == 3):
                raise PinningError("stored pins are malformed")
            circle, who, key = row
            if not (isinstance(circle, bytes) and isinstance(who, str) and isinstance(key, bytes)):
                raise PinningError("stored pins are malformed")
            if len(key) != KEY_SIZE:
                raise PinningError("stored pins are malformed")
            pins.accept(circle, who, key)
        return pins
