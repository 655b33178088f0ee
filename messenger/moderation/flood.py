"""Flood escalation: a peer that keeps hitting the receive limits is cut off, longer each time.

The conversation core already enforces per-peer rate and size limits on receive (token buckets,
:class:`~messenger.conversation.RateLimits`, :class:`~messenger.conversation.wire.WireLimits`)
and tells us when it drops: :class:`PeerLimited` (posts dropped for rate, at most once per notice
interval), :class:`Dropped` for oversized input, and :class:`CoolDown` when a peer floods hard.
The moderation engine reports its own drops as :class:`~.effects.Dropped`.

:class:`FloodGuard` counts *strikes* per peer from those. ``strikes`` of them within
``window_ms`` — or a :class:`CoolDown` from the core — is an *offence*: disconnect the peer and
refuse it for ``cool_down_ms``, doubled at each further offence up to ``max_cool_down_ms``
(:class:`~.effects.FloodDisconnect`), and tell the host (:class:`~.effects.HostNotice`). After
``forgive_ms`` without an offence the count starts again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..conversation.errors import DropReason
from ..conversation.events import ConversationEvent, CoolDown, PeerLimited
from ..conversation.events import Dropped as ConversationDropped
from .effects import Dropped, Effect, FloodDisconnect, HostNotice
from .errors import Reason

STRIKING_DROPS = frozenset({DropReason.OVERSIZE, DropReason.RATE_LIMITED})
STRIKING_REASONS = frozenset({Reason.OVERSIZE, Reason.RATE_LIMITED})
MAX_TRACKED = 1024


@dataclass(frozen=True)
class FloodPolicy:
    strikes: int = 3
    window_ms: int = 60_000
    cool_down_ms: int = 60_000
    max_cool_down_ms: int = 3_600_000
    forgive_ms: int = 24 * 3_600_000


@dataclass
class _Record:
    strikes: list[int] = field(default_factory=list)  # when, within the window
    offences: int = 0
    last_offence: int = 0
    until: int = 0


class FloodGuard:
    """Strikes and cool-downs for the peers of one circle (sans-IO; ``now`` in ms)."""

    def __init__(self, policy: FloodPolicy | None = None) -> None:
        self.policy = policy or FloodPolicy()
        self._peers: dict[bytes, _Record] = {}

    def observe(self, event: ConversationEvent | Effect, now: int) -> list[Effect]:
        """Feed every conversation event and moderation effect; returns what to do."""
        if isinstance(event, CoolDown):
            return self.offence(event.peer, now, at_least=event.until)
        if isinstance(event, PeerLimited):
            return self.strike(event.peer, now)
        if isinstance(event, ConversationDropped) and event.reason in STRIKING_DROPS:
            return self.strike(event.peer, now)
        if isinstance(event, Dropped) and event.reason in STRIKING_REASONS:
            return self.strike(event.peer, now)
        return []

    def strike(self, peer: bytes, now: int) -> list[Effect]:
        record = self._record(peer, now)
        if record.until > now:
            return []  # already cut off: what it sent before the cut does not count again
        window_start = now - self.policy.window_ms
        record.strikes = [t for t in record.strikes if t > window_start]
        record.strikes.append(now)
        if len(record.strikes) < self.policy.strikes:
            return []
        return self.offence(peer, now)

    def offence(self, peer: bytes, now: int, *, at_least: int = 0) -> list[Effect]:
        record = self._record(peer, now)
        if record.until > now:
            record.until = max(record.until, at_least)
            return []
        if record.offences and now - record.last_offence > self.policy.forgive_ms:
            record.offences = 0
        record.offences += 1
        record.last_offence = now
        record.strikes.clear()
        length = min(
            self.policy.cool_down_ms * 2 ** min(record.offences - 1, 30),
            self.policy.max_cool_down_ms,
        )
        record.until = max(now + length, at_least)
        return [
            FloodDisconnect(peer, record.until, record.offences),
            HostNotice(peer, record.offences, record.until),
        ]

    def cooling_until(self, peer: bytes, now: int) -> int | None:
        """When the peer's cool-down ends, if it is cooling down now: refuse its links."""
        record = self._peers.get(peer)
        if record is None or record.until <= now:
            return None
        return record.until

    def refuses(self, peer: bytes, now: int) -> bool:
        return self.cooling_until(peer, now) is not None

    def offences(self, peer: bytes) -> int:
        record = self._peers.get(peer)
        return 0 if record is None else record.offences

    def _record(self, peer: bytes, now: int) -> _Record:
        record = self._peers.get(peer)
        if record is None:
            if len(self._peers) >= MAX_TRACKED:
                self._forget(now)
            record = self._peers[peer] = _Record()
        return record

    def _forget(self, now: int) -> None:
        """Drop the records that no longer matter (forgiven, not cooling), oldest first."""
        idle = [
            p
            for p, r in self._peers.items()
            if r.until <= now and now - r.last_offence > self.policy.forgive_ms
        ]
        for peer in idle:
            del self._peers[peer]
        while len(self._peers) >= MAX_TRACKED:
            oldest = min(self._peers, key=lambda p: self._peers[p].last_offence)
            del self._peers[oldest]
