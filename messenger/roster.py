"""Who is in a circle, as this member knows it: signed identity statements, gossiped.

A post names its author only by key; members learn the author's pseudonym from the author's own
signed statement (the one it shows in every handshake), passed along by whoever has it. So a
member who never met the author directly still sees the right pseudonym, and nobody can put a
name on someone else's key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

import msgpack

from network import strictpack

from . import pseudonym as pseudonyms
from .errors import HearthError
from .identity import IdentityError, VerifiedIdentity, verify

MAX_ENTRIES = 256
MAX_UPDATE_BYTES = 64 * 1024
ENTRIES, SUMMARY, WANT = 1, 2, 3  # the kinds of roster message
ASK_AGAIN_MS = 10_000  # an entry asked for and not received is asked of another after this
ID_BYTES = 8


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

    @property
    def short_id(self) -> bytes:
        """What a summary names this exact entry by (a new statement gets a new id)."""
        h = hashlib.blake2b(digest_size=ID_BYTES, person=b"hearth-roster-id")
        h.update(len(self.statement).to_bytes(4, "big") + self.statement + self.noise_static)
        return h.digest()


@dataclass(frozen=True)
class Summary:
    """A member's roster by short ids: the receiver asks for the entries it lacks (a
    :class:`Want`) and, only when ``answer`` is set, sends back the entries the sender lacks."""

    ids: frozenset[bytes]
    answer: bool

    def encode(self) -> bytes:
        items = sorted(self.ids)[:MAX_ENTRIES]
        return bytes(msgpack.packb([SUMMARY, items, self.answer], use_bin_type=True))

    @classmethod
    def of(cls, entries: Iterable[RosterEntry], *, answer: bool) -> Summary:
        return cls(frozenset(e.short_id for e in entries), answer)

    def lacking(self, entries: Iterable[RosterEntry]) -> list[RosterEntry]:
        """Which of ``entries`` the summary's sender does not have."""
        return [e for e in entries if e.short_id not in self.ids]

    def unknown_to(self, entries: Iterable[RosterEntry]) -> bool:
        """Whether the summary names an entry not among ``entries``."""
        return bool(self.ids - {e.short_id for e in entries})


@dataclass(frozen=True)
class Want:
    """The entries named by these short ids, please (the answer to a :class:`Summary` that
    names entries we lack: asked of one member, not pushed by every member who has them)."""

    ids: frozenset[bytes]

    def encode(self) -> bytes:
        items = sorted(self.ids)[:MAX_ENTRIES]
        return bytes(msgpack.packb([WANT, items], use_bin_type=True))


class RosterAsks:
    """Which entries we asked for and when, so that summaries from several members bring one
    ask, not one from each (an unanswered ask is made again after :data:`ASK_AGAIN_MS`)."""

    def __init__(self) -> None:
        self._asked: dict[bytes, int] = {}

    def take(self, ids: Iterable[bytes], now_ms: int) -> frozenset[bytes]:
        """Of ``ids``, those not asked for lately; they count as asked now."""
        fresh = frozenset(
            i for i in ids if now_ms - self._asked.get(i, -ASK_AGAIN_MS) >= ASK_AGAIN_MS
        )
        for i in fresh:
            self._asked[i] = now_ms
        if len(self._asked) > 4 * MAX_ENTRIES:  # a member naming junk ids cannot grow it
            self._asked = dict(list(self._asked.items())[-MAX_ENTRIES:])
        return fresh

    def answered(self, ids: Iterable[bytes]) -> None:
        """These arrived (learned or not): ask for them again when a summary names them."""
        for i in ids:
            self._asked.pop(i, None)


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

    def find(self, who: str) -> bytes | None:
        """A member's key by pseudonym (ignoring case and spacing) or a hex prefix (6+)."""
        wanted = pseudonyms.comparison_key(who)
        for entry in self._entries.values():
            if pseudonyms.comparison_key(entry.pseudonym) == wanted:
                return entry.member_key
        for entry in self._entries.values():
            if entry.member_key.hex().startswith(who.lower()) and len(who) >= 6:
                return entry.member_key
        return None

    def pseudonym(self, member_key: bytes) -> str | None:
        entry = self._entries.get(member_key)
        return entry.pseudonym if entry else None

    # -- gossip -------------------------------------------------------------------------

    @staticmethod
    def encode(entries: Iterable[RosterEntry]) -> bytes:
        items = [[e.statement, e.noise_static] for e in entries][:MAX_ENTRIES]
        return bytes(msgpack.packb([ENTRIES, items], use_bin_type=True))

    def read(self, data: bytes) -> list[RosterEntry] | Summary | Want:
        """A roster message: verified entries (see :meth:`decode`), a :class:`Summary` or a
        :class:`Want`."""
        value = _unpack(data)
        if isinstance(value, list) and len(value) == 2 and value[0] == WANT:
            ids = value[1]
            if not (isinstance(ids, list) and len(ids) <= MAX_ENTRIES):
                raise RosterError("roster want has the wrong shape")
            if not all(isinstance(i, bytes) and len(i) == ID_BYTES for i in ids):
                raise RosterError("roster want has a malformed id")
            return Want(frozenset(ids))
        if isinstance(value, list) and len(value) == 3 and value[0] == SUMMARY:
            ids, answer = value[1], value[2]
            if not (isinstance(ids, list) and isinstance(answer, bool)):
                raise RosterError("roster summary has the wrong shape")
            if not all(isinstance(i, bytes) and len(i) == ID_BYTES for i in ids):
                raise RosterError("roster summary has a malformed id")
            return Summary(frozenset(ids), answer)
        return self._entries_of(value)

    def decode(self, data: bytes) -> list[RosterEntry]:
        """Verify every statement in an update; raise RosterError on a malformed update, and
        skip (not raise) single statements that do not verify."""
        return self._entries_of(_unpack(data))

    def _entries_of(self, value: object) -> list[RosterEntry]:
        if not (isinstance(value, list) and len(value) == 2 and value[0] == ENTRIES):
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


def _unpack(data: bytes) -> object:
    if len(data) > MAX_UPDATE_BYTES:
        raise RosterError("roster update too large")
    try:
        return strictpack.unpack(data, max_array=MAX_ENTRIES)
    except strictpack.Undecodable as exc:
        raise RosterError("roster update is not msgpack") from exc
