"""One circle while the peer runs: :class:`CircleSession`, its protocol, the only writer of its
:class:`~messenger.runtime.CircleRuntime`.

Sans-IO, like the network's channel: it is called with what happened (:meth:`receive` a
message from a link, :meth:`peer_connected` / :meth:`peer_lost`, :meth:`tick` when
:meth:`next_deadline` is due, and the facade's commands) and never awaits; what it wants done
(sends, links closed, database writes and reads, events for the front ends) it queues on
:attr:`out` (:mod:`messenger.outputs`), in order, and :class:`~messenger.pump.SessionPump`
performs them. It drives the conversation engine and the moderation engine
(:mod:`messenger.effects`); links of identities not admitted yet wait
(:mod:`messenger.admission`); the roster lane is :mod:`messenger.roster_lane`. A step's
events are shown after what it stored is written and what it sends is queued.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TypeVar

import msgpack

from network.lograte import RefusalLog
from network.node import PeerKey

from . import (
    acts,
    details_lane,
    dm_history,
    effects,
    links,
    persist,
    presenting,
    roster_lane,
    roster_sync,
    showing,
)
from .anonymity import AnonymousLane
from .circle import Circle
from .conversation import (
    ConversationEvent,
    DirectMessage,
    DmHeld,
    DmReceived,
    DmSettings,
    DmStateChanged,
    Outgoing,
    PostReceived,
    SignedPost,
)
from .engine_storage import EngineStorage
from .errors import HearthError
from .events import (
    Event,
)
from .identity import Membership
from .moderation import PersonalSettings
from .moderation.effects import Effect
from .mux import Lane, MuxError, unpack
from .outputs import Disconnect, InviteChanged, Outputs, Rebind
from .pinning import KeyPins
from .runtime import CircleRuntime, LinkedPeer
from .storage import CircleRecord, MembershipRecord, Store
from .views import DirectMessageView, PostView

log = logging.getLogger(__name__)
drops = RefusalLog(log, "dropped a message")
"""Bad messages are logged once per member and minute with a count: a member cannot flood
the log (one INFO line per bad message let one write 116,870 lines in 30 s)."""


def sender(peer: PeerKey) -> str:
    """Who a message came from, for :data:`drops` (which names it by a pseudonym)."""
    return peer.remote_static.hex()


T = TypeVar("T")
EngineResult = tuple[list[Outgoing], list[ConversationEvent]]
ModerationResult = tuple[list[Outgoing], list[Effect]]
DM_STORED = (DmReceived, DmHeld, DmStateChanged)
"""Direct-message events a step records on the database thread."""
LOAD_ROUNDS = 8  # bodies loaded in a row for one step; a send that loads again waits a step


class MemberNotFound(HearthError):
    code = "not_found"


class CircleSession:
    """One circle's protocol: its links, lanes, engines and what it keeps."""

    def __init__(
        self,
        rt: CircleRuntime,
        *,
        storage: EngineStorage,
        pins: KeyPins,
        clock_ms: Callable[[], int],
    ) -> None:
        self.rt = rt
        """The circle's state: others read it; only this session writes it."""
        self.id = rt.id
        self.storage = storage
        """The conversation engine's post log, and the storage work it asks for."""
        self.pins = pins
        self.now_ms = clock_ms
        self.out = Outputs()
        """What this circle asks the world to do, in order (performed by its pump)."""
        self._engine_due: int | None = None  # the conversation engine's, after its last call
        self._deadline_moved = True  # a new circle: the scheduler looks at it
        self.anon = AnonymousLane(self, storage.anonymous)

    def emit(self, event: Event) -> None:
        """Show ``event`` on the front ends, after what is queued before it."""
        self.out.show(event)

    # -- reading ----------------------------------------------------------------------------

    def name_of(self, member: bytes) -> str:
        return self.rt.name_of(member)

    def find_member(self, who: str) -> bytes:
        """A member's key by pseudonym (ignoring case and spacing) or a hex prefix (6+)."""
        found = self.rt.roster.find(who)
        if found is None:
            raise MemberNotFound(f"no member called {who!r} in this circle")
        return found

    # -- writing (the only writers of the runtime) ------------------------------------------
    def save(self) -> None:
        """The circle's model and my membership in it."""
        rt = self.rt
        circle = CircleRecord(rt.id, rt.circle.name, self.now_ms(), _packed(rt.circle.to_dict()))
        membership = MembershipRecord(rt.id, _packed(rt.membership.to_dict()))

        def work(db: Store) -> None:
            db.save_circle(circle)
            db.save_membership(membership)

        self.out.write(work)

    def adopt_circle(self, circle: Circle) -> None:
        """A new secret (a rotation): links still up count at the new epoch; saved at once."""
        rt = self.rt
        rt.circle = circle
        for link, member in rt.links.items():
            epoch = rt.mod.link_epoch(member)
            if epoch is not None:
                rt.link_epochs[link] = epoch
        self.save()
        persist.save_moderation(self.out, rt)
        rt.mod.take_dirty()
        self.out.put(InviteChanged(rt.id, rt.invite_link()))

    def set_details(self, circle: Circle, info: bytes, revision: int) -> None:
        """The host's signed details (ours, or verified from the host): kept and passed on."""
        rt = self.rt
        rt.circle, rt.info, rt.info_revision = circle, info, revision
        rt.mod.set_circle(circle)
        self.save()
        persist.save_info(self.out, rt)

    def set_membership(self, membership: Membership) -> None:
        self.rt.membership = membership
        self.save()

    def accept_rules(self) -> None:
        self.rt.rules_accepted_revision = self.rt.info_revision
        persist.save_rules_accepted(self.out, self.rt)

    def set_personal(self, personal: PersonalSettings) -> None:
        self.rt.personal = personal
        persist.save_personal(self.out, self.rt)

    def set_dm_settings(self, settings: DmSettings) -> None:
        """Read receipts and typing indicators (the profile's, for every circle)."""
        self.rt.engine.dms.settings = settings

    def posted(self, now: int) -> None:
        self.rt.last_post_ms = now

    def set_rendezvous(self, rendezvous: str | None) -> None:
        self.rt.rendezvous = rendezvous

    def clear_unread(self) -> None:
        self.rt.unread = 0

    # -- the conversation engine -------------------------------------------------------------
    def engine(self, fn: Callable[[], T]) -> T:
        """Call the conversation engine for an answer that is neither shown nor stored (what it
        stored is written, bodies it must read are read)."""
        result = fn()
        self._engine_called()
        if self.storage.index.has_writes:
            self.storage.commit(self.out)
        if self.rt.engine.posts.loads:  # bodies to read before they can be sent
            self.serve_loads()
        return result

    def take_deadline_moved(self) -> bool:
        """Whether :meth:`next_deadline` may have moved since this was last asked."""
        moved, self._deadline_moved = self._deadline_moved, False
        return moved

    def _engine_called(self) -> None:
        due = self.rt.engine.next_deadline(self.now_ms())
        if due != self._engine_due:
            self._engine_due = due
            self._deadline_moved = True

    def next_deadline(self) -> int | None:
        """When this circle next has time-driven work (ms), None when nothing waits on time."""
        now = self.now_ms()
        due = (self._engine_due, self.rt.mod.next_deadline(now), self.anon.next_deadline(now))
        return min((d for d in due if d is not None), default=None)

    def step(self, fn: Callable[[], EngineResult]) -> list[ConversationEvent]:
        """One engine call that answers with messages and events: what it stored is written
        and its direct messages recorded (before any acknowledgement leaves), its acts applied
        (a read, only when there is something to settle); then its messages are sent and its
        events shown. Returns the events."""
        out, events = fn()
        self._engine_called()
        received = [e.post for e in events if isinstance(e, PostReceived)]
        acts.note_retractions(received, self.storage.retracted)
        then = None
        if any(isinstance(e, DM_STORED) for e in events) or acts.needs_settling(
            events, self.storage.retracted
        ):  # else a write at most: no answer to wait for
            then = self._settling(events)

        def done(settled: acts.Settled) -> None:
            self.deliver(out)
            showing.show(self.rt, settled, self.emit, self.disconnect)
            acts.announce(self.emit, self.id, settled)
            for peer in roster_sync.to_ask(self.rt, events):  # posts whose author we cannot name
                self.out.send(peer, Lane.ROSTER, roster_sync.ask(roster_sync.known(self.rt)))
            if self.rt.engine.posts.loads:  # bodies to read before they can be sent
                self.serve_loads()

        self.storage.commit(self.out, events, then, done)
        return events

    def _settling(self, events: list[ConversationEvent]) -> Callable[[Store], acts.Settled]:
        """What ``events`` do on the database thread: direct messages recorded, acts applied
        (with who counts as a member as of now, read here on the loop)."""
        circle_id, me, member = self.id, self.rt.membership.member_key, acts.members_of(self.rt)

        def then(db: Store) -> acts.Settled:
            dm_history.record_events(db, events)
            return acts.settle(db, circle_id, me, events, member)

        return then

    def publish(
        self,
        signed: SignedPost,
        now: int,
        then: Callable[[Store], acts.Settled] | None = None,
        done: Callable[[acts.Settled], None] | None = None,
    ) -> None:
        """A post or act of mine, numbered by :meth:`next_seq`: stored (with ``then``, on the
        database thread), then sent; ``done`` gets what ``then`` settled."""
        out = self.rt.engine.publish(signed, now)
        acts.note_retractions([signed], self.storage.retracted)

        def finish(settled: acts.Settled) -> None:
            self.deliver(out)
            if done is not None:
                done(settled)

        self.storage.commit(self.out, (), then, finish)

    def serve_loads(self, rounds: int = LOAD_ROUNDS) -> None:
        """Read the stored posts the engine asked for, then let it send them."""
        engine = self.rt.engine
        loads = engine.take_loads()
        if not loads or rounds <= 0:
            return

        def then(found: list[list[SignedPost]]) -> None:
            now = self.now_ms()
            for load, posts in zip(loads, found, strict=True):
                self.storage.index.loaded(load.author, load.lo, load.hi, posts)
                self.deliver(engine.loaded(load, now))
            self.serve_loads(rounds - 1)  # a send that loads once more

        self.storage.load(self.out, loads, then)

    def deliver(self, out: Sequence[Outgoing]) -> None:
        """Conversation traffic: over current-epoch links only."""
        rt = self.rt
        for item in out:
            peer = rt.link_for(item.peer)
            if peer is not None and rt.mod.carries_conversation(item.peer):
                self.out.send(peer, Lane.CONVERSATION, item.data)

    def tick(self) -> None:
        self._deadline_moved = True
        now = self.now_ms()
        events = self.step(lambda: self.rt.engine.tick(now))
        effects.observe(self, events)
        self.run_moderation(self.rt.mod.tick(self.now_ms()))
        self.anon.tick()

    # -- the moderation engine ---------------------------------------------------------------
    def run_moderation(self, result: ModerationResult) -> None:
        effects.run(self, result)
        self._deadline_moved = True

    def send_anonymous(self, peer: PeerKey, body: bytes) -> None:
        self.out.send(peer, Lane.ANONYMOUS, body)

    def send_moderation(self, out: Sequence[Outgoing]) -> None:
        for item in out:
            peer = self.rt.any_link_for(item.peer)
            if peer is not None:
                self.out.send(peer, Lane.MODERATION, item.data)

    def rebind(self) -> None:
        self.out.put(Rebind())

    def disconnect(self, peer: PeerKey) -> None:
        self.out.put(Disconnect(peer))

    def disconnect_member(self, member: bytes) -> None:
        for peer in self.rt.links_of(member):
            self.disconnect(peer)

    # -- links (what they do: :mod:`messenger.links`) ----------------------------------------
    def peer_connected(self, peer: PeerKey, linked: LinkedPeer) -> None:
        links.connected(self, peer, linked)

    def link_up(
        self, peer: PeerKey, linked: LinkedPeer, moderation: ModerationResult = ([], [])
    ) -> None:
        """A link that carries the conversation: at connect, or once its member was admitted."""
        links.up(self, peer, linked, moderation)

    def peer_lost(self, peer: PeerKey) -> None:
        links.lost(self, peer)

    def deadline_moved(self) -> None:
        """Who is present changed, say: the anonymous lane's collector may be another."""
        self._deadline_moved = True

    def member_gone(self, member: bytes) -> None:
        """A member was removed: the conversation engine forgets their link."""
        self.engine(lambda: self.rt.engine.peer_lost(member))

    def receive(self, peer: PeerKey, data: bytes) -> None:
        """One message from a link of this circle."""
        rt = self.rt
        member = rt.links.get(peer) or rt.old_links.get(peer)
        if member is None:
            return
        try:
            lane, body = unpack(data)
        except MuxError as exc:
            drops.note(sender(peer), str(exc))
            return
        if lane is Lane.MODERATION:
            self.run_moderation(rt.mod.receive(member, body, self.now_ms()))
        elif peer not in rt.links or not rt.mod.carries_conversation(member):
            log.debug("dropped conversation traffic on a hand-over link")
        elif lane is Lane.CONVERSATION:
            now = self.now_ms()
            events = self.step(lambda: rt.engine.receive(member, body, now))
            effects.observe(self, events)
        elif lane is Lane.ROSTER:
            roster_lane.receive(self, peer, body, drops)
        elif lane is Lane.CIRCLE_INFO:
            details_lane.receive(self, body, peer, drops)
        elif lane is Lane.ANONYMOUS:
            self.anon.receive(member, peer, body)
            self._deadline_moved = True  # a round ended or started

    def send_details(self, exclude: PeerKey | None = None) -> None:
        rt = self.rt
        if rt.info is None:
            return
        for peer in list(rt.links):
            if peer != exclude:
                self.out.send(peer, Lane.CIRCLE_INFO, rt.info)

    # -- what the front ends are shown -------------------------------------------------------
    def post_view(
        self, post: SignedPost, *, hidden: bool = False, present: bool = True
    ) -> PostView:
        return presenting.post_view(self.rt, post, hidden=hidden, present=present)

    def dm_view(self, peer: bytes, message: DirectMessage, *, outgoing: bool) -> DirectMessageView:
        return presenting.dm_view(self.rt, peer, message, outgoing=outgoing)


def _packed(value: object) -> bytes:
    return bytes(msgpack.packb(value, use_bin_type=True))
