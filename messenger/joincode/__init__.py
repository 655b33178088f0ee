"""Joining by spoken code: the code, and a sans-IO join protocol over SPAKE2.

The host opens an :class:`Invitation` (showing a :class:`JoinCode` such as ``7-amber-lantern``)
and advertises :attr:`JoinCode.discovery_key` on the LAN; the newcomer types the code, finds the
host by that hint, connects, and the two run :class:`NewcomerSession` / :class:`HostSession`
over the connection (2-byte length framing). See ``code.py`` for what the code's strength is.
"""

from .code import (
    CHANNEL_MAX,
    CHANNEL_MIN,
    LIFETIME_SECONDS,
    JoinCode,
    discovery_key,
    generate,
    looks_like_code,
    parse,
    words,
)
from .errors import FrameError, JoinCodeError, JoinCodeProblem, JoinError, JoinStateError
from .events import (
    AttemptFailed,
    AttemptRefused,
    CodeAccepted,
    FailureReason,
    InvitationClosed,
    JoinEvent,
    JoinFailed,
    JoinRequested,
    NewcomerAdmitted,
    NewcomerDenied,
    Refused,
    Welcomed,
)
from .framing import MAX_FRAME, FrameDecoder, frame
from .host import HostSession, HostState
from .invitation import DEFAULT_REFUSAL, MAX_FAILURES, Invitation, InvitationState
from .newcomer import NewcomerSession, NewcomerState
from .stream import HostConnection, join_over_stream

__all__ = [
    "CHANNEL_MAX",
    "CHANNEL_MIN",
    "DEFAULT_REFUSAL",
    "LIFETIME_SECONDS",
    "MAX_FAILURES",
    "MAX_FRAME",
    "AttemptFailed",
    "AttemptRefused",
    "CodeAccepted",
    "FailureReason",
    "FrameDecoder",
    "FrameError",
    "HostConnection",
    "HostSession",
    "HostState",
    "Invitation",
    "InvitationClosed",
    "InvitationState",
    "JoinCode",
    "JoinCodeError",
    "JoinCodeProblem",
    "JoinError",
    "JoinEvent",
    "JoinFailed",
    "JoinRequested",
    "JoinStateError",
    "NewcomerAdmitted",
    "NewcomerDenied",
    "NewcomerSession",
    "NewcomerState",
    "Refused",
    "Welcomed",
    "discovery_key",
    "frame",
    "generate",
    "join_over_stream",
    "looks_like_code",
    "parse",
    "words",
]
