"""The per-circle moderation engine in a small world of members: events spread, forgeries stop
at the first member, reports reach moderators only, rotation reaches those who were away."""

from __future__ import annotations

import itertools

import pytest

from messenger.conversation import Outgoing
from messenger.moderation import (
    Appoint,
    BindingsChanged,
    CircleModeration,
    Close,
    Dropped,
    FloodDisconnect,
    Hide,
    HostNotice,
    LinkKind,
    MemberRemoved,
    NotPermitted,
    PostHidden,
    Reason,
    Remove,
    ReportDelivered,
    ReportError,
    ReportReason,
    ReportReceived,
    SecretRotated,
    SlowMode,
    StateError,
    sign_event,
)
from messenger.moderation.context import EngineLimits
from messenger.moderation.reports import make_report
from messenger.moderation.wire import Digest, Events, Report, decode, encode
from messenger.mux import Lane

from .helpers import CIRCLE, T0, member
from .sim import World

P1 = bytes([1]) * 32


def chain(*names: str) -> World:
    """A world where only neighbours in ``names`` are linked (a line)."""
    world = World(names)
    for a, b in itertools.pairwise(names):
        world.try_link(world[a], world[b])
    world.pump()
    return world


def test_events_hop_along_a_chain() -> None:
    world = chain("host", "alice", "bob")
    world.run("host", world["host"].mod.act(Hide(P1), world.now))
    for name in ("alice", "bob"):
        assert world[name].mod.state.is_hidden(P1)
        assert PostHidden(P1) in world[name].effects


def test_a_member_who_was_away_catches_up_from_anyone() -> None:
    world = World(["host", "alice", "bob"])
    world.connect()
    world.go_offline("bob")
    world.run("host", world["host"].mod.act(Hide(P1), world.now))
    world.go_offline("host")
    world.go_online("bob")
    world.connect()
    assert world["bob"].mod.state.is_hidden(P1)
    assert world["bob"].mod.state.digest() == world["alice"].mod.state.digest()


def test_forged_events_stop_at_the_first_member() -> None:
    world = chain("mallory", "alice", "bob")
    mallory = world["mallory"]
    forged = sign_event(mallory.me, 1, world.now, Remove(world["bob"].key))
    before = len(world.sent)
    world._send(
        mallory, [out_to(world["alice"].key, encode(Events((forged.signed,))))], Lane.MODERATION
    )
    world.pump()
    alice = world["alice"]
    assert alice.of(Dropped) == [Dropped(mallory.key, Reason.NOT_MODERATOR, "event")]
    assert alice.mod.state.is_member(world["bob"].key)
    assert not any(s.sender == "alice" and s.recipient == "bob" for s in world.sent[before:])
    assert not world["bob"].mod.state.removed


def out_to(peer: bytes, data: bytes) -> Outgoing:
    return Outgoing(peer, data)


def test_garbage_on_the_lane_is_dropped_and_rate_limited() -> None:
    world = chain("mallory", "alice")
    alice = world["alice"]
    mallory = world["mallory"]
    world._send(mallory, [out_to(alice.key, b"\xc1")], Lane.MODERATION)
    world.pump()
    assert alice.of(Dropped)[-1] == Dropped(mallory.key, Reason.MALFORMED, "message")
    hello = encode(Digest(alice.mod.state.digest(), 0))
    limit = EngineLimits().burst
    world._send(mallory, [out_to(alice.key, hello)] * (limit + 5), Lane.MODERATION)
    world.pump()
    limited = [d for d in alice.of(Dropped) if d.reason is Reason.RATE_LIMITED]  # type: ignore[attr-defined]
    assert len(limited) >= 4
    flood = alice.mod.observe(limited, world.now)  # type: ignore[arg-type]
    assert isinstance(flood[0], FloodDisconnect) and isinstance(flood[1], HostNotice)
    assert alice.mod.link_decision(mallory.key, 0, world.now).reason is Reason.COOLING_DOWN
    assert alice.mod.receive(bytes(32), hello, world.now)[1][0].reason is Reason.WRONG_PEER  # type: ignore[attr-defined]


def test_acting_without_the_role_is_refused() -> None:
    world = World(["host", "alice"])
    with pytest.raises(NotPermitted) as info:
        world["alice"].mod.act(Hide(P1), world.now)
    assert info.value.reason is Reason.NOT_MODERATOR
    with pytest.raises(NotPermitted):
        world["alice"].mod.rotate(world.now)


# -- removal and rotation -----------------------------------------------------------------------
def test_removal_rotates_and_the_removed_member_is_left_behind() -> None:
    world = World(["host", "alice", "bob", "rex"])
    world.connect()
    host, rex = world["host"], world["rex"]
    world.run("host", host.mod.remove(rex.key, world.now))
    assert host.mod.circle.epoch == 1
    for name in ("alice", "bob"):
        peer = world[name]
        assert [type(e) for e in peer.of(SecretRotated)] == [SecretRotated]
        assert peer.mod.circle.secret == host.mod.circle.secret
        assert MemberRemoved(rex.key, host.key) in peer.effects
    assert rex.mod.circle.epoch == 0
    assert MemberRemoved(rex.key, host.key, is_me=True) in rex.effects
    world.connect()
    assert set(world.links) == {
        frozenset(p) for p in (("host", "alice"), ("host", "bob"), ("alice", "bob"))
    }
    assert set(world.links.values()) == {1}
    # rex is refused at the old epoch, and is in nobody's hand-over
    assert host.mod.link_decision(rex.key, 0, world.now).reason is Reason.REMOVED
    assert not any(h.recipient == rex.key for h in host.mod.keeper.handovers())


def test_live_links_of_members_who_stay_carry_over_the_rotation() -> None:
    world = World(["host", "alice", "bob", "rex"])
    world.connect()
    host, alice, bob, rex = (world[n] for n in ("host", "alice", "bob", "rex"))
    world.run("host", host.mod.remove(rex.key, world.now))
    # No new handshake: the links made at epoch 0 count at epoch 1 on both ends and still
    # carry the conversation; the removed member's link does not.
    for a, b in ((host, alice), (host, bob), (alice, bob), (alice, host), (bob, alice)):
        assert a.mod.carries_conversation(b.key), (a, b)
        assert a.mod.link_epoch(b.key) == 1
    assert not host.mod.carries_conversation(rex.key)
    assert not alice.mod.carries_conversation(rex.key)


def test_a_second_link_at_the_old_epoch_leaves_a_carried_over_link_carrying() -> None:
    # After a rotation each member still holds hand-overs for the others for a while, so it
    # keeps the old epoch bound and may dial a member at that epoch even though their live
    # link was carried over. That second, hand-over-only link used to replace the member's
    # state in the engine: the live link stopped carrying posts in both directions (seen on
    # a virtual LAN: bo never got ada's post), and closing it forgot the live link too.
    world = World(["host", "alice", "bob", "rex"])
    world.connect()
    host, alice, bob, rex = (world[n] for n in ("host", "alice", "bob", "rex"))
    world.run("host", host.mod.remove(rex.key, world.now))
    for a, b in ((alice, bob), (bob, alice)):
        assert a.mod.link_decision(b.key, 0, world.now).kind is LinkKind.HANDOVER_ONLY
        a.mod.peer_connected(b.key, world.now, epoch=0)
        assert a.mod.carries_conversation(b.key) and a.mod.link_epoch(b.key) == 1
        a.mod.peer_lost(b.key, epoch=0)  # the hand-over link closes; the live one stays
        assert a.mod.carries_conversation(b.key) and a.mod.link_epoch(b.key) == 1


def test_rotation_reaches_a_member_who_was_away_through_another_member() -> None:
    world = World(["host", "alice", "bob", "rex"])
    world.connect()
    world.go_offline("bob")
    host = world["host"]
    world.run("host", host.mod.remove(world["rex"].key, world.now))
    world.connect()
    world.go_offline("host")
    world.go_online("bob")
    bob, alice = world["bob"], world["alice"]
    assert alice.mod.link_decision(bob.key, 0, world.now).kind is LinkKind.HANDOVER_ONLY
    world.connect()
    assert bob.mod.circle.epoch == 1 and bob.mod.circle.secret == alice.mod.circle.secret
    assert bob.mod.state.is_removed(world["rex"].key)
    assert world.links == {frozenset(("alice", "bob")): 1}
    # everyone alice held a hand-over for has now been seen: she drops the old epoch
    world.tick()
    assert [b.epoch for b in alice.mod.bindings(world.now)] == [1]
    assert any(isinstance(e, BindingsChanged) for e in alice.effects)


def test_co_moderator_removal_makes_the_host_rotate() -> None:
    world = World(["host", "carol", "rex"])
    world.connect()
    host, carol, rex = world["host"], world["carol"], world["rex"]
    world.run("host", host.mod.act(Appoint(carol.key), world.now))
    world.run("carol", carol.mod.act(Remove(rex.key), world.now))
    assert host.mod.state.rotation_due
    world.run("host", host.mod.rotate(world.now))
    assert carol.mod.circle.epoch == 1 and not host.mod.state.rotation_due
    assert rex.mod.circle.epoch == 0


# -- reports ------------------------------------------------------------------------------------
def report_world() -> World:
    """host — alice — bob, carol (co-moderator) linked to the host only, dave linked to alice."""
    world = World(["host", "alice", "bob", "carol", "dave", "mallory"], delay_ms=30_000)
    world.connect()
    world.run("host", world["host"].mod.act(Appoint(world["carol"].key), world.now))
    for a, b in [("alice", "carol"), ("bob", "carol"), ("dave", "carol"), ("dave", "host")]:
        world.cut(a, b)
    return world


def test_reports_reach_moderators_only() -> None:
    world = report_world()
    alice, host, carol = world["alice"], world["host"], world["carol"]
    evidence = world.post("mallory", "something cruel")
    sealed, result = alice.mod.report(
        world["mallory"].key, ReportReason.HARASSMENT, "Again.", world.now, evidence=evidence
    )
    world.run("alice", result)
    assert not host.of(ReportReceived)  # an anonymous report waits a little first
    for _ in range(31):
        world.tick()
    for moderator in (host, carol):
        (received,) = moderator.of(ReportReceived)
        report = received.report  # type: ignore[attr-defined]
        assert report.id == sealed.id and report.reporter is None
        assert report.evidence == evidence
        assert moderator.mod.queue.open_count == 1
    assert alice.of(ReportDelivered) == [ReportDelivered(sealed.id)]
    reports = [
        s for s in world.sent if s.lane is Lane.MODERATION and isinstance(decode(s.data), Report)
    ]
    assert {s.recipient for s in reports} == {"host", "carol"}
    # carol got it through the host; alice keeps it for carol until they meet (carol drops repeats)
    assert alice.mod.pending_reports() == [sealed]
    world.try_link(alice, carol)
    world.pump()
    assert alice.mod.pending_reports() == []
    assert len(carol.of(ReportReceived)) == 1


def test_ordinary_member_drops_a_report_and_passes_nothing_on() -> None:
    world = report_world()
    bob, dave = world["bob"], world["dave"]
    sealed = make_report(
        CIRCLE.circle_id,
        world["mallory"].key,
        ReportReason.SPAM,
        "",
        moderators=bob.mod.state.moderators(),
        now=world.now,
    )
    before = len(world.sent)
    world._send(dave, [out_to(bob.key, encode(Report(sealed.data)))], Lane.MODERATION)
    world.pump()
    assert bob.of(Dropped)[-1] == Dropped(dave.key, Reason.NOT_ADDRESSED, "report")
    assert [s for s in world.sent[before:] if s.sender == "bob"] == []


def test_report_waits_for_a_moderator_to_come_online() -> None:
    world = World(["host", "alice", "mallory"])
    world.connect()
    world.go_offline("host")
    alice = world["alice"]
    sealed, result = alice.mod.report(
        world["mallory"].key, ReportReason.THREAT, "", world.now, anonymous=False
    )
    world.run("alice", result)
    assert alice.mod.pending_reports() == [sealed]
    world.go_online("host")
    world.connect()
    (received,) = world["host"].of(ReportReceived)
    assert received.report.reporter == alice.key  # type: ignore[attr-defined]
    assert alice.mod.pending_reports() == []


def test_moderators_report_into_their_own_queue_too() -> None:
    world = World(["host", "mallory"])
    host = world["host"]
    _, (out, effects) = host.mod.report(world["mallory"].key, ReportReason.OTHER, "", world.now)
    assert out == [] and isinstance(effects[0], ReportReceived)
    assert host.mod.pending_reports() == []


def test_flood_notice_goes_to_the_moderators_signed() -> None:
    world = World(["host", "alice", "mallory"])
    world.connect()
    alice, mallory = world["alice"], world["mallory"]
    world.run(
        "alice",
        alice.mod.notify_moderators(HostNotice(mallory.key, 1, world.now + 60_000), world.now),
    )
    (received,) = world["host"].of(ReportReceived)
    report = received.report  # type: ignore[attr-defined]
    assert report.reason is ReportReason.FLOOD and report.reporter == alice.key
    assert alice.mod.notify_moderators(HostNotice(world["host"].key, 1, 0), world.now) == ([], [])


def test_too_many_pending_reports() -> None:
    world = World(["host", "alice", "mallory"])
    alice = world["alice"]
    for _ in range(EngineLimits().max_pending_reports):
        alice.mod.report(world["mallory"].key, ReportReason.SPAM, "", world.now)
    with pytest.raises(ReportError) as info:
        alice.mod.report(world["mallory"].key, ReportReason.SPAM, "", world.now)
    assert info.value.reason is Reason.TOO_MANY


# -- storage ------------------------------------------------------------------------------------
def test_engine_round_trip() -> None:
    world = World(["host", "alice", "bob", "rex"], delay_ms=10_000)
    world.connect()
    host, alice = world["host"], world["alice"]
    world.run("host", host.mod.act(Appoint(alice.key), world.now))
    world.go_offline("bob")
    world.run(
        "host",
        host.mod.remove(world["rex"].key, world.now),
    )
    alice.mod.report(world["rex"].key, ReportReason.SPAM, "", world.now)
    assert host.mod.take_dirty() and not host.mod.take_dirty()
    for peer in (host, alice):
        back = CircleModeration.from_dict(peer.mod.to_dict(), peer.mod.circle, peer.me)
        assert back.state.digest() == peer.mod.state.digest()
        assert back.keeper.to_dict() == peer.mod.keeper.to_dict()
        assert back.queue.items() == peer.mod.queue.items()
        assert back.pending_reports() == peer.mod.pending_reports()
        assert [b.epoch for b in back.bindings(world.now)] == [
            b.epoch for b in peer.mod.bindings(world.now)
        ]


@pytest.mark.parametrize(
    "data",
    [None, {"format": 3}, {"format": 1, "state": None}],
)
def test_engine_refuses_damaged_state(data: object) -> None:
    with pytest.raises(StateError):
        CircleModeration.from_dict(data, CIRCLE, member("alice"))


def test_engine_refuses_state_of_another_circle() -> None:
    from .helpers import OTHER_CIRCLE

    other = CircleModeration(OTHER_CIRCLE, member("alice", OTHER_CIRCLE))
    with pytest.raises(StateError) as info:
        CircleModeration.from_dict(other.to_dict(), CIRCLE, member("alice"))
    assert info.value.reason is Reason.WRONG_CIRCLE
    with pytest.raises(ValueError):
        CircleModeration(CIRCLE, member("alice", OTHER_CIRCLE))
    assert T0


def test_who_may_post_now() -> None:
    world = World(["host", "alice", "bob"])
    world.connect()
    host, alice, bob = world["host"], world["alice"], world["bob"]
    now = world.now
    alice.mod.check_may_post(None, now)
    world.run("host", host.mod.act(SlowMode(30), now))
    alice.mod.check_may_post(None, now)
    alice.mod.check_may_post(now - 30_000, now)
    with pytest.raises(NotPermitted) as info:
        alice.mod.check_may_post(now - 10_500, now)
    assert info.value.reason is Reason.SLOW_MODE and info.value.detail == "20"
    host.mod.check_may_post(now - 1, now)  # moderators are not slowed down
    world.run("host", host.mod.remove(bob.key, now))
    with pytest.raises(NotPermitted) as info:
        bob.mod.check_may_post(None, now)
    assert info.value.reason is Reason.REMOVED
    world.run("host", host.mod.act(Close(), now))
    with pytest.raises(NotPermitted) as info:
        alice.mod.check_may_post(None, now)
    assert info.value.reason is Reason.CLOSED


def test_set_circle_keeps_the_same_circle() -> None:
    from dataclasses import replace

    from messenger.circle import CircleSettings

    mod = CircleModeration(CIRCLE, member("alice"))
    slower = CIRCLE.with_settings(CircleSettings(slow_mode_seconds=15)).with_details(rules="Kind.")
    mod.set_circle(slower)
    assert mod.circle.rules == "Kind." and mod.state.slow_mode == 15
    with pytest.raises(ValueError):
        mod.set_circle(replace(CIRCLE, epoch=3))


def test_the_open_lobby_has_no_moderators_to_act_or_report_to() -> None:
    from messenger.circle import lobby

    lounge = lobby()
    me = member("alice", lounge)
    mod = CircleModeration(lounge, me)
    assert mod.is_member(member("mallory", lounge).member_key)
    assert mod.link_decision(member("bob", lounge).member_key, 0, T0).kind is LinkKind.ACCEPT
    with pytest.raises(NotPermitted) as info:
        mod.act(Hide(P1), T0)
    assert info.value.reason is Reason.NO_HOST
    with pytest.raises(ReportError) as report_info:
        mod.report(member("mallory", lounge).member_key, ReportReason.SPAM, "", T0)
    assert report_info.value.reason is Reason.NOT_ADDRESSED
    assert mod.notify_moderators(HostNotice(bytes(32), 1, T0), T0) == ([], [])


def test_bad_hand_overs_and_reports_over_an_old_epoch_link_are_dropped() -> None:
    world = World(["host", "alice", "bob", "rex"])
    world.connect()
    world.go_offline("bob")
    world.run(
        "host",
        world["host"].mod.remove(world["rex"].key, world.now),
    )
    world.go_online("bob")
    host, bob = world["host"], world["bob"]
    assert world.try_link(host, bob) == 0
    out, effects = host.mod.receive(bob.key, encode(Report(b"x")), world.now)
    assert out == [] and effects == [Dropped(bob.key, Reason.STALE_EPOCH, "report")]
    from messenger.moderation.wire import Handovers

    out, effects = bob.mod.receive(host.key, encode(Handovers((b"junk",))), world.now)
    assert effects == [Dropped(host.key, Reason.MALFORMED, "handover")]
    world.pump()
    assert bob.mod.circle.epoch == 1
