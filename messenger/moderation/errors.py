"""Typed errors of the moderation core, each with a stable ``code`` and a stable ``reason``.

Input from the network that the core refuses (a forged event, a report for somebody else, a
rotation message from someone other than the host) raises one of these inside the core; the
engine (:mod:`.engine`) catches them, counts them and reports a :class:`~.effects.Dropped`
effect, so nothing from the network ever escapes as an exception. Calls the person makes (remove
a member they may not remove, a boundary that is too long) raise them to the front end, which
turns ``code`` and ``reason`` into words.
"""

from __future__ import annotations

from enum import Enum

from ..errors import HearthError


class Reason(Enum):
    """Why something was refused (stable codes, never carrying text, keys or content)."""

    # decoding (the same codes as the conversation core's DropReason, by value)
    MALFORMED = "malformed"
    UNKNOWN_VERSION = "unknown_version"
    UNKNOWN_TYPE = "unknown_type"
    BAD_FIELDS = "bad_fields"
    BAD_TYPE = "bad_type"
    BAD_VALUE = "bad_value"
    BAD_UTF8 = "bad_utf8"
    OVERSIZE = "oversize"
    NON_CANONICAL = "non_canonical"
    BAD_SIGNATURE = "bad_signature"
    # checks against the circle and its moderation state
    WRONG_CIRCLE = "wrong_circle"
    NO_HOST = "no_host"  # the open lobby: nobody moderates it
    NOT_MODERATOR = "not_moderator"  # the actor is neither the host nor ever a co-moderator
    NOT_PERMITTED = "not_permitted"  # the actor's role may not take this action
    BAD_TARGET = "bad_target"  # e.g. removing the host, appointing oneself
    DUPLICATE = "duplicate"
    FUTURE = "future"  # dated too far ahead of our clock
    LOG_FULL = "log_full"
    REMOVED = "removed"  # the member was removed from the circle
    CLOSED = "closed"
    SLOW_MODE = "slow_mode"  # slow mode: wait before posting again
    NOT_ADMITTED = "not_admitted"  # no moderator let this identity in (yet)
    # rotation
    NOT_FOR_ME = "not_for_me"
    NOT_FROM_HOST = "not_from_host"
    STALE_EPOCH = "stale_epoch"
    CANNOT_OPEN = "cannot_open"
    # reports and relaying
    NOT_ADDRESSED = "not_addressed"  # a report with no copy for me
    BAD_EVIDENCE = "bad_evidence"
    UNKNOWN_REPORT = "unknown_report"
    # limits
    RATE_LIMITED = "rate_limited"
    COOLING_DOWN = "cooling_down"
    WRONG_PEER = "wrong_peer"
    # personal settings
    TOO_MANY = "too_many"
    EMPTY = "empty"


class ModerationError(HearthError):
    """Base of the moderation core's errors: ``reason`` says why."""

    code = "moderation"

    def __init__(self, reason: Reason, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)


class EventError(ModerationError):
    """A moderation event that is malformed, oversized, of an unknown version, or forged."""

    code = "bad_moderation_event"


class EventRejected(ModerationError):
    """A well-formed, correctly signed event that this circle's state refuses."""

    code = "moderation_event_rejected"


class NotPermitted(ModerationError):
    """We were asked to take a moderation action our role does not allow."""

    code = "not_permitted"


class RotationError(ModerationError):
    """A secret hand-over that is not from the host, not for us, stale, or unreadable."""

    code = "bad_rotation"


class ReportError(ModerationError):
    """A report that is malformed, not addressed to us, or carries evidence that does not check."""

    code = "bad_report"


class WireError(ModerationError):
    """A moderation-lane message that is malformed, oversized or of an unknown type."""

    code = "bad_moderation_message"


class PersonalError(ModerationError):
    """A personal setting (block list, boundaries) that cannot be used."""

    code = "bad_personal_setting"


class StateError(ModerationError):
    """Stored moderation state that cannot be read back."""

    code = "bad_moderation_state"
