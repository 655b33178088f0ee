"""What a join session reports. Frozen dataclasses; states are Enums beside the sessions."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ..invite_link import InviteLink


class FailureReason(Enum):
    """Why a join exchange ended without a welcome (stable values for front ends)."""

    WRONG_CODE = "wrong_code"
    CLOSED = "closed"  # the invitation closed after too many wrong attempts
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    BUSY = "busy"
    MALFORMED = "malformed"
    UNSUPPORTED_VERSION = "unsupported_version"
    ABANDONED = "abandoned"  # the other side went away


@dataclass(frozen=True)
class JoinEvent:
    pass


# -- host side ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class JoinRequested(JoinEvent):
    """A newcomer typed the right code and asks to come in: approve or deny ``request_id``."""

    request_id: str
    pseudonym: str


@dataclass(frozen=True)
class NewcomerAdmitted(JoinEvent):
    """The invitation was sent to the newcomer."""

    request_id: str
    pseudonym: str


@dataclass(frozen=True)
class NewcomerDenied(JoinEvent):
    request_id: str
    pseudonym: str


@dataclass(frozen=True)
class AttemptFailed(JoinEvent):
    """An exchange did not confirm the key: a wrong code (or a guess). Counted on the invitation."""

    attempts_left: int


@dataclass(frozen=True)
class InvitationClosed(JoinEvent):
    """Too many wrong attempts: the invitation refuses everyone from now on."""


@dataclass(frozen=True)
class AttemptRefused(JoinEvent):
    """An exchange was turned away before any key was derived (closed, expired, busy...)."""

    reason: FailureReason


# -- both sides -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class JoinFailed(JoinEvent):
    """The exchange ended without a welcome."""

    reason: FailureReason


# -- newcomer side --------------------------------------------------------------------------------
@dataclass(frozen=True)
class CodeAccepted(JoinEvent):
    """Both sides proved they know the code; the request went to the host, who decides."""


@dataclass(frozen=True)
class Welcomed(JoinEvent):
    """The host let us in: here is the circle's invitation."""

    invite: InviteLink


@dataclass(frozen=True)
class Refused(JoinEvent):
    """The host said no, kindly; ``message`` is theirs (or a default) to show as it is."""

    message: str
