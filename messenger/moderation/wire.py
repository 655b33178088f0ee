"""The messages of the moderation lane (``Lane.MODERATION``): msgpack arrays, a type tag first::

    DIGEST     [1, digest (32), count]          the events I hold, summarised
    EVENTS     [2, [signed event, ...], [also]] moderation events, and who else they went to
    HANDOVERS  [3, [hand-over, ...]]            sealed new secrets (:mod:`.rotation`)
    REPORT     [4, sealed report]               for moderators only (:mod:`.reports`)

Events are few, so they spread simply: on connect each side sends DIGEST; a side whose digest
differs sends every event it holds (in chunks), the other keeps what it lacks. An event accepted
live is passed on to every other linked member *not named* in ``also``: each sender names (by
8-byte key prefix, :data:`PREFIX`) itself and every member it sends the event to, so in a full
mesh the author's one round reaches everyone and nobody passes it on (each event used to cost
every member a message to every other, O(N²) per event); across missing links it spreads on from
whoever has links the names do not cover. A push lost with a dying link is caught up by the
DIGEST of the next connect. Decoding is strict and bounded; anything else
raises :class:`~.errors.WireError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from . import codec
from .codec import Bad, fail, strict
from .envelope import MAX_EVENT
from .errors import Reason, WireError
from .reports import MAX_REPORT
from .rotation import MAX_HANDOVER

MAX_MESSAGE = 64 * 1024 - 64  # what one channel message carries, with the lane tag
MAX_ITEMS = 256
MAX_ALSO = 256  # member prefixes in one EVENTS message (a circle's roster cap)
PREFIX = 8  # bytes of a member key that name it in ``also``
DIGEST_LEN = 32


class MsgType(IntEnum):
    DIGEST = 1
    EVENTS = 2
    HANDOVERS = 3
    REPORT = 4


@dataclass(frozen=True)
class Digest:
    digest: bytes
    count: int


@dataclass(frozen=True)
class Events:
    events: tuple[bytes, ...]
    also: tuple[bytes, ...] = ()  # key prefixes of members that were sent these too


@dataclass(frozen=True)
class Handovers:
    handovers: tuple[bytes, ...]


@dataclass(frozen=True)
class Report:
    data: bytes


Message = Digest | Events | Handovers | Report


def encode(msg: Message) -> bytes:
    fields: list[Any]
    match msg:
        case Digest():
            fields = [MsgType.DIGEST, msg.digest, msg.count]
        case Events():
            fields = [MsgType.EVENTS, list(msg.events), list(msg.also[:MAX_ALSO])]
        case Handovers():
            fields = [MsgType.HANDOVERS, list(msg.handovers)]
        case Report():
            fields = [MsgType.REPORT, msg.data]
    return codec.pack(fields)


def decode(data: bytes) -> Message:
    with strict(WireError):
        raw = codec.unpack(data, MAX_MESSAGE, Bad)
        if not isinstance(raw, list) or not raw:
            fail(Reason.MALFORMED, "not a tagged array")
        tag = raw[0]
        if type(tag) is not int:
            fail(Reason.MALFORMED, "no type tag")
        try:
            kind = MsgType(tag)
        except ValueError:
            fail(Reason.UNKNOWN_TYPE, f"type {tag}")
        want = 3 if kind in (MsgType.DIGEST, MsgType.EVENTS) else 2
        if len(raw) != want:
            fail(Reason.BAD_FIELDS, f"{kind.name.lower()} fields")
        if kind is MsgType.DIGEST:
            digest = codec.need_bytes(raw[1], Bad, "digest", DIGEST_LEN)
            return Digest(digest, codec.need_int(raw[2], Bad, "count", 0, 2**31))
        if kind is MsgType.REPORT:
            return Report(codec.need_bytes(raw[1], Bad, "report", 1, MAX_REPORT))
        items = codec.need_list(raw[1], Bad, "items", MAX_ITEMS)
        limit = MAX_EVENT if kind is MsgType.EVENTS else MAX_HANDOVER
        blobs = tuple(codec.need_bytes(item, Bad, "item", 1, limit) for item in items)
        if kind is MsgType.EVENTS:
            also = codec.need_list(raw[2], Bad, "also", MAX_ALSO)
            return Events(
                blobs, tuple(codec.need_bytes(a, Bad, "also", PREFIX, PREFIX) for a in also)
            )
        return Handovers(blobs)


def chunked(
    kind: type[Events] | type[Handovers], blobs: Iterable[bytes], also: Iterable[bytes] = ()
) -> Iterator[bytes]:
    """Encoded EVENTS or HANDOVERS messages carrying ``blobs``, each within one channel message
    (EVENTS naming ``also``)."""
    named = tuple(also)[:MAX_ALSO] if kind is Events else ()
    start = 16 + len(named) * (PREFIX + 2)
    batch: list[bytes] = []
    size = start
    for blob in blobs:
        cost = len(blob) + 5
        if batch and (size + cost > MAX_MESSAGE or len(batch) >= MAX_ITEMS):
            yield _one(kind, batch, named)
            batch, size = [], start
        batch.append(blob)
        size += cost
    if batch:
        yield _one(kind, batch, named)


def _one(
    kind: type[Events] | type[Handovers], batch: list[bytes], also: tuple[bytes, ...]
) -> bytes:
    return encode(Events(tuple(batch), also) if kind is Events else Handovers(tuple(batch)))


def prefixes(members: Iterable[bytes]) -> tuple[bytes, ...]:
    """The names ``also`` gives these members (sorted, each once)."""
    return tuple(sorted({m[:PREFIX] for m in members}))
