"""The join protocol's messages on the wire: small msgpack arrays, first element the kind.

::

    newcomer → host   PAKE     [1, version, spake2 message A (33 bytes)]
    host → newcomer   REPLY    [2, spake2 message B (33 bytes), host confirmation (32)]
    newcomer → host   REQUEST  [3, newcomer confirmation (32), sealed [pseudonym]]
    host → newcomer   ANSWER   [4, sealed ["welcome", invite link] or ["refused", message]]
    either way        ABORT    [5, reason]              (then the connection closes)

A right and a wrong code give REPLY messages of the same shape and size; only the holder of the
right code can tell them apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

import msgpack

from network import strictpack

from .crypto import CONFIRM_SIZE

PROTOCOL_VERSION = 1
SPAKE_MESSAGE_SIZE = 33  # side byte + 32-byte group element
MAX_SEALED = 1800
MAX_REASON = 32


class Kind(Enum):
    PAKE = 1
    REPLY = 2
    REQUEST = 3
    ANSWER = 4
    ABORT = 5


class AbortReason(Enum):
    """Why an exchange ended early (sent in ABORT; never carries the code or a key)."""

    WRONG_CODE = "wrong_code"
    CLOSED = "closed"  # too many wrong attempts
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    BUSY = "busy"  # too many exchanges in progress; try again in a moment
    MALFORMED = "malformed"
    UNSUPPORTED_VERSION = "unsupported_version"


class Malformed(Exception):
    """A message that does not follow the protocol (internal: sessions turn it into events)."""


@dataclass(frozen=True)
class Pake:
    version: int
    spake: bytes


@dataclass(frozen=True)
class Reply:
    spake: bytes
    confirmation: bytes


@dataclass(frozen=True)
class Request:
    confirmation: bytes
    sealed: bytes


@dataclass(frozen=True)
class Answer:
    sealed: bytes


@dataclass(frozen=True)
class Abort:
    reason: AbortReason


Message = Pake | Reply | Request | Answer | Abort


def _pack(fields: list[Any]) -> bytes:
    return bytes(msgpack.packb(fields, use_bin_type=True))


def encode(message: Message) -> bytes:
    if isinstance(message, Pake):
        return _pack([Kind.PAKE.value, message.version, message.spake])
    if isinstance(message, Reply):
        return _pack([Kind.REPLY.value, message.spake, message.confirmation])
    if isinstance(message, Request):
        return _pack([Kind.REQUEST.value, message.confirmation, message.sealed])
    if isinstance(message, Answer):
        return _pack([Kind.ANSWER.value, message.sealed])
    return _pack([Kind.ABORT.value, message.reason.value])


def _bin(value: object, *, size: int | None = None, most: int | None = None) -> bytes:
    if not isinstance(value, bytes):
        raise Malformed("expected bytes")
    if size is not None and len(value) != size:
        raise Malformed("wrong size")
    if most is not None and len(value) > most:
        raise Malformed("too large")
    return value


def decode(data: bytes) -> Message:
    """One message; raises :class:`Malformed` for anything else."""
    try:
        fields = strictpack.unpack(
            data, max_bin=MAX_SEALED, max_str=MAX_REASON, max_array=4, max_map=0
        )
    except strictpack.Undecodable:
        raise Malformed("undecodable") from None
    if not isinstance(fields, list) or not fields or isinstance(fields[0], bool):
        raise Malformed("not a message")
    try:
        kind = Kind(fields[0])
    except ValueError:
        raise Malformed("unknown kind") from None
    arity = {Kind.PAKE: 3, Kind.REPLY: 3, Kind.REQUEST: 3, Kind.ANSWER: 2, Kind.ABORT: 2}
    if len(fields) != arity[kind]:
        raise Malformed("wrong number of fields")
    if kind is Kind.PAKE:
        version = fields[1]
        if not isinstance(version, int) or isinstance(version, bool):
            raise Malformed("version")
        return Pake(version, _bin(fields[2], most=SPAKE_MESSAGE_SIZE))
    if kind is Kind.REPLY:
        return Reply(_bin(fields[1], size=SPAKE_MESSAGE_SIZE), _bin(fields[2], size=CONFIRM_SIZE))
    if kind is Kind.REQUEST:
        return Request(_bin(fields[1], size=CONFIRM_SIZE), _bin(fields[2], most=MAX_SEALED))
    if kind is Kind.ANSWER:
        return Answer(_bin(fields[1], most=MAX_SEALED))
    try:
        return Abort(AbortReason(fields[1]))
    except ValueError:
        return Abort(AbortReason.MALFORMED)  # an unknown reason from a newer peer


def encode_plain(fields: list[Any]) -> bytes:
    return _pack(fields)


def decode_plain(data: bytes, arity: int) -> list[Any]:
    """A sealed payload's msgpack list of exactly ``arity`` strings."""
    try:
        fields = strictpack.unpack(data, max_str=MAX_SEALED, max_array=8, max_map=0)
    except strictpack.Undecodable:
        raise Malformed("undecodable sealed content") from None
    if not isinstance(fields, list) or len(fields) != arity:
        raise Malformed("sealed content")
    if not all(isinstance(field, str) for field in fields):
        raise Malformed("sealed content")
    return fields
