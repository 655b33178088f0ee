"""Safety numbers compared in person: "they match, mark as verified", kept in the profile.

A verification holds for one member key and the safety number it gave: a changed key (or
number) is no longer verified, and the window says so. Nothing is sent to anyone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from .errors import HearthError
from .storage import AsyncStore
from .views import MemberView

SETTING = "verified_safety_numbers"


class NotComparable(HearthError):
    """There is no safety number to compare with that member (yet)."""

    code = "not_comparable"


class Verification:
    """Takes two narrow ports: a circle's members as the core sees them, and the open store."""

    def __init__(
        self, members: Callable[[bytes], list[MemberView]], store: Callable[[], AsyncStore]
    ) -> None:
        self._members = members
        self._store = store
        self._numbers: dict[tuple[bytes, bytes], str] = {}

    async def load(self) -> None:
        """Read the verifications kept in the profile (once it is open)."""
        saved = await self._store().get_setting(SETTING, [])
        self._numbers = {}
        for item in saved if isinstance(saved, list) else []:
            if isinstance(item, list | tuple) and len(item) == 3:
                circle, key, number = item
                if isinstance(circle, bytes) and isinstance(key, bytes) and isinstance(number, str):
                    self._numbers[(circle, key)] = number

    def holds(self, circle_id: bytes, key: bytes, safety_number: str) -> bool:
        return bool(safety_number) and self._numbers.get((circle_id, key)) == safety_number

    def apply(self, views: list[MemberView]) -> list[MemberView]:
        """``views`` with ``verified`` set where it holds (never with a changed key)."""
        return [
            replace(v, verified=True)
            if not v.is_me and not v.key_changed and self.holds(v.circle_id, v.key, v.safety_number)
            else v
            for v in views
        ]

    async def mark(self, circle_id: bytes, key: bytes) -> None:
        """I compared our safety number with this member in person and it matched."""
        member = next((m for m in self._members(circle_id) if m.key == key), None)
        if member is None or member.is_me or not member.safety_number:
            raise NotComparable("there is no safety number to compare with them yet")
        self._numbers[(circle_id, key)] = member.safety_number
        await self._save()

    async def forget(self, circle_id: bytes, key: bytes) -> None:
        if self._numbers.pop((circle_id, key), None) is not None:
            await self._save()

    async def _save(self) -> None:
        rows = [[c, k, n] for (c, k), n in self._numbers.items()]
        await self._store().set_setting(SETTING, rows)
