"""Issue 16 item 3: a dismissed (or removed) co-moderator cannot moderate any more.

The attacks of the audit, against the real moderation core: after the host closed Alice's term,
she signs new events numbered inside it, in a gap or in place of a genuine one (same slot, a
lower id, found in a couple of tries). None of them counts, for any member, in any order.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from messenger.moderation import (
    Appoint,
    Dismiss,
    Hide,
    ModerationState,
    Remove,
    SignedEvent,
    SlowMode,
    sign_event,
)

from .helpers import ALICE, BOB, HOST, T0, state

P1, P2 = bytes([1]) * 32, bytes([2]) * 32


def ev(who: object, seq: int, action: object, ts: int = T0) -> SignedEvent:
    return sign_event(who, seq, ts, action)  # type: ignore[arg-type]


def lower_than(genuine: SignedEvent, action: object) -> SignedEvent:
    """Alice's forgery for ``genuine``'s slot, with a lower id (the old rule let it win)."""
    for ts in range(T0, T0 + 10_000):
        forged = ev(ALICE, genuine.seq, action, ts)
        if forged.id < genuine.id:
            return forged
    raise AssertionError("no lower id in 10 000 tries")


def closed_term(closing: type[Dismiss] | type[Remove]) -> tuple[ModerationState, list[SignedEvent]]:
    """The host appoints Alice; she hides P1 (seq 1) and sets slow mode (seq 3: seq 2 never
    reached the host); the host closes her term as its client does (``complete``)."""
    s = state(HOST)
    held = [
        ev(HOST, 1, Appoint(ALICE.member_key, 1)),
        ev(ALICE, 1, Hide(P1)),
        ev(ALICE, 3, SlowMode(60)),
    ]
    s.apply_many(held, T0)
    assert s.is_hidden(P1) and s.slow_mode == 60
    close = ev(HOST, 2, s.complete(closing(ALICE.member_key)))
    s.apply(close, T0)
    return s, [*held, close]


def test_a_forged_removal_after_dismissal_does_not_count() -> None:
    s, history = closed_term(Dismiss)
    forged = ev(ALICE, 2, Remove(BOB.member_key))  # in the gap of her closed term
    s.apply(forged, T0)
    assert not s.is_removed(BOB.member_key)
    fresh = state(BOB)
    fresh.apply_many([forged, *history], T0)  # the forgery first, for a member who was away
    assert not fresh.is_removed(BOB.member_key) and fresh.derived == s.derived


def test_a_genuine_hide_cannot_be_undone_by_replacing_its_slot() -> None:
    s, history = closed_term(Dismiss)
    genuine = history[1]
    forged = lower_than(genuine, Remove(BOB.member_key))
    s.apply(forged, T0)
    assert s.is_hidden(P1), "the genuine hide was undone"
    assert not s.is_removed(BOB.member_key), "the forged removal in the replaced slot counted"
    assert forged.id not in s.derived.counted and genuine.id in s.derived.counted


def test_a_removed_co_moderator_cannot_replace_a_slot_either() -> None:
    s, history = closed_term(Remove)
    forged = lower_than(history[2], SlowMode(0))
    s.apply(forged, T0)
    assert s.slow_mode == 60 and s.is_removed(ALICE.member_key)


def test_a_term_closed_with_no_events_named_counts_nothing() -> None:
    s = state(HOST)
    s.apply(ev(HOST, 1, Appoint(ALICE.member_key, 1)), T0)
    s.apply(ev(HOST, 2, s.complete(Dismiss(ALICE.member_key))), T0)  # she had done nothing
    s.apply(ev(ALICE, 1, Hide(P2)), T0)
    assert not s.is_hidden(P2)


@settings(max_examples=40, deadline=None)
@given(st.randoms(use_true_random=False))
def test_members_agree_whatever_order_the_forgeries_arrive_in(rng: random.Random) -> None:
    s, history = closed_term(Dismiss)
    forgeries = [
        ev(ALICE, 2, Remove(BOB.member_key)),
        lower_than(history[1], Hide(P2)),
        lower_than(history[2], SlowMode(0)),
        ev(ALICE, 4, Remove(BOB.member_key)),
    ]
    everything = history + forgeries
    rng.shuffle(everything)
    member = state(BOB)
    for i in range(0, len(everything), 2):
        member.apply_many(everything[i : i + 2], T0)
    member.apply_many(everything, T0)
    assert member.is_hidden(P1) and not member.is_hidden(P2)
    assert member.slow_mode == 60 and not member.is_removed(BOB.member_key)
    s.apply_many(forgeries, T0)
    assert member.derived == s.derived
