"""The issue's scenarios with both engines running: a removal, a block, the ones who were away."""

from __future__ import annotations

import pytest

from messenger.conversation import DmStateChanged, PostReceived, PublishError
from messenger.identity import Membership
from messenger.moderation import (
    PersonalSettings,
    Reason,
    ReportReason,
    Shown,
    should_show,
)
from messenger.mux import Lane
from messenger.views import DeliveryState

from .helpers import CIRCLE, seed
from .sim import World


def removal_world() -> World:
    world = World(["host", "alice", "bob", "rex"])
    world.connect()
    world.post("alice", "hello all")
    world.post("rex", "hi, I am rex")
    return world


def remove_rex(world: World) -> None:
    host = world["host"]
    world.run("host", host.mod.remove(world["rex"].key, world.now))
    world.connect()


def test_removed_member_cannot_reconnect_or_read_what_follows() -> None:
    world = removal_world()
    rex = world["rex"]
    assert "hello all" in rex.bodies()
    remove_rex(world)
    world.post("alice", "now that he is gone")
    world.post("bob", "yes, we can talk again")
    world.post("host", "welcome back, everyone")
    for name in ("host", "alice", "bob"):
        assert {"now that he is gone", "yes, we can talk again", "welcome back, everyone"} <= set(
            world[name].bodies()
        )
    assert not {"now that he is gone", "yes, we can talk again"} & set(rex.bodies())
    assert all("rex" not in link for link in world.links)
    # rex keeps trying, at the only epoch he knows: refused by everyone
    for name in ("host", "alice", "bob"):
        assert world.try_link(rex, world[name]) is None
        decision = world[name].mod.link_decision(rex.key, 0, world.now)
        assert decision.reason is Reason.REMOVED
    # his own client knows he was removed; other members' engines refuse his posts anyway
    with pytest.raises(PublishError):
        world.post("rex", "let me back in")
    assert not world["alice"].sync.posts.is_member(rex.key)
    # what he posted before is hidden by moderation
    old = next(p for p in world["alice"].log_posts() if p.envelope.body == "hi, I am rex")
    assert should_show(old.to_view(), PersonalSettings(), world["alice"].mod.state).kind is (
        Shown.HIDDEN_MODERATED
    )


def test_removed_member_with_a_made_up_identity_is_refused_too() -> None:
    """Bob is away, so the others keep the old epoch open for him; rex signs himself a fresh
    identity with the old secret: it is in no hand-over, so it is refused there too."""
    world = removal_world()
    old_circle = world["rex"].mod.circle
    world.go_offline("bob")
    remove_rex(world)
    disguise = Membership(CIRCLE.circle_id, "Newcomer", seed("disguise-noise"), seed("disguise"))
    ghost = world.add("ghost", disguise, old_circle)  # holds the old secret only
    for name in ("host", "alice"):
        assert [b.epoch for b in world[name].mod.bindings(world.now)] == [1, 0]
        assert world.try_link(ghost, world[name]) is None
        decision = world[name].mod.link_decision(ghost.key, 0, world.now)
        assert decision.reason is Reason.NOT_ADDRESSED
        assert world.try_link(world["rex"], world[name]) is None
    world.post("alice", "after the removal")
    assert "after the removal" not in ghost.bodies()
    assert "after the removal" not in world["rex"].bodies()


def test_member_who_was_away_gets_the_secret_and_the_posts() -> None:
    world = removal_world()
    world.go_offline("bob")
    remove_rex(world)
    world.post("alice", "posted while bob was away")
    world.go_offline("host")
    world.go_online("bob")
    world.connect()
    bob = world["bob"]
    assert bob.mod.circle.epoch == 1
    assert bob.mod.state.is_removed(world["rex"].key)
    assert "posted while bob was away" in bob.bodies()
    # rex, still at epoch 0, finds nobody: alice no longer binds it once bob came through
    world.tick()
    assert world.try_link(world["rex"], world["alice"]) is None


def test_old_epoch_link_carries_no_conversation() -> None:
    world = removal_world()
    world.go_offline("bob")
    remove_rex(world)
    world.post("alice", "secret talk")
    world.go_online("bob")
    bob, alice = world["bob"], world["alice"]
    before = len(world.sent)
    # bob, at the old epoch, links with alice: he sends his HELLO for posts, alice ignores it
    epoch = world.try_link(alice, bob)
    assert epoch == 0 and not alice.mod.carries_conversation(bob.key)
    world.pump()
    to_bob = [s for s in world.sent[before:] if s.recipient == "bob"]
    assert to_bob and all(s.lane is Lane.MODERATION for s in to_bob)
    assert bob.mod.circle.epoch == 1


def test_blocked_members_direct_messages_never_surface() -> None:
    world = World(["alice", "mallory", "bob"])
    world.connect()
    alice, mallory = world["alice"], world["mallory"]
    alice.settings = alice.settings.block(mallory.key)
    alice.sync.decline_dm(mallory.key)  # what the facade does on /block
    world.dm("mallory", "alice", "you cannot hide from me")
    world.dm("mallory", "alice", "answer me")
    world.dm("bob", "alice", "are you ok?")
    assert alice.dms() == ["are you ok?"]
    # nothing told mallory: her messages show as delivered, like any other
    states = [e.state for e in mallory.events if isinstance(e, DmStateChanged)]
    assert DeliveryState.DELIVERED in states
    # and her posts are hidden for alice only
    world.post("mallory", "look at me")
    shown = [e.post for e in alice.events if isinstance(e, PostReceived)]
    (post,) = [p for p in shown if p.envelope.body == "look at me"]
    assert should_show(post.to_view(), alice.settings).kind is Shown.HIDDEN_BLOCKED
    assert should_show(post.to_view(), world["bob"].settings).kind is Shown.SHOW


def test_reports_never_reach_ordinary_members() -> None:
    world = World(["host", "alice", "bob", "mallory"])
    world.connect()
    evidence = world.post("mallory", "cruel words")
    for name in ("alice", "bob"):
        _, result = world[name].mod.report(
            world["mallory"].key,
            ReportReason.HARASSMENT,
            "please look",
            world.now,
            evidence=evidence,
        )
        world.run(name, result)
    world.tick()
    reports = [s for s in world.sent if s.lane is Lane.MODERATION and s.data[:2] == b"\x92\x04"]
    assert reports and {s.recipient for s in reports} == {"host"}
    assert world["host"].mod.queue.open_count == 2
