"""Flood escalation: strikes, cool-downs that double, a notice for the host, forgiveness."""

from __future__ import annotations

from messenger.conversation import CoolDown, DropReason, PeerLimited
from messenger.conversation import Dropped as ConversationDropped
from messenger.moderation import (
    Dropped,
    FloodDisconnect,
    FloodGuard,
    FloodPolicy,
    HostNotice,
    Reason,
)
from messenger.moderation.flood import MAX_TRACKED

from .helpers import T0

PEER = bytes([9]) * 32
OTHER = bytes([8]) * 32
POLICY = FloodPolicy(strikes=3, window_ms=60_000, cool_down_ms=60_000, max_cool_down_ms=200_000)


def flood(guard: FloodGuard, peer: bytes, now: int, n: int = 3) -> list[object]:
    out: list[object] = []
    for i in range(n):
        out += guard.observe(PeerLimited(peer, 5), now + i)
    return out


def test_strikes_within_the_window_cut_the_peer_off_and_tell_the_host() -> None:
    guard = FloodGuard(POLICY)
    assert guard.observe(PeerLimited(PEER, 5), T0) == []
    assert guard.observe(PeerLimited(PEER, 5), T0 + 10_000) == []
    effects = guard.observe(PeerLimited(PEER, 5), T0 + 20_000)
    until = T0 + 20_000 + 60_000
    assert effects == [FloodDisconnect(PEER, until, 1), HostNotice(PEER, 1, until)]
    assert guard.refuses(PEER, T0 + 20_001) and guard.cooling_until(PEER, T0 + 20_001) == until
    assert not guard.refuses(PEER, until) and not guard.refuses(OTHER, T0)


def test_strikes_spread_out_are_forgiven() -> None:
    guard = FloodGuard(POLICY)
    for i in range(10):
        assert guard.observe(PeerLimited(PEER, 1), T0 + i * 31_000) == []


def test_cool_downs_double_up_to_a_cap() -> None:
    guard = FloodGuard(POLICY)
    now = T0
    lengths = []
    for _ in range(4):
        effects = flood(guard, PEER, now)
        disconnect = effects[0]
        assert isinstance(disconnect, FloodDisconnect)
        lengths.append(disconnect.until - (now + 2))
        # strikes while cut off do not count
        assert flood(guard, PEER, now + 10) == []
        now = disconnect.until + 1
    assert lengths == [60_000, 120_000, 200_000, 200_000]
    assert guard.offences(PEER) == 4


def test_a_quiet_day_starts_the_count_again() -> None:
    guard = FloodGuard(POLICY)
    flood(guard, PEER, T0)
    flood(guard, PEER, T0 + 100_000)
    assert guard.offences(PEER) == 2
    later = T0 + 100_000 + POLICY.forgive_ms + 1
    effects = flood(guard, PEER, later)
    assert effects[0] == FloodDisconnect(PEER, later + 2 + 60_000, 1)


def test_a_cool_down_from_the_conversation_core_is_an_offence_at_once() -> None:
    guard = FloodGuard(POLICY)
    effects = guard.observe(CoolDown(PEER, T0 + 500_000), T0)
    assert effects == [FloodDisconnect(PEER, T0 + 500_000, 1), HostNotice(PEER, 1, T0 + 500_000)]
    assert guard.observe(CoolDown(PEER, T0 + 900_000), T0 + 1) == []
    assert guard.cooling_until(PEER, T0 + 2) == T0 + 900_000


def test_what_counts_as_a_strike() -> None:
    guard = FloodGuard(POLICY)
    harmless: list[ConversationDropped | Dropped] = [
        ConversationDropped(PEER, DropReason.MALFORMED, "message"),
        ConversationDropped(PEER, DropReason.DUPLICATE, "post"),
        Dropped(PEER, Reason.BAD_SIGNATURE, "event"),
    ]
    for i in range(10):
        for event in harmless:
            assert guard.observe(event, T0 + i) == []
    oversize = ConversationDropped(OTHER, DropReason.OVERSIZE, "message")
    rate = Dropped(OTHER, Reason.RATE_LIMITED, "message")
    assert guard.observe(oversize, T0) == [] and guard.observe(rate, T0) == []
    assert guard.observe(oversize, T0)[0] == FloodDisconnect(OTHER, T0 + 60_000, 1)


def test_memory_is_bounded() -> None:
    guard = FloodGuard(POLICY)
    for i in range(MAX_TRACKED + 50):
        guard.observe(PeerLimited(i.to_bytes(32, "big"), 1), T0)
    assert len(guard._peers) <= MAX_TRACKED
