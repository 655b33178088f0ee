"""Who is in a circle, as this member knows it: signed identity statements, gossiped.

A post names its author only by key; members learn the author's pseudonym from the author's own
signed statement (the one it shows in every handshake), passed along by whoever has it. So a
member who never met the author directly still sees the right pseudonym, and nobody can put a
name on someone else's key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import msgpack

from network import strictpack

from .errors import HearthError
from .identity import IdentityError, VerifiedIdentity, verify

MAX_ENTRIES = 256
MAX_UPDATE_BYTES = 64 * 1024


class RosterError(HearthError):
    code = "malformed_roster"


@dataclass(frozen=True)
class RosterEntry:
    member_key: bytes
    pseudonym: str
    noise_static: bytes = field(repr=False)
    statement: bytes = field(repr=False)

    @classmethod
    def from_verified(cls, identity: VerifiedIdentity, statement: bytes) -> RosterEntry:
        return cls(identity.member_key, identity.pseudonym, identity.noise_static, statement)


class Roster:
    """The members of one circle we have a verified statement for, by member key."""

    def __init__(self, circle_id: bytes) -> None:
        self.circle_id = circle_id
        self._entries: dict[bytes, RosterEntry] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, member_key: object) -> bool:
        return member_key in self._entries

    def get(self, member_key: bytes) -> RosterEntry | None:
        return self._entries.get(member_key)

    def entries(self) -> list[RosterEntry]:
        return list(self._entries.values())

    def add(self, entry: RosterEntry) -> bool:
        """Add or update; True when this changed what we know."""
        old = self._entries.get(entry.member_key)
        if old == entry:
            return False
        if old is None and len(self._entries) >= MAX_ENTRIES:
            return False
        self._entries[entry.member_key] = entry
        return True

    def remove(self, member_key: bytes) -> None:
        self._entries.pop(member_key, None)

    def pseudonym(self, member_key: bytes) -> str | None:
        entry = self._entries.get(member_key)
        return entry.pseudonym if entry else None

    # -- gossip -------------------------------------------------------------------------

    @staticmethod
    def encode(entries: Iterable[RosterEntry]) -> bytes:
        items = [[e.statement, e.noise_static] for e in entries][:MAX_ENTRIES]
        return bytes(msgpack.packb([1, items], use_bin_type=True))

    def decode(self, data: bytes) -> list[RosterEntry]:
        """Verify every statement in an update; raise RosterError on a malformed update, and
        skip (not raise) single statements that do not verify."""
        if len(data) > MAX_UPDATE_BYTES:
            raise RosterError("roster update too large")
        try:
            value = strictpack.unpack(data, max_array=MAX_ENTRIES)
        except strictpack.Undecodable as exc:
            raise RosterError("roster update is not msgpack") from exc
        if not (isinstance(value, list) and len(value) == 2 and value[0] == 1):
            raise RosterError("roster update has the wrong shape")
        if not isinstance(value[1], list):
            raise RosterError("roster update has no entries")
        entries = []
        for item in value[1]:
            if not (isinstance(item, list) and len(item) == 2):
                continue
            statement, static = item
            if not (isinstance(statement, bytes) and isinstance(static, bytes)):
                continue
            try:
                identity = verify(statement, static, self.circle_id)
            except IdentityError:
                continue
            entries.append(RosterEntry.from_verified(identity, statement))
        return entries
