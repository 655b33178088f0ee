"""What an event costs to spread (issue 18): each sender names in ``also`` who else it went to,
so in a full mesh a moderator's one round reaches everyone and nobody passes it on; across
missing links it still reaches everyone; a newcomer let in sends no log back to the members who
gave it theirs. Before, every member passed each event on to every other (O(N²) per event)."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable

import pytest

from messenger.circle import Circle
from messenger.conversation import Outgoing
from messenger.identity import Membership
from messenger.moderation import Hide
from messenger.moderation.wire import PREFIX, Events, decode, encode
from messenger.mux import Lane

from .helpers import CIRCLE, seed
from .sim import Peer, World

P1 = bytes([1]) * 32
NAMES = ["host", *[f"m{i}" for i in range(11)]]


def event_messages(world: World, since: int = 0) -> list[tuple[str, str, Events]]:
    out = []
    for sent in world.sent[since:]:
        if sent.lane is Lane.MODERATION:
            msg = decode(sent.data)
            if isinstance(msg, Events):
                out.append((sent.sender, sent.recipient, msg))
    return out


def test_in_a_full_mesh_an_event_goes_to_each_member_once() -> None:
    world = World(NAMES)
    world.connect()
    mark = len(world.sent)
    world.run("host", world["host"].mod.act(Hide(P1), world.now))
    sent = event_messages(world, mark)
    assert len(sent) == len(NAMES) - 1  # was (N-1) + (N-1)(N-2) = 121 for N = 12
    assert {s for s, _, _ in sent} == {"host"}
    assert all(world[n].mod.state.is_hidden(P1) for n in NAMES)


def test_across_missing_links_an_event_still_reaches_everyone_for_less_than_a_flood() -> None:
    rng = random.Random(7)
    for _ in range(5):
        world = World(NAMES)
        pairs = list(itertools.combinations(NAMES, 2))
        kept = rng.sample(pairs, len(pairs) * 2 // 3)
        # a ring first, so that everyone is reachable however the third is chosen
        ring = list(itertools.pairwise([*NAMES, NAMES[0]]))
        for a, b in {*kept, *ring}:
            world.try_link(world[a], world[b])
        world.pump()
        links = len(world.links)
        mark = len(world.sent)
        world.run("host", world["host"].mod.act(Hide(P1), world.now))
        assert all(world[n].mod.state.is_hidden(P1) for n in NAMES), sorted(world.links)
        flooding = 2 * links - (len(NAMES) - 1)  # every member to every link but its sender's
        assert len(event_messages(world, mark)) < flooding


def test_a_lying_also_cannot_keep_an_event_from_a_member_for_good() -> None:
    """A relay that names members it never sent to delays them until their next connect."""
    world = World(["host", "alice", "bob"])
    for a, b in (("host", "alice"), ("alice", "bob")):
        world.try_link(world[a], world[b])
    world.pump()
    out, _effects = world["host"].mod.act(Hide(P1), world.now)
    bob = world["bob"].key[:PREFIX]
    for item in out:  # the push names bob as well, though the host has no link to bob
        msg = decode(item.data)
        assert isinstance(msg, Events)
        lie = Events(msg.events, tuple(sorted({*msg.also, bob})))
        world._send(world["host"], [Outgoing(item.peer, encode(lie))], Lane.MODERATION)
    world.pump()
    assert world["alice"].mod.state.is_hidden(P1)
    assert not world["bob"].mod.state.is_hidden(P1)  # alice believed the names
    world.cut("alice", "bob")
    world.connect()
    assert world["bob"].mod.state.is_hidden(P1)  # the next connect's DIGEST catches bob up


def newcomer(world: World, name: str, circle: Circle = CIRCLE) -> Membership:
    me = Membership(circle.circle_id, name.capitalize(), seed(name + "-noise"), seed(name))
    world.add(name, me, circle)
    return me


def circle_with_a_newcomer(names: list[str]) -> tuple[World, Membership]:
    """A circle whose log holds a hidden post, and Nina linked to everyone, not let in yet."""
    world = World(names)
    world.connect()
    world.run("host", world["host"].mod.act(Hide(P1), world.now))
    nina = newcomer(world, "nina")
    world.connect()
    return world, nina


def test_a_newcomer_let_in_gets_the_log_and_sends_none_back() -> None:
    world, nina = circle_with_a_newcomer(NAMES)
    mark = len(world.sent)
    world.run("host", world["host"].mod.admit(nina.member_key, "Nina", world.now))
    assert world["nina"].mod.state.is_hidden(P1)
    assert all(world[n].mod.state.is_member(nina.member_key) for n in NAMES)
    sent = event_messages(world, mark)
    assert not [m for s, _, m in sent if s == "nina"], "the newcomer sent its whole log back"
    admits = [(s, r) for s, r, m in sent if r != "nina"]
    assert len(admits) == len(NAMES) - 1  # the ADMIT: from the host to each member, once
    assert world["nina"].mod.state.digest() == world["host"].mod.state.digest()


def test_a_newcomer_receives_the_log_from_the_moderator_who_let_it_in_only() -> None:
    """Forming a circle (issue 18): every member that promoted a newcomer sent it the whole
    log, O(N) logs per member joined; now the admitting moderator sends it, the others a
    DIGEST that matches."""
    world, nina = circle_with_a_newcomer(NAMES)
    mark = len(world.sent)
    world.run("host", world["host"].mod.admit(nina.member_key, "Nina", world.now))
    to_nina = [(s, len(m.events)) for s, r, m in event_messages(world, mark) if r == "nina"]
    assert {s for s, _ in to_nina} == {"host"}, to_nina  # was every one of the 12 members
    assert sum(n for _, n in to_nina) == len(world["host"].mod.state)
    assert world["nina"].mod.state.digest() == world["host"].mod.state.digest()
    assert all(world[n].mod.state.is_member(nina.member_key) for n in NAMES)


def test_a_newcomer_whose_log_from_the_moderator_was_lost_gets_it_from_another(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world, nina = circle_with_a_newcomer(["host", "alice", "bob"])
    send = world._send

    def lossy(peer: Peer, out: Iterable[Outgoing], lane: Lane) -> None:
        host_to_nina = peer is world["host"]  # the host's log never arrives
        send(peer, [o for o in out if not (host_to_nina and o.peer == nina.member_key)], lane)

    with monkeypatch.context() as patch:
        patch.setattr(world, "_send", lossy)
        world.run("host", world["host"].mod.admit(nina.member_key, "Nina", world.now))
    assert world["nina"].mod.state.is_member(nina.member_key)
    assert world["nina"].mod.state.is_hidden(P1)
    assert world["nina"].mod.state.digest() == world["host"].mod.state.digest()
