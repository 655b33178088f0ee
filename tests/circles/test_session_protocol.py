"""A circle's protocol (:class:`messenger.session.CircleSession`) driven by hand, with no event
loop, no socket and no thread: what it asks for (its outputs, :mod:`messenger.outputs`) is
performed by this test against real in-memory SQLCipher stores, and what one member sends is
handed to the other's :meth:`receive`. Issue 14: the protocol is sans-IO; its pump
(:mod:`messenger.pump`) is the only asyncio piece.

What is checked besides "it works without a loop": the order promises of the output stream (a
post is written before anything sends it or shows it), that a read's continuation runs where
the rest of its step would have run, and that a bad message changes nothing and asks for
nothing.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import pytest

from messenger.circle import Circle, CircleSettings, create_circle
from messenger.circle_info import sign_info
from messenger.conversation import CircleSync, sign_post
from messenger.conversation.envelope import RETRACT, sign_act
from messenger.conversation.events import PostReceived
from messenger.conversation.logindex import LogIndex
from messenger.conversation.records import post_from_record
from messenger.engine_storage import EngineStorage
from messenger.events import Event, PeerConnectedEvent, PostEvent
from messenger.identity import Membership, verify
from messenger.invite_link import parse as parse_link
from messenger.moderation import CircleModeration
from messenger.mux import Lane, pack
from messenger.outputs import (
    Disconnect,
    InviteChanged,
    Outputs,
    Read,
    Rebind,
    Send,
    SendLater,
    Show,
    Write,
)
from messenger.pinning import KeyPins
from messenger.roster import Roster
from messenger.runtime import CircleRuntime, LinkedPeer
from messenger.session import CircleSession
from messenger.storage import Store, open_ephemeral
from network.node import PeerKey

NOW = 1_700_000_000_000


@dataclass
class Member:
    """One member's protocol, its store and what it did."""

    name: str
    session: CircleSession
    store: Store
    shown: list[Event] = field(default_factory=list)
    performed: list[object] = field(default_factory=list)  # every output, in order
    links: dict[PeerKey, Member] = field(default_factory=dict)  # my link -> the other end


def member(name: str, circle: Circle, membership: Membership) -> Member:
    mod = CircleModeration(circle, membership)
    storage = EngineStorage(circle.circle_id, LogIndex([]), set(), set())
    made: list[CircleRuntime] = []
    engine = CircleSync(
        circle.circle_id,
        membership.member_key,
        storage.index,
        is_member=mod.is_member,
        dm_allowed=lambda peer: made[0].dm_allowed(peer),
        dm_already_received=storage.dm_kept,
    )
    rt = CircleRuntime(mod.circle, membership, engine, Roster(circle.circle_id), mod)
    rt.clock_ms = lambda: NOW
    made.append(rt)
    session = CircleSession(rt, storage=storage, pins=KeyPins(), clock_ms=lambda: NOW)
    return Member(name, session, open_ephemeral())


def circle_of_two() -> tuple[Member, Member]:
    """A host (letting newcomers in without asking) and a member who joined by its link."""
    circle, host_membership = create_circle(
        "Porch", "Quiet Heron", settings=CircleSettings(auto_approve=True)
    )
    host = member("host", circle, host_membership)
    host.session.set_details(circle, sign_info(host_membership.signing_key, circle, 1).signed, 1)
    joined = parse_link(host.session.rt.invite_link()).to_circle()
    ada = member("ada", joined, Membership.generate(joined.circle_id, "Gentle Fern"))
    run(host, ada)
    link(host, ada)
    run(host, ada)
    return host, ada


def link(a: Member, b: Member) -> None:
    """A Noise link came up between ``a`` and ``b`` (what the node reports to each side)."""
    tag = a.session.rt.binding().tag
    for me, other in ((a, b), (b, a)):
        theirs = other.session.rt.membership
        statement = theirs.statement()
        identity = verify(statement, theirs.noise_public, me.session.id)
        peer = PeerKey(tag, theirs.noise_public)
        me.links[peer] = other
        me.session.peer_connected(peer, LinkedPeer(identity, statement, 0))


def run(*members: Member, rounds: int = 200) -> None:
    """Perform every member's outputs, message by message, until nobody asks for anything."""
    for _ in range(rounds):
        busy = False
        for m in members:
            queue = m.session.out.queue
            while queue:
                busy = True
                perform(m, queue.popleft())
        if not busy:
            return
    raise AssertionError("the members still talk after 200 rounds")


def perform(m: Member, output: object) -> None:
    m.performed.append(output)
    if isinstance(output, Send):
        other = m.links[output.peer]
        back = next(p for p, who in other.links.items() if who is m)
        other.session.receive(back, pack(output.lane, output.body))
    elif isinstance(output, Show):
        m.shown.append(output.event)
    elif isinstance(output, Write):
        output.work(m.store)
    elif isinstance(output, Read):
        m.session.out.resume(output.then, output.work(m.store))
    else:
        assert isinstance(output, Disconnect | SendLater | Rebind | InviteChanged)


def post(m: Member, body: str) -> bytes:
    rt = m.session.rt
    signed = sign_post(rt.membership.signing_key, rt.id, rt.engine.next_seq(), body, NOW)
    m.session.publish(signed, NOW)
    return signed.id


def test_two_members_talk_with_no_event_loop() -> None:
    with pytest.raises(RuntimeError):
        asyncio.get_running_loop()  # nothing here runs on a loop
    host, ada = circle_of_two()
    assert any(isinstance(e, PeerConnectedEvent) for e in host.shown)
    assert ada.session.rt.mod.state.is_certified(ada.session.rt.me)  # the host's ADMIT came
    pid = post(ada, "the kettle is on")
    run(host, ada)
    shown = [e.post for e in host.shown if isinstance(e, PostEvent)]
    assert [(p.body, p.author) for p in shown] == [("the kettle is on", "Gentle Fern")]
    record = host.store.get_post(pid)
    assert record is not None and record.circle_id == host.session.id  # kept by the host
    assert ada.store.get_post(pid) is not None  # and by its author


def test_a_post_is_written_before_it_is_sent_or_shown() -> None:
    host, ada = circle_of_two()
    pid = post(ada, "stored first")
    queued = list(ada.session.out.queue)
    assert isinstance(queued[0], Write)  # the author's write comes first, the send after it
    assert [type(o) for o in queued[1:]] == [Send]
    host.performed.clear()
    run(host, ada)
    # the receiver writes it before it shows it
    at_write = next(i for i, o in enumerate(host.performed) if isinstance(o, Write | Read))
    at_show = next(
        i
        for i, o in enumerate(host.performed)
        if isinstance(o, Show) and isinstance(o.event, PostEvent)
    )
    assert at_write < at_show
    assert host.store.get_post(pid) is not None


def test_a_continuation_goes_where_the_rest_of_its_step_was() -> None:
    out = Outputs()
    log: list[str] = []

    def then(got: str) -> None:
        log.append(got)
        out.show(Event())

    out.read(lambda _db: "answer", then)
    out.show(Event())  # a later step's output
    first = out.queue.popleft()
    assert isinstance(first, Read)
    later = out.queue[0]
    out.resume(first.then, first.work(None))  # type: ignore[arg-type]
    assert log == ["answer"]
    assert len(out.queue) == 2 and out.queue[1] is later  # the continuation's went first


def test_garbage_on_every_lane_changes_nothing_and_asks_for_nothing() -> None:
    host, ada = circle_of_two()
    before = (
        len(host.session.rt.roster),
        host.session.rt.info_revision,
        host.session.rt.mod.to_dict(),
        len(host.session.storage.index),
    )
    peer = next(iter(host.links))
    for lane in Lane:
        for junk in (b"", b"\x00", b"\xff" * 64, bytes(range(256)) * 4):
            host.session.receive(peer, pack(lane, junk))
    host.session.receive(peer, b"")  # not even a lane
    assert not host.session.out.queue  # nothing to send, write or show
    after = (
        len(host.session.rt.roster),
        host.session.rt.info_revision,
        host.session.rt.mod.to_dict(),
        len(host.session.storage.index),
    )
    assert after == before
    post(ada, "still talking")  # and the link still works
    run(host, ada)
    assert any(isinstance(e, PostEvent) and e.post.body == "still talking" for e in host.shown)


def test_a_late_copy_of_a_retracted_post_is_deleted_on_arrival_even_on_the_quick_path() -> None:
    """A plain post needs no database answer to be shown; one its author retracted before
    this copy came does: the session keeps every retraction's (post, author) in memory, also
    after a restart (EngineStorage.open reads them), and takes the slow path for it."""
    host, ada = circle_of_two()
    pid = post(ada, "said too soon")
    run(host, ada)
    rt = ada.session.rt
    kept = host.store.get_post(pid)
    assert kept is not None
    retraction = sign_act(rt.membership.signing_key, rt.id, rt.engine.next_seq(), RETRACT, pid, NOW)
    ada.session.publish(retraction, NOW)
    run(host, ada)
    assert host.store.get_post(pid) is None  # deleted here
    assert (pid, rt.me) in host.session.storage.retracted
    host.shown.clear()
    # The engine drops a copy whose seq it has seen; a copy still comes as a late post when the
    # retraction reached a newcomer first and it stopped waiting for the gap (then a member who
    # had the post sends it). That step, as the engine hands it over:
    late = PostReceived(post_from_record(kept), ada.session.rt.me, late=True)
    host.session.step(lambda: ([], [late]))
    assert isinstance(host.session.out.queue[0], Read)  # the slow path: it must be settled
    run(host, ada)
    assert host.store.get_post(pid) is None  # came again, deleted again
    assert not [e for e in host.shown if isinstance(e, PostEvent)]


def test_a_plain_post_is_shown_without_waiting_for_a_database_answer() -> None:
    host, ada = circle_of_two()
    post(ada, "just words")
    ada_out = list(ada.session.out.queue)
    peer = next(p for p, who in host.links.items() if who is ada)
    sent = next(o for o in ada_out if isinstance(o, Send))
    host.session.receive(peer, pack(sent.lane, sent.body))
    queued = list(host.session.out.queue)
    assert isinstance(queued[0], Write)  # written first ...
    assert not any(isinstance(o, Read) for o in queued)  # ... with nothing to ask
    shows = [o for o in queued if isinstance(o, Show) and isinstance(o.event, PostEvent)]
    assert [s.event.post.body for s in shows] == ["just words"]  # type: ignore[attr-defined]
