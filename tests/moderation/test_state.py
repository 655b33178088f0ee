"""The moderation state: who may do what, replays and forgeries ignored, the same result in any
order."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from messenger.circle import lobby
from messenger.identity import Membership
from messenger.moderation import (
    Appoint,
    CircleClosed,
    Close,
    Dismiss,
    EventRejected,
    Hide,
    MemberRemoved,
    ModerationLimits,
    ModerationState,
    ModeratorAppointed,
    ModeratorDismissed,
    NotPermitted,
    PostHidden,
    PostUnhidden,
    Reason,
    Remove,
    Rotate,
    RotationAnnounced,
    RotationDue,
    SignedEvent,
    SlowMode,
    SlowModeChanged,
    StateError,
    sign_event,
)
from messenger.moderation.actions import fingerprint
from messenger.views import Role

from .helpers import ALICE, BOB, CAROL, CIRCLE, HOST, MALLORY, OTHER_CIRCLE, T0, member, state

P1, P2, P3 = bytes([1]) * 32, bytes([2]) * 32, bytes([3]) * 32


def ev(who: Membership, seq: int, action: object, ts: int = T0) -> SignedEvent:
    return sign_event(who, seq, ts, action)  # type: ignore[arg-type]


def names(*events: SignedEvent) -> bytes:
    """A closing's ``term``: these events, named."""
    return b"".join(fingerprint(e.id) for e in events)


def snapshot(s: ModerationState) -> tuple[object, ...]:
    d = s.derived
    return (
        dict(d.removed),
        d.moderators,
        d.hidden,
        s.slow_mode,
        s.closed,
        s.epoch,
        s.rotation_due,
        s.digest(),
    )


# -- the host -----------------------------------------------------------------------------------
def test_host_removes_a_member() -> None:
    s = state(ALICE)
    effects = s.apply(ev(HOST, 1, Remove(BOB.member_key)), T0)
    assert effects == (MemberRemoved(BOB.member_key, HOST.member_key), RotationDue())
    assert s.is_removed(BOB.member_key) and not s.is_removed(ALICE.member_key)
    assert s.is_removed(BOB.member_key) and s.removed == {BOB.member_key}
    assert s.rotation_due


def test_removal_of_me_says_so() -> None:
    s = state(BOB)
    (removed, _) = s.apply(ev(HOST, 1, Remove(BOB.member_key)), T0)
    assert removed == MemberRemoved(BOB.member_key, HOST.member_key, is_me=True)


def test_replayed_event_is_ignored() -> None:
    s = state()
    event = ev(HOST, 1, Hide(P1))
    assert s.apply(event, T0) == (PostHidden(P1),)
    before = snapshot(s)
    with pytest.raises(EventRejected) as info:
        s.apply(event, T0 + 1000)
    assert info.value.reason is Reason.DUPLICATE
    assert snapshot(s) == before


def test_events_from_ordinary_members_are_ignored() -> None:
    s = state()
    for action in (
        Remove(ALICE.member_key),
        Hide(P1),
        SlowMode(30),
        Close(),
        Appoint(MALLORY.member_key),
    ):
        with pytest.raises(EventRejected) as info:
            s.apply(ev(MALLORY, 1, action), T0)
        assert info.value.reason is Reason.NOT_MODERATOR
    assert len(s) == 0 and not s.is_removed(ALICE.member_key) and not s.hidden


def test_event_for_another_circle_is_refused() -> None:
    s = state()
    other_host = Membership(
        OTHER_CIRCLE.circle_id, "Facilitator", HOST.noise_private, HOST.signing_seed
    )
    with pytest.raises(EventRejected) as info:
        s.apply(ev(other_host, 1, Remove(ALICE.member_key)), T0)
    assert info.value.reason is Reason.WRONG_CIRCLE


def test_event_from_the_future_waits() -> None:
    s = state()
    event = ev(HOST, 1, Hide(P1), ts=T0 + 3_600_000)
    with pytest.raises(EventRejected) as info:
        s.apply(event, T0)
    assert info.value.reason is Reason.FUTURE
    assert event.id not in s
    assert s.apply(event, T0 + 3_600_000) == (PostHidden(P1),)


def test_host_cannot_remove_or_appoint_itself() -> None:
    s = state()
    for action in (Remove(HOST.member_key), Appoint(HOST.member_key)):
        with pytest.raises(EventRejected) as info:
            s.apply(ev(HOST, 1, action), T0)
        assert info.value.reason is Reason.BAD_TARGET


def test_the_open_lobby_has_no_moderation() -> None:
    s = ModerationState.for_circle(lobby())
    with pytest.raises(EventRejected) as info:
        s.apply(ev(HOST, 1, Hide(P1)), T0)
    assert info.value.reason is Reason.NO_HOST
    assert not s.is_removed(MALLORY.member_key) and s.moderators() == frozenset()
    with pytest.raises(NotPermitted):
        s.check_permitted(HOST.member_key, Hide(P1))


def test_slow_mode_and_close() -> None:
    s = state()
    assert s.slow_mode == CIRCLE.settings.slow_mode_seconds
    assert s.apply(ev(HOST, 1, SlowMode(30)), T0) == (SlowModeChanged(30),)
    assert s.slow_mode == 30
    # the latest by timestamp wins, whatever the order of arrival
    assert s.apply(ev(HOST, 3, SlowMode(0), ts=T0 + 20), T0) == (SlowModeChanged(0),)
    assert s.apply(ev(HOST, 2, SlowMode(120), ts=T0 + 10), T0) == ()
    assert s.slow_mode == 0
    assert s.apply(ev(HOST, 4, Close()), T0) == (CircleClosed(),)
    assert s.closed
    assert s.apply(ev(HOST, 5, Hide(P1)), T0) == (PostHidden(P1),)  # moderation goes on


def test_rotation_ends_the_due_rotation() -> None:
    s = state()
    s.apply(ev(HOST, 1, Remove(BOB.member_key)), T0)
    assert s.rotation_due
    effects = s.apply(ev(HOST, 2, Rotate(1, (ALICE.member_key, CAROL.member_key))), T0)
    assert effects == (RotationAnnounced(1),)
    assert not s.rotation_due and s.epoch == 1
    assert s.rotation_recipients == {ALICE.member_key, CAROL.member_key}
    # a later removal makes it due again
    assert s.apply(ev(HOST, 3, Remove(CAROL.member_key)), T0)[-1] == RotationDue()


def test_a_rotation_that_still_includes_a_removed_member_is_not_enough() -> None:
    s = state()
    s.apply(ev(HOST, 1, Rotate(1, (ALICE.member_key, BOB.member_key))), T0)
    assert not s.rotation_due
    s.apply(ev(HOST, 2, Remove(BOB.member_key)), T0)
    assert s.rotation_due


# -- co-moderators ------------------------------------------------------------------------------
def appointed(me: Membership | None = None) -> ModerationState:
    s = state(me)
    s.apply(ev(HOST, 1, Appoint(ALICE.member_key, 1)), T0)
    return s


def test_appointed_co_moderator_may_remove_hide_and_slow_down() -> None:
    s = state(ALICE)
    assert s.apply(ev(HOST, 1, Appoint(ALICE.member_key, 1)), T0) == (
        ModeratorAppointed(ALICE.member_key, is_me=True),
    )
    assert s.role(ALICE.member_key) is Role.MODERATOR and s.role(HOST.member_key) is Role.HOST
    assert s.role(BOB.member_key) is Role.MEMBER
    assert s.moderators() == {HOST.member_key, ALICE.member_key}
    assert s.apply(ev(ALICE, 1, Hide(P1)), T0) == (PostHidden(P1),)
    assert s.apply(ev(ALICE, 2, Remove(BOB.member_key)), T0) == (
        MemberRemoved(BOB.member_key, ALICE.member_key),
        RotationDue(),
    )
    assert s.apply(ev(ALICE, 3, SlowMode(60)), T0) == (SlowModeChanged(60),)


@pytest.mark.parametrize(
    "action",
    [
        Appoint(BOB.member_key, 1),
        Dismiss(ALICE.member_key, 0),
        Close(),
    ],
)
def test_co_moderator_cannot_take_host_actions(action: object) -> None:
    s = appointed()
    with pytest.raises(EventRejected) as info:
        s.apply(ev(ALICE, 1, action), T0)
    assert info.value.reason is Reason.NOT_PERMITTED


def test_co_moderator_cannot_remove_the_host_or_itself_or_another_co_moderator() -> None:
    s = appointed()
    for target in (HOST.member_key, ALICE.member_key):
        with pytest.raises(EventRejected) as info:
            s.apply(ev(ALICE, 1, Remove(target)), T0)
        assert info.value.reason is Reason.BAD_TARGET
    s.apply(ev(HOST, 2, Appoint(CAROL.member_key, 1)), T0)
    assert s.apply(ev(ALICE, 1, Remove(CAROL.member_key)), T0) == ()
    assert not s.is_removed(CAROL.member_key)


def test_removed_co_moderator_acting_after_removal_is_ignored() -> None:
    s = appointed()
    s.apply(ev(ALICE, 1, Hide(P1)), T0)
    s.apply(ev(HOST, 2, s.complete(Remove(ALICE.member_key))), T0)
    before = snapshot(s)
    assert s.apply(ev(ALICE, 2, Hide(P2)), T0) == ()
    assert s.apply(ev(ALICE, 3, Remove(BOB.member_key)), T0) == ()
    assert s.is_hidden(P1) and not s.is_hidden(P2) and not s.is_removed(BOB.member_key)
    assert snapshot(s)[:-1] == before[:-1]  # only the set of events held changed


def test_dismissed_co_moderator_acting_after_dismissal_is_ignored() -> None:
    s = appointed()
    s.apply(ev(ALICE, 1, Hide(P1)), T0)
    assert s.apply(ev(HOST, 2, s.complete(Dismiss(ALICE.member_key))), T0) == (
        ModeratorDismissed(ALICE.member_key),
    )
    assert s.apply(ev(ALICE, 2, Hide(P2)), T0) == ()
    assert not s.is_hidden(P2)


def test_a_late_dismissal_undoes_what_came_after_it() -> None:
    """Alice's second hide arrives before the host's dismissal that ended her term at 1."""
    s = appointed()
    first = ev(ALICE, 1, Hide(P1))
    s.apply(first, T0)
    assert s.apply(ev(ALICE, 2, Hide(P2)), T0) == (PostHidden(P2),)
    effects = s.apply(ev(HOST, 2, Dismiss(ALICE.member_key, 1, names(first))), T0)
    assert effects == (ModeratorDismissed(ALICE.member_key), PostUnhidden(P2))
    assert s.is_hidden(P1)


def test_re_appointed_co_moderator_counts_again_from_the_new_term() -> None:
    s = appointed()
    s.apply(ev(HOST, 2, Dismiss(ALICE.member_key, upto=0)), T0)
    s.apply(ev(ALICE, 1, Hide(P1)), T0)
    assert not s.is_hidden(P1)
    assert s.complete(Appoint(ALICE.member_key)) == Appoint(ALICE.member_key, 2)
    s.apply(ev(HOST, 3, Appoint(ALICE.member_key, 2)), T0)
    assert s.next_seq(ALICE.member_key) == 2
    s.apply(ev(ALICE, 2, Hide(P2)), T0)
    assert not s.is_hidden(P1) and s.is_hidden(P2)


def test_equivocation_the_lower_id_counts_in_any_order() -> None:
    a, b = ev(HOST, 1, Hide(P1)), ev(HOST, 1, Hide(P2))
    low, high = sorted((a, b), key=lambda e: e.id)
    one, two = state(), state()
    one.apply(low, T0)
    one.apply(high, T0)
    two.apply(high, T0)
    two.apply(low, T0)
    assert snapshot(one) == snapshot(two)
    assert one.hidden == {low.action.post_id}  # type: ignore[union-attr]


def test_co_moderator_events_before_their_appointment_wait() -> None:
    s = state()
    early = ev(ALICE, 1, Hide(P1))
    with pytest.raises(EventRejected) as info:
        s.apply(early, T0)
    assert info.value.reason is Reason.NOT_MODERATOR
    applied = s.apply_many([early, ev(HOST, 1, Appoint(ALICE.member_key, 1))], T0)
    assert len(applied.accepted) == 2 and not applied.rejected
    assert s.is_hidden(P1)


def test_log_limits() -> None:
    s = ModerationState.for_circle(CIRCLE, limits=ModerationLimits(max_moderator_events=2))
    s.apply(ev(HOST, 1, Appoint(ALICE.member_key, 1)), T0)
    s.apply(ev(ALICE, 1, Hide(P1)), T0)
    s.apply(ev(ALICE, 2, Hide(P2)), T0)
    with pytest.raises(EventRejected) as info:
        s.apply(ev(ALICE, 3, Hide(P3)), T0)
    assert info.value.reason is Reason.LOG_FULL


# -- order does not matter ----------------------------------------------------------------------
def story() -> list[SignedEvent]:
    alice = [ev(ALICE, 1, Hide(P1)), ev(ALICE, 2, Remove(MALLORY.member_key))]
    carol = ev(CAROL, 1, SlowMode(30), ts=T0 + 5)
    return [
        ev(HOST, 1, Appoint(ALICE.member_key, 1)),
        *alice,
        ev(HOST, 2, Appoint(CAROL.member_key, 1)),
        carol,
        ev(HOST, 3, Dismiss(ALICE.member_key, 2, names(*alice))),
        ev(ALICE, 3, Hide(P2)),  # after her term: never counts
        ev(ALICE, 4, Remove(BOB.member_key)),  # idem
        ev(HOST, 4, SlowMode(20), ts=T0 + 2),  # older than Carol's: never the one in force
        ev(HOST, 5, Rotate(1, (ALICE.member_key, BOB.member_key, CAROL.member_key))),
        ev(HOST, 6, Remove(CAROL.member_key, 1, names(carol))),
        ev(CAROL, 2, Hide(P3)),  # after her removal
        ev(HOST, 7, SlowMode(10), ts=T0 + 1),
    ]


def expected_story(s: ModerationState) -> None:
    assert s.removed == {MALLORY.member_key, CAROL.member_key}
    assert s.hidden == {P1}
    assert s.derived.moderators == frozenset()
    assert s.slow_mode == 30 and s.epoch == 1 and s.rotation_due


@settings(max_examples=60, deadline=None)
@given(st.randoms(use_true_random=False))
def test_any_order_of_arrival_gives_the_same_state(rng: random.Random) -> None:
    events = story()
    rng.shuffle(events)
    s = state()
    for i in range(0, len(events), 3):  # arrive in small batches, some rejected until later
        s.apply_many(events[i : i + 3], T0)
    s.apply_many(events, T0)  # the next exchange re-sends everything
    expected_story(s)


def test_to_dict_round_trip() -> None:
    s = state()
    s.apply_many(story(), T0)
    back = ModerationState.from_dict(s.to_dict())
    assert snapshot(back) == snapshot(s)
    assert [e.id for e in back.events()] == [e.id for e in s.events()]
    assert s.events()[0].actor == HOST.member_key


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"format": 2},
        {"format": 1, "circle": "x", "host": None, "events": []},
        {"format": 1, "circle": CIRCLE.circle_id, "host": HOST.member_key, "events": "x"},
        {"format": 1, "circle": CIRCLE.circle_id, "host": HOST.member_key, "events": [b"\xc1"]},
        {"format": 1, "circle": CIRCLE.circle_id, "host": HOST.member_key, "events": [1]},
    ],
)
def test_from_dict_refuses_damaged_state(data: object) -> None:
    with pytest.raises(StateError):
        ModerationState.from_dict(data)


def test_from_dict_refuses_another_circles_events() -> None:
    other = Membership(OTHER_CIRCLE.circle_id, "Facilitator", HOST.noise_private, HOST.signing_seed)
    data = state().to_dict()
    data["events"] = [ev(other, 1, Close()).signed]
    with pytest.raises(StateError) as info:
        ModerationState.from_dict(data)
    assert info.value.reason is Reason.WRONG_CIRCLE


# -- our own actions ----------------------------------------------------------------------------
def test_check_permitted() -> None:
    s = appointed()
    s.apply(ev(HOST, 2, Remove(MALLORY.member_key)), T0)
    host, alice, bob = HOST.member_key, ALICE.member_key, BOB.member_key
    s.check_permitted(host, Remove(bob))
    s.check_permitted(host, Remove(alice))
    s.check_permitted(alice, Remove(bob))
    s.check_permitted(alice, Hide(P1))
    cases = [
        (bob, Hide(P1), Reason.NOT_MODERATOR),
        (alice, Close(), Reason.NOT_PERMITTED),
        (alice, Appoint(bob), Reason.NOT_PERMITTED),
        (alice, Remove(alice), Reason.BAD_TARGET),
        (alice, Remove(host), Reason.BAD_TARGET),
        (host, Remove(host), Reason.BAD_TARGET),
        (host, Remove(MALLORY.member_key), Reason.BAD_TARGET),
        (host, Appoint(alice), Reason.BAD_TARGET),
        (host, Dismiss(bob), Reason.BAD_TARGET),
        (host, Rotate(1, ()), Reason.NOT_PERMITTED),
    ]
    for actor, action, reason in cases:
        with pytest.raises(NotPermitted) as info:
            s.check_permitted(actor, action)  # type: ignore[arg-type]
        assert info.value.reason is reason, (actor, action)
    s.apply(ev(HOST, 3, Appoint(CAROL.member_key)), T0)
    with pytest.raises(NotPermitted) as info:
        s.check_permitted(alice, Remove(CAROL.member_key))
    assert info.value.reason is Reason.BAD_TARGET


def test_too_many_co_moderators() -> None:
    s = state()
    for i in range(16):
        s.apply(ev(HOST, i + 1, Appoint(member(f"mod{i}").member_key)), T0)
    with pytest.raises(NotPermitted) as info:
        s.check_permitted(HOST.member_key, Appoint(BOB.member_key))
    assert info.value.reason is Reason.TOO_MANY
    assert s.apply(ev(HOST, 17, Appoint(BOB.member_key)), T0) == ()


def test_complete_fills_in_terms() -> None:
    s = appointed()
    held = [ev(ALICE, 1, Hide(P1)), ev(ALICE, 2, Hide(P2))]
    s.apply_many(held, T0)
    assert s.complete(Dismiss(ALICE.member_key)) == Dismiss(ALICE.member_key, 2, names(*held))
    assert s.complete(Remove(ALICE.member_key)) == Remove(ALICE.member_key, 2, names(*held))
    assert s.complete(Remove(BOB.member_key)) == Remove(BOB.member_key, 0)
    assert s.next_seq(HOST.member_key) == 2 and s.next_seq(ALICE.member_key) == 3
