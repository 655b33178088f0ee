"""The rendezvous control messages and their encoding (sans-IO, strict).

Each message is a msgpack array ``[type, fields...]``; its bytes are then padded to a size
bucket (``length (2, big-endian) + body + zeros``) before encryption, so an observer learns
little from sizes. Decoding is strict: unknown types, wrong arity, wrong field types or sizes,
trailing bytes and non-zero padding all raise
:class:`~network.rendezvous.errors.MalformedMessage`.

Requests (client to server) and what answers them:

============  =====================================================  ========================
type          fields                                                 answer
============  =====================================================  ========================
PING          req_id                                                 OK
REGISTER      req_id, tag, verify_key, issued, ttl, info, signature  REGISTERED
UNREGISTER    req_id, token                                          OK
LOOKUP        req_id, tag                                            FOUND
CONNECT       req_id, token (of the registration to reach)           SPLICED, then raw bytes
ACCEPT        req_id, relay_token (from an INCOMING)                 SPLICED, then raw bytes
============  =====================================================  ========================

Any request may be answered by ERROR (req_id, code, reason). The server pushes INCOMING
(relay_token, token) on the connection that holds the registration ``token`` when someone
CONNECTs to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

import msgpack

from .. import strictpack
from ..noise import TAGLEN
from .errors import MalformedMessage
from .tags import MAX_SEALED_INFO, SIGNATURE_SIZE, TAG_SIZE, VERIFY_KEY_SIZE

TOKEN_SIZE = 16
MAX_REQ_ID = 2**32 - 1
MAX_REASON = 200
MAX_FOUND = 128
CIPHERTEXT_BUCKETS = (128, 512, 2048, 8192, 32768, 65535)
"""Sizes (ciphertext bytes, i.e. frame bodies) that transport messages are padded to."""
PLAINTEXT_BUCKETS = tuple(b - TAGLEN for b in CIPHERTEXT_BUCKETS)
MAX_BODY = PLAINTEXT_BUCKETS[-1] - 2
MAX_REQUEST_FRAME = 2048
"""Every request fits in this many ciphertext bytes; the server refuses longer frames."""


class MessageType(IntEnum):
    PING = 1
    REGISTER = 2
    UNREGISTER = 3
    LOOKUP = 4
    CONNECT = 5
    ACCEPT = 6
    OK = 64
    REGISTERED = 65
    FOUND = 66
    SPLICED = 67
    INCOMING = 68
    ERROR = 69


# -- messages -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Ping:
    req_id: int


@dataclass(frozen=True)
class Register:
    req_id: int
    tag: bytes = field(repr=False)
    verify_key: bytes = field(repr=False)
    issued: int
    """Unix seconds when the client signed the registration."""
    ttl: int
    """Seconds from ``issued`` the registration asks to live (the server clamps it)."""
    info: bytes = field(repr=False)
    """Sealed contact info, opaque to the server."""
    signature: bytes = field(repr=False)


@dataclass(frozen=True)
class Unregister:
    req_id: int
    token: bytes = field(repr=False)


@dataclass(frozen=True)
class Lookup:
    req_id: int
    tag: bytes = field(repr=False)


@dataclass(frozen=True)
class Connect:
    req_id: int
    token: bytes = field(repr=False)


@dataclass(frozen=True)
class Accept:
    req_id: int
    relay_token: bytes = field(repr=False)


@dataclass(frozen=True)
class Ok:
    req_id: int


@dataclass(frozen=True)
class Registered:
    req_id: int
    token: bytes = field(repr=False)
    ttl: int
    """Seconds the registration lives from now (clamped by the server)."""


@dataclass(frozen=True, repr=False)
class FoundEntry:
    token: bytes
    info: bytes
    ttl: int


@dataclass(frozen=True, repr=False)
class Found:
    req_id: int
    entries: tuple[FoundEntry, ...]

    def __repr__(self) -> str:
        return f"Found(req_id={self.req_id}, {len(self.entries)} entries)"


@dataclass(frozen=True)
class Spliced:
    req_id: int


@dataclass(frozen=True)
class Incoming:
    relay_token: bytes = field(repr=False)
    token: bytes = field(repr=False)


@dataclass(frozen=True)
class Error:
    req_id: int
    """0 when the error answers no particular request."""
    code: int
    reason: str


Request = Ping | Register | Unregister | Lookup | Connect | Accept
Response = Ok | Registered | Found | Spliced | Incoming | Error
Message = Request | Response


# -- encoding -----------------------------------------------------------------------------


def _fields(message: Message) -> list[Any]:
    if isinstance(message, Ping):
        return [MessageType.PING, message.req_id]
    if isinstance(message, Register):
        m = message
        return [
            MessageType.REGISTER, m.req_id, m.tag, m.verify_key, m.issued, m.ttl, m.info,
            m.signature,
        ]  # fmt: skip
    if isinstance(message, Unregister):
        return [MessageType.UNREGISTER, message.req_id, message.token]
    if isinstance(message, Lookup):
        return [MessageType.LOOKUP, message.req_id, message.tag]
    if isinstance(message, Connect):
        return [MessageType.CONNECT, message.req_id, message.token]
    if isinstance(message, Accept):
        return [MessageType.ACCEPT, message.req_id, message.relay_token]
    if isinstance(message, Ok):
        return [MessageType.OK, message.req_id]
    if isinstance(message, Registered):
        return [MessageType.REGISTERED, message.req_id, message.token, message.ttl]
    if isinstance(message, Found):
        entries = [[e.token, e.info, e.ttl] for e in message.entries]
        return [MessageType.FOUND, message.req_id, entries]
    if isinstance(message, Spliced):
        return [MessageType.SPLICED, message.req_id]
    if isinstance(message, Incoming):
        return [MessageType.INCOMING, message.relay_token, message.token]
    if isinstance(message, Error):
        return [MessageType.ERROR, message.req_id, message.code, message.reason[:MAX_REASON]]
    raise TypeError(f"not a rendezvous message: {type(message).__name__}")


def encode_body(message: Message) -> bytes:
    """The msgpack bytes of ``message`` (validated by decoding rules on the way out too)."""
    fields = _fields(message)
    fields[0] = int(fields[0])
    body = bytes(msgpack.packb(fields, use_bin_type=True))
    if len(body) > MAX_BODY:
        raise ValueError(f"message of {len(body)} bytes is over the {MAX_BODY}-byte limit")
    return body


def pad(body: bytes) -> bytes:
    """``length (2) + body + zeros`` up to the smallest bucket that holds it."""
    need = len(body) + 2
    size = next((b for b in PLAINTEXT_BUCKETS if b >= need), None)
    if size is None:
        raise ValueError("message too large to pad")
    return len(body).to_bytes(2, "big") + body + bytes(size - need)


def unpad(plaintext: bytes) -> bytes:
    if len(plaintext) < 2:
        raise MalformedMessage("message too short for its length")
    size = int.from_bytes(plaintext[:2], "big")
    if size == 0 or size + 2 > len(plaintext):
        raise MalformedMessage("message length is wrong")
    if any(plaintext[2 + size :]):
        raise MalformedMessage("message padding is not zeros")
    return plaintext[2 : 2 + size]


def encode(message: Message) -> bytes:
    """``message`` as padded plaintext, ready to encrypt."""
    return pad(encode_body(message))


# -- decoding -----------------------------------------------------------------------------

_REQUESTS = frozenset(
    {
        MessageType.PING,
        MessageType.REGISTER,
        MessageType.UNREGISTER,
        MessageType.LOOKUP,
        MessageType.CONNECT,
        MessageType.ACCEPT,
    }
)


def _int(value: object, what: str, low: int, high: int) -> int:
    if type(value) is not int or not low <= value <= high:
        raise MalformedMessage(f"{what} must be an integer in {low}..{high}")
    return value


def _bin(value: object, what: str, size: int | None = None, max_size: int | None = None) -> bytes:
    if type(value) is not bytes:
        raise MalformedMessage(f"{what} must be bytes")
    if size is not None and len(value) != size:
        raise MalformedMessage(f"{what} must be {size} bytes")
    if max_size is not None and len(value) > max_size:
        raise MalformedMessage(f"{what} is over {max_size} bytes")
    return value


def _arity(fields: list[Any], n: int, name: str) -> None:
    if len(fields) != n:
        raise MalformedMessage(f"{name} has {len(fields) - 1} fields, not {n - 1}")


def _unpack(body: bytes) -> list[Any]:
    try:
        value = strictpack.unpack(
            body, max_bin=MAX_BODY, max_str=MAX_REASON * 4, max_array=MAX_FOUND + 8, max_map=0
        )
    except strictpack.Undecodable as exc:
        raise MalformedMessage(f"not msgpack ({exc.reason.value})") from exc
    if not isinstance(value, list) or not value:
        raise MalformedMessage("a message is a non-empty array")
    return value


def _type(value: object) -> MessageType:
    if type(value) is not int:
        raise MalformedMessage("the message type must be an integer")
    try:
        return MessageType(value)
    except ValueError:
        raise MalformedMessage(f"unknown message type {value}") from None


def _req_id(value: object) -> int:
    return _int(value, "req_id", 0, MAX_REQ_ID)


def decode_body(body: bytes) -> Message:
    """Any message from its msgpack bytes."""
    f = _unpack(body)
    kind = _type(f[0])
    if kind is MessageType.PING:
        _arity(f, 2, "PING")
        return Ping(_req_id(f[1]))
    if kind is MessageType.REGISTER:
        _arity(f, 8, "REGISTER")
        return Register(
            req_id=_req_id(f[1]),
            tag=_bin(f[2], "tag", TAG_SIZE),
            verify_key=_bin(f[3], "verify_key", VERIFY_KEY_SIZE),
            issued=_int(f[4], "issued", 0, 2**62),
            ttl=_int(f[5], "ttl", 0, 2**31),
            info=_bin(f[6], "info", max_size=MAX_SEALED_INFO),
            signature=_bin(f[7], "signature", SIGNATURE_SIZE),
        )
    if kind is MessageType.UNREGISTER:
        _arity(f, 3, "UNREGISTER")
        return Unregister(_req_id(f[1]), _bin(f[2], "token", TOKEN_SIZE))
    if kind is MessageType.LOOKUP:
        _arity(f, 3, "LOOKUP")
        return Lookup(_req_id(f[1]), _bin(f[2], "tag", TAG_SIZE))
    if kind is MessageType.CONNECT:
        _arity(f, 3, "CONNECT")
        return Connect(_req_id(f[1]), _bin(f[2], "token", TOKEN_SIZE))
    if kind is MessageType.ACCEPT:
        _arity(f, 3, "ACCEPT")
        return Accept(_req_id(f[1]), _bin(f[2], "relay_token", TOKEN_SIZE))
    if kind is MessageType.OK:
        _arity(f, 2, "OK")
        return Ok(_req_id(f[1]))
    if kind is MessageType.REGISTERED:
        _arity(f, 4, "REGISTERED")
        return Registered(
            _req_id(f[1]), _bin(f[2], "token", TOKEN_SIZE), _int(f[3], "ttl", 0, 2**31)
        )
    if kind is MessageType.FOUND:
        _arity(f, 3, "FOUND")
        if not isinstance(f[2], list) or len(f[2]) > MAX_FOUND:
            raise MalformedMessage(f"FOUND carries an array of at most {MAX_FOUND} entries")
        entries = []
        for entry in f[2]:
            if not isinstance(entry, list) or len(entry) != 3:
                raise MalformedMessage("a FOUND entry is [token, info, ttl]")
            entries.append(
                FoundEntry(
                    _bin(entry[0], "token", TOKEN_SIZE),
                    _bin(entry[1], "info", max_size=MAX_SEALED_INFO),
                    _int(entry[2], "ttl", 0, 2**31),
                )
            )
        return Found(_req_id(f[1]), tuple(entries))
    if kind is MessageType.SPLICED:
        _arity(f, 2, "SPLICED")
        return Spliced(_req_id(f[1]))
    if kind is MessageType.INCOMING:
        _arity(f, 3, "INCOMING")
        return Incoming(_bin(f[1], "relay_token", TOKEN_SIZE), _bin(f[2], "token", TOKEN_SIZE))
    _arity(f, 4, "ERROR")
    if type(f[3]) is not str or len(f[3]) > MAX_REASON:
        raise MalformedMessage(f"an error reason is text of at most {MAX_REASON} characters")
    return Error(_req_id(f[1]), _int(f[2], "code", 0, 0xFFFF), f[3])


def decode(plaintext: bytes) -> Message:
    """Any message from its padded plaintext."""
    return decode_body(unpad(plaintext))


def decode_request(plaintext: bytes) -> Request:
    message = decode(plaintext)
    if not isinstance(message, Request):
        raise MalformedMessage(f"expected a request, got {type(message).__name__}")
    return message


def decode_response(plaintext: bytes) -> Response:
    message = decode(plaintext)
    if not isinstance(message, Response):
        raise MalformedMessage(f"expected a response, got {type(message).__name__}")
    return message
