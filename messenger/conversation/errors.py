"""Typed errors of the conversation core, and the stable reason codes for what it drops.

Every input the core refuses (a malformed envelope, a forged signature, a flood) is dropped with a
:class:`DropReason`; the reason's ``value`` is a stable code for counters and logs, never shown to
the other side and never carrying message text.
"""

from __future__ import annotations

from enum import Enum

from ..errors import HearthError


class DropReason(Enum):
    """Why a message, post or direct message was dropped (stable codes)."""

    # decoding (envelopes and wire messages)
    MALFORMED = "malformed"  # not msgpack, not the expected shape, trailing bytes
    UNKNOWN_VERSION = "unknown_version"
    UNKNOWN_TYPE = "unknown_type"
    BAD_FIELDS = "bad_fields"  # extra or missing fields
    BAD_TYPE = "bad_type"  # a field of the wrong type
    BAD_VALUE = "bad_value"  # a field out of range (key length, seq 0, ...)
    BAD_UTF8 = "bad_utf8"
    OVERSIZE = "oversize"  # a body, text, envelope or message over its limit
    NON_CANONICAL = "non_canonical"  # decodes, but is not the one encoding we sign and hash
    BAD_SIGNATURE = "bad_signature"
    # checks against the circle
    WRONG_CIRCLE = "wrong_circle"
    NOT_MEMBER = "not_member"
    WRONG_PEER = "wrong_peer"  # a direct message not from the channel's peer, or not to me
    DUPLICATE = "duplicate"
    EQUIVOCATION = "equivocation"  # a second, different post with the same author and seq
    EXPIRED = "expired"  # older than the circle's retention
    FUTURE = "future"  # timestamped too far ahead of our clock
    TOO_FAR_AHEAD = "too_far_ahead"  # a seq too far past what we hold to be held back
    BUFFER_FULL = "buffer_full"
    # limits
    RATE_LIMITED = "rate_limited"
    COOLING_DOWN = "cooling_down"
    NOT_ALLOWED = "not_allowed"  # a direct message the circle's policy or a decline refuses


class ConversationError(HearthError):
    """Base of the conversation core's errors."""

    code = "conversation"


class DecodeError(ConversationError):
    """Bytes from the network that are not what they must be; ``reason`` says why."""

    code = "decode"

    def __init__(self, reason: DropReason, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)


class EnvelopeError(DecodeError):
    """A post or direct-message envelope that is malformed, oversized, unknown or forged."""

    code = "bad_envelope"


class WireError(DecodeError):
    """A circle-channel message that is malformed, oversized or of an unknown type."""

    code = "bad_wire_message"


class ComposeError(ConversationError):
    """We were asked to make an envelope that would break a limit (empty or oversized body...)."""

    code = "bad_post"

    def __init__(self, reason: DropReason, detail: str = "") -> None:
        self.reason = reason
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)


class PublishError(ConversationError):
    """A post given to ``CircleSync.publish`` that is not ours, not next, or not this circle's."""

    code = "publish_refused"


class DirectMessageError(ConversationError):
    """A direct message we cannot send (not addressed from us, unknown peer, ...)."""

    code = "dm_refused"
