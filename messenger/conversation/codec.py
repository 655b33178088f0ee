"""Strict msgpack: decode bytes from the network into plain values, then check every field.

Each helper raises the given :class:`~.errors.DecodeError` subclass with a stable reason, so
envelopes and wire messages share one set of rules: exact types (``bool`` is not an ``int``),
lengths and ranges checked, text valid UTF-8 within a byte limit, no extension types, no floats.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

import msgpack

from network import strictpack
from network.strictpack import UndecodableReason

from .errors import DecodeError, DropReason

MAX_INT = 2**63 - 1
ErrorType = type[DecodeError]


def pack(value: object) -> bytes:
    """The one encoding we produce (and, for signed things, the only one we accept)."""
    data = msgpack.packb(value, use_bin_type=True)
    assert isinstance(data, bytes)
    return data


_REASONS = {
    UndecodableReason.OVERSIZE: DropReason.OVERSIZE,
    UndecodableReason.BAD_UTF8: DropReason.BAD_UTF8,
}
_DETAILS = {
    UndecodableReason.EMPTY: "empty",
    UndecodableReason.TRAILING: "trailing bytes",
    UndecodableReason.MALFORMED: "not msgpack",
}


def unpack(data: object, max_size: int, err: ErrorType) -> object:
    """Decode one msgpack value that fills ``data`` exactly, after checking its size."""
    if not isinstance(data, bytes):
        fail(err, DropReason.BAD_TYPE, "not bytes")
    try:
        return strictpack.unpack(data, max_size=max_size)
    except strictpack.Undecodable as exc:
        reason = _REASONS.get(exc.reason, DropReason.MALFORMED)
        fail(err, reason, _DETAILS.get(exc.reason, str(exc)))


def fail(err: ErrorType, reason: DropReason, detail: str = "") -> NoReturn:
    raise err(reason, detail)


def need_map(value: object, keys: tuple[str, ...], err: ErrorType, what: str) -> dict[str, Any]:
    """A map with exactly ``keys`` (no more, no fewer)."""
    if not isinstance(value, dict):
        fail(err, DropReason.MALFORMED, f"{what} is not a map")
    if len(value) != len(keys) or any(k not in value for k in keys):
        fail(err, DropReason.BAD_FIELDS, f"{what} fields")
    return value


def need_list(value: object, err: ErrorType, what: str, max_len: int) -> list[Any]:
    if not isinstance(value, list):
        fail(err, DropReason.BAD_TYPE, f"{what} is not a list")
    if len(value) > max_len:
        fail(err, DropReason.OVERSIZE, f"{what}: {len(value)} > {max_len} items")
    return value


def need_int(value: object, err: ErrorType, what: str, lo: int = 0, hi: int = MAX_INT) -> int:
    if type(value) is not int:
        fail(err, DropReason.BAD_TYPE, f"{what} is not an int")
    if not lo <= value <= hi:
        fail(err, DropReason.BAD_VALUE, f"{what} out of range")
    return value


def need_bool(value: object, err: ErrorType, what: str) -> bool:
    if type(value) is not bool:
        fail(err, DropReason.BAD_TYPE, f"{what} is not a bool")
    return value


def need_bytes(value: object, err: ErrorType, what: str, lo: int, hi: int | None = None) -> bytes:
    """Bytes of exactly ``lo`` bytes, or of ``lo..hi`` bytes when ``hi`` is given."""
    if type(value) is not bytes:
        fail(err, DropReason.BAD_TYPE, f"{what} is not bytes")
    top = lo if hi is None else hi
    if not lo <= len(value) <= top:
        fail(err, DropReason.BAD_VALUE, f"{what} has the wrong length")
    return value


def need_text(
    value: object, err: ErrorType, what: str, max_bytes: int, *, allow_empty: bool = True
) -> str:
    """Text of at most ``max_bytes`` bytes of UTF-8 (decoding already refused bad UTF-8)."""
    if type(value) is not str:
        fail(err, DropReason.BAD_TYPE, f"{what} is not text")
    if len(value) > max_bytes or len(value.encode("utf-8")) > max_bytes:
        fail(err, DropReason.OVERSIZE, f"{what} over {max_bytes} bytes")
    if not allow_empty and not value:
        fail(err, DropReason.BAD_VALUE, f"{what} is empty")
    return value


def need_key_map(value: object, err: ErrorType, what: str, max_len: int) -> Mapping[bytes, Any]:
    """A map keyed by 32-byte member keys (values checked by the caller)."""
    if not isinstance(value, dict):
        fail(err, DropReason.BAD_TYPE, f"{what} is not a map")
    if len(value) > max_len:
        fail(err, DropReason.OVERSIZE, f"{what}: {len(value)} > {max_len} entries")
    for key in value:
        need_bytes(key, err, f"{what} key", 32)
    return value
