"""What front ends are shown: plain, frozen snapshots of the core's state.

The desktop app and the headless peer read these; they never reach into storage or the network.
Keys are raw bytes; ``hex()`` them for display or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Role(Enum):
    HOST = "host"
    MODERATOR = "moderator"
    MEMBER = "member"


class DeliveryState(Enum):
    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"


class Retention(Enum):
    SESSION = "session"  # this session only
    HOURS = "hours"
    DAYS = "days"
    FOREVER = "forever"


class DmPolicy(Enum):
    EVERYONE = "everyone"
    MODERATORS = "moderators"  # only to/from host and moderators
    NOBODY = "nobody"


@dataclass(frozen=True)
class CircleSettingsView:
    retention: Retention = Retention.DAYS
    retention_amount: int = 30  # hours or days, per ``retention``
    dm_policy: DmPolicy = DmPolicy.EVERYONE
    slow_mode_seconds: int = 0
    anonymous_posting: bool = False
    auto_approve: bool = False


@dataclass(frozen=True)
class CircleView:
    id: bytes
    name: str
    description: str
    rules: str
    role: Role
    my_pseudonym: str
    my_key: bytes  # my Ed25519 identity key in this circle
    settings: CircleSettingsView
    unread: int = 0
    members_present: int = 0  # people in the circle now, me included
    invite_link: str = ""
    rules_revision: int = 0  # the host's latest signed circle details we hold (0: none yet)
    rules_accepted: bool = True  # False while changed rules wait for this member's consent
    roster_code: str = ""  # the circle code over the members I know, to compare aloud


@dataclass(frozen=True)
class MemberView:
    circle_id: bytes
    key: bytes  # Ed25519 identity key
    pseudonym: str
    role: Role
    present: bool
    is_me: bool = False
    blocked: bool = False
    muted: bool = False
    key_changed: bool = False  # the pinned key changed: warn loudly
    safety_number: str = ""
    verified: bool = False  # I compared this safety number in person and it matched


@dataclass(frozen=True)
class PostView:
    circle_id: bytes
    id: bytes
    author_key: bytes
    author: str  # pseudonym, or "" when posted anonymously
    seq: int
    ts: float  # seconds since the epoch (coarse when the circle is anonymous)
    body: str
    reply_to: bytes | None = None
    content_warning: str | None = None
    mine: bool = False
    hidden: bool = False  # hidden by a moderator, or by my boundaries / block
    state: DeliveryState = DeliveryState.SENT


@dataclass(frozen=True)
class DirectMessageView:
    circle_id: bytes
    id: bytes
    peer_key: bytes
    peer: str
    outgoing: bool
    ts: float
    body: str
    state: DeliveryState


@dataclass(frozen=True)
class JoinRequestView:
    circle_id: bytes
    request: str  # an id for approve/deny
    pseudonym: str


@dataclass(frozen=True)
class JoinCodeView:
    circle_id: bytes
    code: str  # e.g. "7-amber-lantern"
    expires: float  # epoch seconds
