"""Certificates (issue 16, item 2), in the sans-IO core: only members an ADMIT names count.

A self-signed identity (anyone with the link, or fakes a member injects) gets a pending link on
which nothing flows, is sealed no secret, and posts nothing; co-moderators rotate after their own
removal when the host is away; two rotations at once converge on one secret; and while a
removal's rotation is due, no new identity links at all.
"""

from __future__ import annotations

import pytest

from messenger.identity import Membership
from messenger.moderation import (
    Admit,
    Appoint,
    LinkKind,
    Reason,
    Remove,
    SecretRotated,
    StaleLink,
)

from .helpers import CIRCLE, seed
from .sim import World


def newcomer(world: World, name: str) -> Membership:
    """An identity made with the circle's secret (the invite link), admitted by nobody."""
    me = Membership(CIRCLE.circle_id, name.capitalize(), seed(name + "-noise"), seed(name))
    world.add(name, me, CIRCLE)
    return me


def test_a_self_signed_identity_gets_nothing_until_a_moderator_admits_it() -> None:
    world = World(["host", "alice"])
    world.connect()
    world.post("alice", "before anyone new")
    nina = newcomer(world, "nina")
    world.connect()
    host, alice, peer = world["host"], world["alice"], world["nina"]
    assert host.mod.is_pending(nina.member_key) and alice.mod.is_pending(nina.member_key)
    assert not host.mod.carries_conversation(nina.member_key)
    assert not any(s.recipient == "nina" for s in world.sent), "a pending link got something"
    assert peer.bodies() == []
    world.run("host", host.mod.admit(nina.member_key, "Nina", world.now))
    assert alice.mod.state.is_member(nina.member_key) and peer.mod.state.is_member(nina.member_key)
    assert not alice.mod.is_pending(nina.member_key)
    assert "before anyone new" in peer.bodies()
    world.post("nina", "hello, I am new")
    assert "hello, I am new" in alice.bodies()


def test_a_rotation_is_sealed_to_certified_members_only() -> None:
    world = World(["host", "alice", "mallory", "rex"])
    world.connect()
    fakes = [newcomer(world, f"fake{i}") for i in range(20)]  # mallory's injected identities
    nina = newcomer(world, "nina")
    world.connect()
    host = world["host"]
    world.run("host", host.mod.admit(nina.member_key, "Nina", world.now))
    world.run("host", host.mod.remove(world["rex"].key, world.now))
    assert host.mod.circle.epoch == 1
    sealed_to = {h.recipient for h in host.mod.keeper.handovers()}
    assert sealed_to == {world[n].key for n in ("alice", "mallory", "nina")}
    assert not sealed_to & {f.member_key for f in fakes}
    assert world["nina"].mod.circle.secret == host.mod.circle.secret
    assert all(world[f"fake{i}"].mod.circle.epoch == 0 for i in range(20))


def test_a_co_moderator_rotates_after_a_removal_while_the_host_is_away() -> None:
    world = World(["host", "carol", "alice", "rex"])
    world.connect()
    host, carol, alice, rex = (world[n] for n in ("host", "carol", "alice", "rex"))
    world.run("host", host.mod.act(Appoint(carol.key), world.now))
    world.go_offline("host")
    world.run("carol", carol.mod.remove(rex.key, world.now))
    assert carol.mod.circle.epoch == 1 and alice.mod.circle.secret == carol.mod.circle.secret
    assert rex.mod.circle.epoch == 0 and not carol.mod.state.rotation_due
    world.connect()
    world.post("alice", "after rex left")
    assert "after rex left" not in rex.bodies()
    world.go_online("host")
    world.connect()
    assert host.mod.circle.epoch == 1 and host.mod.circle.secret == carol.mod.circle.secret
    assert not host.mod.state.rotation_due


def test_two_rotations_at_once_converge_on_one_secret() -> None:
    world = World(["host", "carol", "alice", "bob", "rex", "sam"])
    world.connect()
    host, carol = world["host"], world["carol"]
    world.run("host", host.mod.act(Appoint(carol.key), world.now))
    # both remove someone at the same moment, each rotating to epoch 1 with its own secret
    host_result = host.mod.remove(world["rex"].key, world.now)
    carol_result = carol.mod.remove(world["sam"].key, world.now)
    world.run("host", host_result)
    world.run("carol", carol_result)
    world.connect()
    secrets = {world[n].mod.circle.secret for n in ("host", "carol", "alice", "bob")}
    assert len(secrets) == 1
    winner = host.mod.state.rotator
    assert winner in (host.key, carol.key)
    assert {world[n].mod.circle.epoch for n in ("host", "carol", "alice", "bob")} == {1}


def test_no_new_identity_links_while_a_removals_rotation_is_due() -> None:
    world = World(["host", "carol", "rex"])
    world.connect()
    host, carol, rex = world["host"], world["carol"], world["rex"]
    world.run("host", host.mod.act(Appoint(carol.key), world.now))
    world.go_offline("host")
    world.run("carol", carol.mod.act(Remove(rex.key), world.now))  # a removal, no rotation yet
    assert carol.mod.state.rotation_due
    rex_again = Membership(CIRCLE.circle_id, "Someone New", seed("rex2-noise"), seed("rex2"))
    decision = carol.mod.link_decision(rex_again.member_key, 0, world.now)
    assert decision.kind is LinkKind.REFUSE and decision.reason is Reason.NOT_ADMITTED
    # and a certified member still links
    assert carol.mod.link_decision(world["host"].key, 0, world.now).accepted


def test_an_admit_spreads_and_a_second_one_changes_nothing() -> None:
    world = World(["host", "alice"])
    nina = newcomer(world, "nina")
    world.connect()
    host = world["host"]
    world.run("host", host.mod.admit(nina.member_key, "Nina", world.now))
    assert world["alice"].mod.state.derived.admitted[nina.member_key] == "Nina"
    assert any(isinstance(e, SecretRotated) for e in world["nina"].effects) is False
    try:
        host.mod.act(Admit(nina.member_key, "Nina"), world.now)
    except Exception as exc:
        assert getattr(exc, "reason", None) is Reason.BAD_TARGET
    else:
        raise AssertionError("admitted twice")


def test_an_identity_let_in_by_a_host_who_missed_a_removal_loses_its_link_at_the_rotation() -> None:
    """The host was away when a co-moderator removed rex and rotated; rex, under a new identity
    with the old link, reached the host first and was let in (auto-approve). When the host gets
    the rotation, that link, carried over, is cut: the rotation was not sealed to it."""
    world = World(["host", "carol", "ada", "rex"])
    world.connect()
    host, carol = world["host"], world["carol"]
    world.run("host", host.mod.act(Appoint(carol.key), world.now))
    world.go_offline("host")
    world.run("carol", carol.mod.remove(world["rex"].key, world.now))
    world.go_offline("rex")
    rex2 = newcomer(world, "rex2")
    world.go_online("host")
    assert world.try_link(host, world["rex2"]) == 0  # before anyone tells the host
    world.run("host", host.mod.admit(rex2.member_key, "Rex2", world.now))
    assert host.mod.carries_conversation(rex2.member_key)
    world.connect()
    assert host.mod.circle.epoch == 1 and host.mod.circle.secret == carol.mod.circle.secret
    assert not host.mod.carries_conversation(rex2.member_key)
    assert StaleLink(rex2.member_key) in host.effects
    world.post("ada", "after the removal")
    world.post("host", "and the host is back")
    assert not {"after the removal", "and the host is back"} & set(world["rex2"].bodies())


def test_a_co_moderator_admits_while_the_host_is_away() -> None:
    world = World(["host", "carol", "alice"])
    nina = newcomer(world, "nina")
    world.connect()
    host, carol, alice = world["host"], world["carol"], world["alice"]
    world.run("host", host.mod.act(Appoint(carol.key), world.now))
    world.go_offline("host")
    assert alice.mod.is_pending(nina.member_key)
    world.run("carol", carol.mod.admit(nina.member_key, "Nina", world.now))
    assert alice.mod.state.is_member(nina.member_key)
    assert world["nina"].mod.state.is_member(nina.member_key)
    world.post("nina", "hello, Carol let me in")
    assert "hello, Carol let me in" in alice.bodies()
    world.go_online("host")
    world.connect()
    assert host.mod.state.is_member(nina.member_key)
    assert host.mod.state.derived.admitted[nina.member_key] == "Nina"


def test_only_a_moderator_in_term_certifies_a_member() -> None:
    """A modified client signs ADMIT events itself: a plain member's, and a co-moderator's
    after their term ended, certify nobody; the client refuses to make the first at all."""
    from messenger.moderation import Dismiss, EventRejected

    from .helpers import ALICE, BOB, CAROL, HOST, MALLORY, T0, event, state

    s = state(HOST)
    forged = event(MALLORY, 1, Admit(BOB.member_key, "Bob"))
    with pytest.raises(EventRejected) as refused:
        s.apply(forged, T0)
    assert refused.value.reason is Reason.NOT_MODERATOR and not s.is_member(BOB.member_key)

    s.apply(event(HOST, 1, Appoint(ALICE.member_key, 1)), T0)
    s.apply(event(ALICE, 1, Admit(CAROL.member_key, "Carol")), T0)  # in her term: counts
    assert s.is_member(CAROL.member_key)
    s.apply(event(HOST, 2, s.complete(Dismiss(ALICE.member_key))), T0)
    late = event(ALICE, 2, Admit(BOB.member_key, "Bob"))  # after her term: kept, counts nothing
    s.apply(late, T0)
    assert not s.is_member(BOB.member_key) and s.is_member(CAROL.member_key)

    world = World(["host", "alice"])
    nina = newcomer(world, "nina")
    world.connect()
    try:
        world["alice"].mod.admit(nina.member_key, "Nina", world.now)
    except Exception as exc:  # the stock client says why
        assert getattr(exc, "reason", None) is not None
    else:
        raise AssertionError("a plain member admitted someone")
    assert not world["host"].mod.state.is_member(nina.member_key)
