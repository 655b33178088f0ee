"""What the conversation core hands back: bytes to send, and events for the node and front ends.

All frozen dataclasses. ``peer`` is always the other member's Ed25519 key in this circle (the key
the channel's handshake authenticated).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..views import DeliveryState
from .dm_envelope import DirectMessage
from .envelope import SignedPost
from .errors import DropReason


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One wire message for the channel to ``peer``."""

    peer: bytes
    data: bytes


@dataclass(frozen=True)
class ConversationEvent:
    """Base of the core's events."""


@dataclass(frozen=True)
class PostReceived(ConversationEvent):
    """A verified post from another member, stored; emitted once per post, in each author's seq
    order. ``late`` marks a post that fills a gap we had stopped waiting for."""

    post: SignedPost
    peer: bytes  # who delivered it (its author, or a member forwarding it)
    late: bool = False


@dataclass(frozen=True)
class GapAbandoned(ConversationEvent):
    """We stopped holding back an author's later posts for ``first..last``; they may come late."""

    author_key: bytes
    first: int
    last: int


@dataclass(frozen=True, slots=True)
class LoadPosts:
    """Storage as an output (drained with :meth:`~.sync.CircleSync.take_loads`): read
    ``author``'s stored posts ``lo..hi`` and hand them to :meth:`~.sync.CircleSync.loaded`,
    which sends them to ``peer`` (a request the engine could not answer from the bodies it
    holds in memory)."""

    peer: bytes
    author: bytes
    lo: int
    hi: int


@dataclass(frozen=True)
class PeerSynced(ConversationEvent):
    """The peer's high-water marks arrived; catch-up in both directions is under way."""

    peer: bytes


@dataclass(frozen=True)
class DmRequest(ConversationEvent):
    """The first direct message from a member we have not accepted: accept or decline it."""

    message: DirectMessage


@dataclass(frozen=True)
class DmHeld(ConversationEvent):
    """A direct message to us that is not shown yet (a request not answered, or from a member
    we declined or blocked): kept, so that nothing acknowledged is ever lost."""

    message: DirectMessage


@dataclass(frozen=True)
class DmReceived(ConversationEvent):
    """A direct message to us, from a member we accepted (shown once)."""

    message: DirectMessage


@dataclass(frozen=True)
class DmStateChanged(ConversationEvent):
    """One of our direct messages moved forward: queued, sent, delivered, read."""

    message_id: bytes
    peer: bytes
    state: DeliveryState


@dataclass(frozen=True)
class PeerTyping(ConversationEvent):
    peer: bytes
    typing: bool


@dataclass(frozen=True)
class PeerGoodbye(ConversationEvent):
    """The peer is leaving the circle, with an optional word of goodbye."""

    peer: bytes
    text: str | None


@dataclass(frozen=True)
class PeerLimited(ConversationEvent):
    """We dropped ``dropped`` of the peer's posts for coming too fast (and told it)."""

    peer: bytes
    dropped: int


@dataclass(frozen=True)
class CoolDown(ConversationEvent):
    """The peer keeps flooding: disconnect it and refuse it until ``until`` (ms)."""

    peer: bytes
    until: int


@dataclass(frozen=True)
class SlowDown(ConversationEvent):
    """The peer told us we send too fast: it dropped ``dropped`` of our posts."""

    peer: bytes
    dropped: int
    retry_after_ms: int


@dataclass(frozen=True)
class Dropped(ConversationEvent):
    """Input from ``peer`` refused for ``reason`` (never shown). Duplicates and rate-limited posts
    are only counted, not reported one by one."""

    peer: bytes
    reason: DropReason
    what: str  # "message", "post" or "dm"
