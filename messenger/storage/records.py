"""The values the store keeps and returns: frozen dataclasses, checked when made.

Conventions shared by every record:
- times (``ts``, ``received_at``, ``joined_at``, ``first_seen``, ...) are integer milliseconds
  since the Unix epoch, so ordering and paging are exact;
- ids and keys are ``bytes``: post and message ids and Ed25519 keys are 32 bytes, circle ids are
  opaque (1..64 bytes);
- ``signed`` is the exact signed envelope as received or sent, kept for forwarding and evidence;
- ``record`` blobs (circles, memberships) are msgpack from their own model, stored opaquely;
- text, envelopes and blobs are left out of ``repr`` so a record in a log line leaks nothing.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from ..views import DeliveryState
from .errors import InvalidRecord

KEY_LEN = 32
POST_KINDS = ("", "react", "retract")
ID_LEN = 32
MAX_CIRCLE_ID = 64


class Direction(enum.Enum):
    """Which way a direct message went."""

    IN = "in"
    OUT = "out"


DmState = DeliveryState
"""Where a direct message is in its life (the one enum of :mod:`messenger.views`); states
only move forward (see :attr:`~messenger.views.DeliveryState.rank`). The store keeps all but
``FAILED`` (:data:`STORED_STATES`)."""

STORED_STATES = (
    DeliveryState.QUEUED,
    DeliveryState.SENT,
    DeliveryState.DELIVERED,
    DeliveryState.READ,
)


def _need_bytes(name: str, value: object, length: int | None = None) -> None:
    if not isinstance(value, bytes):
        raise InvalidRecord(f"{name} must be bytes, not {type(value).__name__}")
    if length is not None and len(value) != length:
        raise InvalidRecord(f"{name} must be {length} bytes, not {len(value)}")


def _need_circle_id(value: object) -> None:
    _need_bytes("circle_id", value)
    assert isinstance(value, bytes)
    if not 1 <= len(value) <= MAX_CIRCLE_ID:
        raise InvalidRecord(f"circle_id must be 1..{MAX_CIRCLE_ID} bytes, not {len(value)}")


def _need_int(name: str, value: object, minimum: int | None = None) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidRecord(f"{name} must be an int, not {type(value).__name__}")
    if not -(2**63) <= value < 2**63:
        raise InvalidRecord(f"{name} does not fit in 64 bits")
    if minimum is not None and value < minimum:
        raise InvalidRecord(f"{name} must be at least {minimum}")


def _need_str(name: str, value: object, *, optional: bool = False) -> None:
    if optional and value is None:
        return
    if not isinstance(value, str):
        raise InvalidRecord(f"{name} must be text, not {type(value).__name__}")


def _need_bool(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise InvalidRecord(f"{name} must be a bool, not {type(value).__name__}")


@dataclass(frozen=True, slots=True)
class PostRecord:
    """A post in a circle. ``(circle_id, author_key, seq)`` is unique, like ``id``."""

    id: bytes
    circle_id: bytes
    author_key: bytes
    seq: int
    ts: int
    received_at: int
    body: str = field(repr=False)
    signed: bytes = field(repr=False)
    reply_to: bytes | None = None
    content_warning: str | None = field(default=None, repr=False)
    hidden: bool = False
    kind: str = ""  # "" a post; "react" or "retract" an act on ``reply_to``

    def __post_init__(self) -> None:
        _need_bytes("id", self.id, ID_LEN)
        _need_circle_id(self.circle_id)
        _need_bytes("author_key", self.author_key, KEY_LEN)
        if self.kind not in POST_KINDS:
            raise InvalidRecord(f"kind must be one of {POST_KINDS}")
        if self.kind and self.reply_to is None:
            raise InvalidRecord("an act needs the post it acts on (reply_to)")
        _need_int("seq", self.seq, 0)
        _need_int("ts", self.ts)
        _need_int("received_at", self.received_at)
        _need_str("body", self.body)
        _need_bytes("signed", self.signed)
        if self.reply_to is not None:
            _need_bytes("reply_to", self.reply_to, ID_LEN)
        _need_str("content_warning", self.content_warning, optional=True)
        _need_bool("hidden", self.hidden)


@dataclass(frozen=True, slots=True)
class CircleRecord:
    """A circle this profile belongs (or belonged) to; ``record`` is the circle model, opaque."""

    id: bytes
    name: str = field(repr=False)
    joined_at: int
    record: bytes = field(repr=False)
    left: bool = False

    def __post_init__(self) -> None:
        _need_circle_id(self.id)
        _need_str("name", self.name)
        _need_int("joined_at", self.joined_at)
        _need_bytes("record", self.record)
        _need_bool("left", self.left)


@dataclass(frozen=True, slots=True)
class MembershipRecord:
    """Our own identity in one circle (private keys inside ``record``; the db is encrypted)."""

    circle_id: bytes
    record: bytes = field(repr=False)

    def __post_init__(self) -> None:
        _need_circle_id(self.circle_id)
        _need_bytes("record", self.record)


@dataclass(frozen=True, slots=True)
class DirectMessageRecord:
    """A direct message between us and ``peer_key`` inside one circle."""

    id: bytes
    circle_id: bytes
    peer_key: bytes
    direction: Direction
    state: DmState
    ts: int
    body: str = field(repr=False)
    signed: bytes = field(repr=False)

    def __post_init__(self) -> None:
        _need_bytes("id", self.id, ID_LEN)
        _need_circle_id(self.circle_id)
        _need_bytes("peer_key", self.peer_key, KEY_LEN)
        if not isinstance(self.direction, Direction):
            raise InvalidRecord("direction must be a Direction")
        if self.state not in STORED_STATES:
            raise InvalidRecord("state must be a stored DmState (not failed)")
        _need_int("ts", self.ts)
        _need_str("body", self.body)
        _need_bytes("signed", self.signed)


@dataclass(frozen=True, slots=True)
class PurgeResult:
    """How many rows a retention purge removed."""

    posts: int
    direct_messages: int
