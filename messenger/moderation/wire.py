"""The messages of the moderation lane (``Lane.MODERATION``): msgpack arrays, a type tag first::

    DIGEST     [1, digest (32), count]          the events I hold, summarised
    EVENTS     [2, [signed event, ...]]         moderation events
    HANDOVERS  [3, [hand-over, ...]]            sealed new secrets (:mod:`.rotation`)
    REPORT     [4, sealed report]               for moderators only (:mod:`.reports`)

Events are few, so they spread simply: on connect each side sends DIGEST; a side whose digest
differs sends every event it holds (in chunks), the other keeps what it lacks; an event accepted
live is passed on to every other linked member. Decoding is strict and bounded; anything else
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
            fields = [MsgType.EVENTS, list(msg.events)]
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
        want = 3 if kind is MsgType.DIGEST else 2
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
            return Events(blobs)
        return Handovers(blobs)


def chunked(kind: type[Events] | type[Handovers], blobs: Iterable[bytes]) -> Iterator[bytes]:
    """Encoded EVENTS or HANDOVERS messages carrying ``blobs``, each within one channel message."""
    batch: list[bytes] = []
    size = 16
    for blob in blobs:
        cost = len(blob) + 5
        if batch and (size + cost > MAX_MESSAGE or len(batch) >= MAX_ITEMS):
            yield encode(kind(tuple(batch)))
            batch, size = [], 16
        batch.append(blob)
        size += cost
    if batch:
        yield encode(kind(tuple(batch)))
