"""The messages members exchange over a circle channel: msgpack arrays, a type tag first.

Every message is ``[type, field, ...]`` with exactly the fields of its type::

    HELLO       [1, {author: hwm}, {author: [[lo, hi], ...]}]   my high-water marks and known gaps
    POSTS       [2, [signed post, ...], {author: [[lo, hi], ...]}, [member prefix, ...]]
                posts, ranges I cannot send, and the members I push the same posts to (8-byte
                key prefixes): the receiver does not forward to them (see ``PostSync``)
    WANT        [3, {author: [[lo, hi], ...]}]                   please send these seqs
    DM          [4, signed direct message]
    DM_ACK      [5, [message id, ...]]                           delivered
    DM_RECEIPT  [6, [message id, ...]]                           read (only with read receipts on)
    TYPING      [7, bool]                                        (only with typing indicators on)
    GOODBYE     [8, text or nil]                                 I am leaving the circle
    LIMITED     [9, dropped, retry_after_ms]                     you are sending too fast

Authors are 32-byte keys, seqs positive ints, ranges inclusive, ascending and disjoint. A decline
of a direct-message request is never sent. Decoding is strict and bounded by :class:`WireLimits`;
anything else raises :class:`WireError` with a stable reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from . import codec
from .envelope import ID_LEN, MAX_ENVELOPE
from .errors import DropReason, WireError

Range = tuple[int, int]
Ranges = tuple[Range, ...]
_E = WireError


class MsgType(IntEnum):
    HELLO = 1
    POSTS = 2
    WANT = 3
    DM = 4
    DM_ACK = 5
    DM_RECEIPT = 6
    TYPING = 7
    GOODBYE = 8
    LIMITED = 9


@dataclass(frozen=True)
class WireLimits:
    """The most a decoder accepts in one message (the channel carries at most 64 KiB)."""

    max_message: int = 64 * 1024
    max_posts: int = 1000
    max_authors: int = 1024
    max_ranges: int = 512  # in one message, over all authors
    max_ids: int = 512
    max_goodbye: int = 1024  # bytes of UTF-8
    max_also: int = 256  # member prefixes in one POSTS message (a circle's roster cap)


DEFAULT_LIMITS = WireLimits()


@dataclass(frozen=True)
class Hello:
    hwm: Mapping[bytes, int] = field(default_factory=dict)
    gaps: Mapping[bytes, Ranges] = field(default_factory=dict)
    answer: bool = False  # the sender never heard our HELLO (it was lost): send one back


PREFIX = 8  # bytes of a member key that name it in a POSTS message's ``also``


@dataclass(frozen=True)
class Posts:
    posts: tuple[bytes, ...] = ()
    gone: Mapping[bytes, Ranges] = field(default_factory=dict)
    also: tuple[bytes, ...] = ()  # prefixes of the members these posts are pushed to as well


@dataclass(frozen=True)
class Want:
    ranges: Mapping[bytes, Ranges] = field(default_factory=dict)


@dataclass(frozen=True)
class Dm:
    signed: bytes


@dataclass(frozen=True)
class DmAck:
    ids: tuple[bytes, ...]


@dataclass(frozen=True)
class DmReceipt:
    ids: tuple[bytes, ...]


@dataclass(frozen=True)
class Typing:
    typing: bool


@dataclass(frozen=True)
class Goodbye:
    text: str | None = None


@dataclass(frozen=True)
class Limited:
    dropped: int
    retry_after_ms: int


WireMessage = Hello | Posts | Want | Dm | DmAck | DmReceipt | Typing | Goodbye | Limited


def encode(msg: WireMessage) -> bytes:
    return codec.pack(_fields(msg))


def _fields(msg: WireMessage) -> list[Any]:
    match msg:
        case Hello():
            return [MsgType.HELLO, dict(msg.hwm), _ranges_out(msg.gaps), msg.answer]
        case Posts():
            return [MsgType.POSTS, list(msg.posts), _ranges_out(msg.gone), list(msg.also)]
        case Want():
            return [MsgType.WANT, _ranges_out(msg.ranges)]
        case Dm():
            return [MsgType.DM, msg.signed]
        case DmAck():
            return [MsgType.DM_ACK, list(msg.ids)]
        case DmReceipt():
            return [MsgType.DM_RECEIPT, list(msg.ids)]
        case Typing():
            return [MsgType.TYPING, msg.typing]
        case Goodbye():
            return [MsgType.GOODBYE, msg.text]
        case Limited():
            return [MsgType.LIMITED, msg.dropped, msg.retry_after_ms]
    raise TypeError(f"not a wire message: {type(msg).__name__}")  # pragma: no cover


def posts_messages(
    posts: list[bytes],
    gone: Mapping[bytes, Ranges],
    max_posts: int,
    max_bytes: int,
    also: tuple[bytes, ...] = (),
) -> list[bytes]:
    """``posts`` (signed envelopes) as POSTS messages of at most ``max_posts`` posts and about
    ``max_bytes`` bytes each; ``gone`` rides in the first, ``also`` in every one."""
    messages: list[bytes] = []
    chunk: list[bytes] = []
    first_gone: Mapping[bytes, Ranges] = gone
    overhead = 16 + len(codec.pack(_ranges_out(gone))) + len(also) * (PREFIX + 1)
    size = overhead
    for post in posts:
        cost = len(post) + 5
        if chunk and (len(chunk) >= max_posts or size + cost > max_bytes):
            messages.append(encode(Posts(tuple(chunk), first_gone, also)))
            chunk, first_gone, size = [], {}, 16 + len(also) * (PREFIX + 1)
        chunk.append(post)
        size += cost
    if chunk or first_gone:
        messages.append(encode(Posts(tuple(chunk), first_gone, also)))
    return messages


def _ranges_out(ranges: Mapping[bytes, Ranges]) -> dict[bytes, list[list[int]]]:
    return {author: [[lo, hi] for lo, hi in rs] for author, rs in ranges.items()}


_ARITY = {
    MsgType.HELLO: 4,
    MsgType.POSTS: 4,
    MsgType.WANT: 2,
    MsgType.DM: 2,
    MsgType.DM_ACK: 2,
    MsgType.DM_RECEIPT: 2,
    MsgType.TYPING: 2,
    MsgType.GOODBYE: 2,
    MsgType.LIMITED: 3,
}


def decode(data: bytes, limits: WireLimits | None = None) -> WireMessage:
    limits = limits or DEFAULT_LIMITS
    raw = codec.unpack(data, limits.max_message, _E)
    if not isinstance(raw, list) or not raw:
        codec.fail(_E, DropReason.MALFORMED, "message is not a tagged array")
    tag = raw[0]
    if type(tag) is not int:
        codec.fail(_E, DropReason.MALFORMED, "type tag is not an int")
    try:
        kind = MsgType(tag)
    except ValueError:
        codec.fail(_E, DropReason.UNKNOWN_TYPE, f"type {tag}")
    if len(raw) != _ARITY[kind]:
        codec.fail(_E, DropReason.BAD_FIELDS, f"{kind.name} fields")
    return _DECODERS[kind](raw, limits)


def _hello(raw: list[Any], limits: WireLimits) -> Hello:
    hwm = codec.need_key_map(raw[1], _E, "hwm", limits.max_authors)
    checked = {a: codec.need_int(s, _E, "hwm seq", 1) for a, s in hwm.items()}
    answer = codec.need_bool(raw[3], _E, "answer")
    return Hello(hwm=checked, gaps=_ranges_in(raw[2], limits, "gaps"), answer=answer)


def _posts(raw: list[Any], limits: WireLimits) -> Posts:
    posts = codec.need_list(raw[1], _E, "posts", limits.max_posts)
    for post in posts:
        if type(post) is not bytes:
            codec.fail(_E, DropReason.BAD_TYPE, "post is not bytes")
        if len(post) > MAX_ENVELOPE:
            codec.fail(_E, DropReason.OVERSIZE, "post envelope over its limit")
    also = codec.need_list(raw[3], _E, "also", limits.max_also)
    for prefix in also:
        if type(prefix) is not bytes or len(prefix) != PREFIX:
            codec.fail(_E, DropReason.MALFORMED, "also is not a list of member prefixes")
    return Posts(posts=tuple(posts), gone=_ranges_in(raw[2], limits, "gone"), also=tuple(also))


def _want(raw: list[Any], limits: WireLimits) -> Want:
    return Want(ranges=_ranges_in(raw[1], limits, "want"))


def _dm(raw: list[Any], limits: WireLimits) -> Dm:
    return Dm(signed=codec.need_bytes(raw[1], _E, "direct message", 1, MAX_ENVELOPE))


def _ids(value: object, limits: WireLimits) -> tuple[bytes, ...]:
    ids = codec.need_list(value, _E, "ids", limits.max_ids)
    return tuple(codec.need_bytes(i, _E, "message id", ID_LEN) for i in ids)


def _dm_ack(raw: list[Any], limits: WireLimits) -> DmAck:
    return DmAck(ids=_ids(raw[1], limits))


def _dm_receipt(raw: list[Any], limits: WireLimits) -> DmReceipt:
    return DmReceipt(ids=_ids(raw[1], limits))


def _typing(raw: list[Any], limits: WireLimits) -> Typing:
    return Typing(typing=codec.need_bool(raw[1], _E, "typing"))


def _goodbye(raw: list[Any], limits: WireLimits) -> Goodbye:
    text = raw[1]
    if text is not None:
        text = codec.need_text(text, _E, "goodbye", limits.max_goodbye, allow_empty=False)
    return Goodbye(text=text)


def _limited(raw: list[Any], limits: WireLimits) -> Limited:
    return Limited(
        dropped=codec.need_int(raw[1], _E, "dropped", 1),
        retry_after_ms=codec.need_int(raw[2], _E, "retry after", 0, 24 * 3600 * 1000),
    )


def _ranges_in(value: object, limits: WireLimits, what: str) -> dict[bytes, Ranges]:
    by_author = codec.need_key_map(value, _E, what, limits.max_authors)
    out: dict[bytes, Ranges] = {}
    total = 0
    for author, rs in by_author.items():
        items = codec.need_list(rs, _E, f"{what} ranges", limits.max_ranges)
        if not items:
            codec.fail(_E, DropReason.BAD_VALUE, f"{what}: an author with no ranges")
        total += len(items)
        if total > limits.max_ranges:
            codec.fail(_E, DropReason.OVERSIZE, f"{what}: over {limits.max_ranges} ranges")
        checked: list[Range] = []
        previous = 0
        for item in items:
            if not isinstance(item, list) or len(item) != 2:
                codec.fail(_E, DropReason.BAD_FIELDS, f"{what} range is not [lo, hi]")
            lo = codec.need_int(item[0], _E, f"{what} range", 1)
            hi = codec.need_int(item[1], _E, f"{what} range", 1)
            if lo > hi or lo <= previous:
                codec.fail(_E, DropReason.BAD_VALUE, f"{what} ranges not ascending and disjoint")
            checked.append((lo, hi))
            previous = hi
        out[author] = tuple(checked)
    return out


_DECODERS: dict[MsgType, Callable[[list[Any], WireLimits], WireMessage]] = {
    MsgType.HELLO: _hello,
    MsgType.POSTS: _posts,
    MsgType.WANT: _want,
    MsgType.DM: _dm,
    MsgType.DM_ACK: _dm_ack,
    MsgType.DM_RECEIPT: _dm_receipt,
    MsgType.TYPING: _typing,
    MsgType.GOODBYE: _goodbye,
    MsgType.LIMITED: _limited,
}
