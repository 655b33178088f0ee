"""What front ends are shown: plain, frozen snapshots of the core's state.

The desktop app and the headless peer read these; they never reach into storage or the network.
Keys are raw bytes; ``hex()`` them for display or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any


class Role(Enum):
    HOST = "host"
    MODERATOR = "moderator"
    MEMBER = "member"


class DeliveryState(StrEnum):
    """Where a direct message of mine is: states only move forward (:attr:`rank`); the one enum
    for the engine, the store (``storage.DmState`` is this, without ``FAILED``) and the screen."""

    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"  # the recipient's client has stored it
    READ = "read"
    FAILED = "failed"

    @property
    def rank(self) -> int:
        return _DELIVERY_RANK[self]


_DELIVERY_RANK = {
    DeliveryState.QUEUED: 0,
    DeliveryState.SENT: 1,
    DeliveryState.DELIVERED: 2,
    DeliveryState.READ: 3,
    DeliveryState.FAILED: -1,
}


class Retention(Enum):
    """How long a circle keeps its history (with an amount of hours or days)."""

    SESSION = "session"  # this session only: in memory, never written to disk
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
    members: int = 0  # members not removed, me included: whom an anonymous post hides among
    invite_link: str = ""
    rules_revision: int = 0  # the host's latest signed circle details we hold (0: none yet)
    rules_accepted: bool = True  # False while changed rules wait for this member's consent
    roster_code: str = ""  # the circle code over the members I know, to compare aloud
    removed: bool = False  # I was removed: the circle is read-only here until I leave it
    waiting: bool = False  # I joined by link and the host has not let me in yet


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


REACTION_LABELS = {
    "hear": "I hear you",
    "thanks": "Thank you",
    "care": "Sending care",
    "same": "Me too",
}
"""The fixed set of reactions (``conversation.envelope.REACTIONS``) and what they say."""


@dataclass(frozen=True)
class ReactionView:
    """One reaction on a post: how many members gave it (each once), and whether I did."""

    name: str  # a key of REACTION_LABELS
    count: int
    mine: bool = False

    @property
    def label(self) -> str:
        return REACTION_LABELS.get(self.name, self.name)


@dataclass(frozen=True)
class QuoteView:
    """The post a reply answers, shown above it (``deleted``: its author deleted it; ``author``
    is "" for an anonymous post)."""

    id: bytes
    author: str
    body: str
    deleted: bool = False
    hidden: bool = False  # hidden from me (a moderator's hide, my block): nothing of it shown


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
    reactions: tuple[ReactionView, ...] = ()  # in REACTION_LABELS order, only those given
    quote: QuoteView | None = None  # the post ``reply_to`` names, when it is here (or deleted)
    anonymous: bool = False  # posted anonymously (no author key may be shown nor retracted)


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
class DirectThreadView:
    """A private conversation with one member (the list of them survives a restart)."""

    circle_id: bytes
    peer_key: bytes
    peer: str
    last_ts: float  # the newest message, either way
    request: bool  # they wrote and I have not answered: accept (or write back) or decline


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


@dataclass(frozen=True)
class ReportView:
    """A report in a moderator's queue (``reporter`` is "" and ``reporter_key`` None when the
    report is anonymous)."""

    circle_id: bytes
    id: bytes
    member_key: bytes
    member: str
    reason: str  # a ReportReason value
    details: str
    reporter: str
    reporter_key: bytes | None
    ts: float
    post: PostView | None
    status: str  # "open", "actioned", "dismissed"

    @property
    def anonymous(self) -> bool:
        return self.reporter_key is None

    def fields(self) -> dict[str, Any]:
        """The JSON fields of the headless ``report`` event (never a reporter when anonymous)."""
        out: dict[str, Any] = {
            "circle": self.circle_id.hex(),
            "id": self.id.hex(),
            "reason": self.reason,
            "member": self.member,
            "member_key": self.member_key.hex(),
            "details": self.details,
            "anonymous": self.anonymous,
            "status": self.status,
        }
        if self.post is not None:
            out["post_id"] = self.post.id.hex()
            out["post_body"] = self.post.body
        if self.reporter_key is not None:
            out["reporter"] = self.reporter
            out["reporter_key"] = self.reporter_key.hex()
        return out
