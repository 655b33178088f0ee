"""Untrusted msgpack in, one plain value out: the one decoder every wire format in Hearth uses.

Bytes from a peer, a server or a pasted link go through :func:`unpack`: one msgpack value that
fills the input exactly, text as valid UTF-8 (``str``), binary as ``bytes``, arrays as lists,
no extension types, map keys only text or bytes, and every container within the limits given
(so a few bytes announcing a huge array are refused before anything is allocated). Anything
else raises :class:`Undecodable` with a stable ``reason``; each format turns that into its own
typed error, then checks fields with its own rules.
"""

from __future__ import annotations

from enum import Enum

import msgpack

__all__ = ["Undecodable", "UndecodableReason", "unpack"]


class UndecodableReason(Enum):
    OVERSIZE = "oversize"  # more bytes than the format allows
    EMPTY = "empty"
    BAD_UTF8 = "bad_utf8"  # a text field that is not UTF-8
    TRAILING = "trailing"  # bytes left after the value
    MALFORMED = "malformed"  # not msgpack, an extension type, over a container limit, ...


class Undecodable(ValueError):
    def __init__(self, reason: UndecodableReason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def unpack(
    data: bytes | bytearray | memoryview,
    *,
    max_size: int | None = None,
    max_bin: int | None = None,
    max_str: int | None = None,
    max_array: int | None = None,
    max_map: int | None = None,
) -> object:
    """The one msgpack value in ``data``; each ``max_*`` bounds that kind of item (bytes for
    ``bin``/``str``, entries for arrays and maps; ``None``: the size of ``data``)."""
    size = len(data)
    if max_size is not None and size > max_size:
        raise Undecodable(UndecodableReason.OVERSIZE, f"{size} > {max_size} bytes")
    if not size:
        raise Undecodable(UndecodableReason.EMPTY, "empty")
    limits = {
        "max_bin_len": max_bin,
        "max_str_len": max_str,
        "max_array_len": max_array,
        "max_map_len": max_map,
    }
    try:
        return msgpack.unpackb(
            data,
            raw=False,
            use_list=True,
            strict_map_key=True,
            max_ext_len=0,
            **{name: size if limit is None else limit for name, limit in limits.items()},
        )
    except UnicodeDecodeError:
        raise Undecodable(UndecodableReason.BAD_UTF8, "text is not UTF-8") from None
    except msgpack.ExtraData:
        raise Undecodable(UndecodableReason.TRAILING, "trailing bytes") from None
    except (ValueError, TypeError, RecursionError, msgpack.UnpackException) as exc:
        raise Undecodable(UndecodableReason.MALFORMED, type(exc).__name__) from None
