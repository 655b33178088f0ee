"""Strict msgpack for the moderation core: the conversation core's rules, this core's errors.

The helpers of :mod:`messenger.conversation.codec` raise a conversation ``DecodeError``;
:func:`strict` turns that into the given moderation error with the same reason code, so every
envelope in Hearth obeys one set of decoding rules (exact types, bounded sizes, no floats, no
extension types, canonical encodings).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

from ..conversation import codec as _codec
from ..conversation.errors import DecodeError, DropReason
from .errors import ModerationError, Reason

pack = _codec.pack
need_map = _codec.need_map
need_list = _codec.need_list
need_int = _codec.need_int
need_bool = _codec.need_bool
need_bytes = _codec.need_bytes
need_text = _codec.need_text
unpack = _codec.unpack


class Bad(DecodeError):
    """What the shared helpers raise inside :func:`strict`."""


def fail(reason: Reason, detail: str = "") -> NoReturn:
    """Raise inside :func:`strict` with one of this core's reasons."""
    raise _Ours(reason, detail)


class _Ours(Exception):
    def __init__(self, reason: Reason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@contextmanager
def strict(err: type[ModerationError]) -> Iterator[None]:
    """Run decoding code; any decoding failure leaves as ``err`` with a stable reason."""
    try:
        yield
    except DecodeError as exc:
        raise err(_reason(exc.reason), exc.detail) from None
    except _Ours as exc:
        raise err(exc.reason, exc.detail) from None


def _reason(reason: DropReason) -> Reason:
    try:
        return Reason(reason.value)
    except ValueError:
        return Reason.MALFORMED
