"""One circle while the peer runs: :class:`CircleSession`, the only writer of its
:class:`~messenger.runtime.CircleRuntime`.

It gets its links and their messages from the link router; it drives the conversation engine
(on the database thread) and the moderation engine (on the loop; :mod:`messenger.effects`);
links of identities not admitted yet wait (:mod:`messenger.admission`); the roster lane is
:mod:`messenger.roster_lane`. It reaches the network through the :class:`Wire` port and the
front ends through ``emit``, after a step is done (stored, sent): a front end's failure never
stops a send.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

import msgpack

from network.lograte import RefusalLog
from network.node import PeerKey

from . import (
    acts,
    admission,
    dm_history,
    effects,
    persist,
    presenting,
    roster_lane,
    roster_sync,
    showing,
)
from .anonymity import AnonymousLane
from .circle import Circle
from .circle_info import CircleInfoError, verify_info
from .conversation import (
    ConversationEvent,
    DirectMessage,
    Outgoing,
    SignedPost,
)
from .engine_storage import EngineStorage
from .errors import HearthError
from .events import (
    CirclesChanged,
    Event,
    PeerConnectedEvent,
    PeerLostEvent,
    RulesEvent,
)
from .identity import Membership
from .moderation import PersonalSettings
from .moderation.effects import Effect
from .mux import Lane, MuxError, unpack
from .pinning import KeyPins
from .roster import RosterEntry
from .runtime import CircleRuntime, LinkedPeer
from .storage import AsyncStore, CircleRecord, MembershipRecord, Store
from .views import DirectMessageView, PostView, Role

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


class MemberNotFound(HearthError):
    code = "not_found"


class Wire(Protocol):
    """What a session needs of the network: provided by the facade over the node."""

    async def send(self, peer: PeerKey, lane: Lane, body: bytes) -> None: ...
    def disconnect(self, peer: PeerKey) -> None: ...
    async def rebind(self) -> None: ...
    def invite_changed(self, circle_id: bytes, link: str) -> None: ...


class CircleSession:
    """One circle: its links, lanes, engines and what it keeps."""

    def __init__(
        self,
        rt: CircleRuntime,
        *,
        store: AsyncStore,
        storage: EngineStorage,
        wire: Wire,
        emit: Callable[[Event], None],
        pins: KeyPins,
        clock_ms: Callable[[], int],
        wake: Callable[[], None] = lambda: None,
    ) -> None:
        self.rt = rt
        """The circle's state: others read it; only this session writes it."""
        self.id = rt.id
        self.store = store
        self.storage = storage
        """The conversation engine's post log and the storage work it asks for."""
        self.wire = wire
        self.emit = emit
        self.pins = pins
        self.now_ms = clock_ms
        self._wake = wake  # the scheduler looks at next_deadline() again
        self._engine_due: int | None = None  # the conversation engine's, after its last call
        self.anon = AnonymousLane(self)

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
    async def save(self) -> None:
        """The circle's model and my membership in it."""
        rt = self.rt
        await self.store.save_circle(
            CircleRecord(rt.id, rt.circle.name, self.now_ms(), _packed(rt.circle.to_dict()))
        )
        await self.store.save_membership(MembershipRecord(rt.id, _packed(rt.membership.to_dict())))

    async def adopt_circle(self, circle: Circle) -> None:
        """A new secret (a rotation): links still up count at the new epoch; saved at once."""
        rt = self.rt
        rt.circle = circle
        for link, member in rt.links.items():
            epoch = rt.mod.link_epoch(member)
            if epoch is not None:
                rt.link_epochs[link] = epoch
        await self.save()
        await persist.save_moderation(self.store, rt)
        rt.mod.take_dirty()
        self.wire.invite_changed(rt.id, rt.invite_link())

    async def set_details(self, circle: Circle, info: bytes, revision: int) -> None:
        """The host's signed details (ours, or verified from the host): kept and passed on."""
        rt = self.rt
        rt.circle, rt.info, rt.info_revision = circle, info, revision
        rt.mod.set_circle(circle)
        await self.save()
        await persist.save_info(self.store, rt)

    async def set_membership(self, membership: Membership) -> None:
        self.rt.membership = membership
        await self.save()

    async def accept_rules(self) -> None:
        self.rt.rules_accepted_revision = self.rt.info_revision
        await persist.save_rules_accepted(self.store, self.rt)

    async def set_personal(self, personal: PersonalSettings) -> None:
        self.rt.personal = personal
        await persist.save_personal(self.store, self.rt)

    def posted(self, now: int) -> None:
        self.rt.last_post_ms = now

    def set_rendezvous(self, rendezvous: str | None) -> None:
        self.rt.rendezvous = rendezvous

    def clear_unread(self) -> None:
        self.rt.unread = 0

    # -- the conversation engine -------------------------------------------------------------
    async def engine(self, fn: Callable[[], T]) -> T:
        """Call the conversation engine for an answer that is neither shown nor stored; what
        runs here adds no time-driven work (:meth:`step` does, and wakes the scheduler)."""
        result = fn()
        self._engine_due = self.rt.engine.next_deadline(self.now_ms())
        if self.storage.index.has_writes:
            await self.storage.commit()
        if self.rt.engine.posts.loads:  # bodies to read before they can be sent
            await self.serve_loads()
        return result

    def next_deadline(self) -> int | None:
        """When this circle next has time-driven work (ms), None when nothing waits on time."""
        now = self.now_ms()
        due = (self._engine_due, self.rt.mod.next_deadline(now), self.anon.next_deadline(now))
        return min((d for d in due if d is not None), default=None)

    async def step(self, fn: Callable[[], EngineResult]) -> list[ConversationEvent]:
        """One engine call that answers with messages and events: run it on the database
        thread, recording direct messages there in order (before any acknowledgement leaves),
        then send the messages, then show the events. Returns the events."""

        me, member = self.rt.membership.member_key, acts.members_of(self.rt)
        out, events = fn()
        self._engine_due = self.rt.engine.next_deadline(self.now_ms())

        def then(db: Store) -> acts.Settled:
            dm_history.record_events(db, events)
            return acts.settle(db, self.id, me, events, member)

        settled = await self.storage.commit(events, then)
        self._wake()
        await self.deliver(out)
        showing.show(self.rt, settled, self.emit, self.wire.disconnect)
        acts.announce(self.emit, self.id, settled)
        for peer in roster_sync.to_ask(self.rt, events):  # posts whose author we cannot name
            await self.wire.send(peer, Lane.ROSTER, roster_sync.ask(roster_sync.known(self.rt)))
        if self.rt.engine.posts.loads:  # bodies to read before they can be sent
            await self.serve_loads()
        return events

    async def serve_loads(self) -> None:
        """Read the stored posts the engine asked for, then let it send them."""
        engine = self.rt.engine
        for _ in range(8):  # a send that loads once more is answered next time
            loads = engine.take_loads()
            if not loads:
                return
            found = await self.storage.load(loads)
            now = self.now_ms()
            for load, posts in zip(loads, found, strict=True):
                self.storage.index.loaded(load.author, load.lo, load.hi, posts)
                await self.deliver(engine.loaded(load, now))

    async def deliver(self, out: Sequence[Outgoing]) -> None:
        """Conversation traffic: over current-epoch links only."""
        rt = self.rt
        for item in out:
            peer = rt.link_for(item.peer)
            if peer is not None and rt.mod.carries_conversation(item.peer):
                await self.wire.send(peer, Lane.CONVERSATION, item.data)

    async def tick(self) -> None:
        now = self.now_ms()
        events = await self.step(lambda: self.rt.engine.tick(now))
        await effects.observe(self, events)
        await self.run_moderation(self.rt.mod.tick(self.now_ms()))
        await self.anon.tick()

    # -- the moderation engine ---------------------------------------------------------------
    async def run_moderation(self, result: ModerationResult) -> None:
        await effects.run(self, result)
        self._wake()

    async def send_anonymous(self, peer: PeerKey, body: bytes) -> None:
        await self.wire.send(peer, Lane.ANONYMOUS, body)

    async def send_moderation(self, out: Sequence[Outgoing]) -> None:
        for item in out:
            peer = self.rt.any_link_for(item.peer)
            if peer is not None:
                await self.wire.send(peer, Lane.MODERATION, item.data)

    async def rebind(self) -> None:
        await self.wire.rebind()

    def disconnect_member(self, member: bytes) -> None:
        for peer in self.rt.links_of(member):
            self.wire.disconnect(peer)

    # -- links -------------------------------------------------------------------------------
    async def peer_connected(self, peer: PeerKey, linked: LinkedPeer) -> None:
        rt = self.rt
        member = linked.identity.member_key
        now = self.now_ms()
        if rt.removed_me or not rt.mod.link_decision(member, linked.epoch, now).accepted:
            self.wire.disconnect(peer)  # removed, or cooling down, since the handshake
            return
        rt.link_epochs[peer] = linked.epoch
        moderation = rt.mod.peer_connected(member, now, epoch=linked.epoch)
        if linked.epoch != rt.circle.epoch or not rt.mod.carries_conversation(member):
            rt.links.pop(peer, None)
            rt.old_links[peer] = member  # hand-overs only, or not admitted yet
            await self.run_moderation(moderation)
            if rt.mod.is_pending(member):
                rt.waiting[peer] = linked
                await admission.newcomer(self, linked)
            return
        await self.link_up(peer, linked, moderation)

    async def link_up(
        self, peer: PeerKey, linked: LinkedPeer, moderation: ModerationResult = ([], [])
    ) -> None:
        """A link that carries the conversation: at connect, or once its member was admitted."""
        rt, member, now = self.rt, linked.identity.member_key, self.now_ms()
        rt.old_links.pop(peer, None)
        was_present = member in rt.present()
        first = not rt.links  # our first link here: it sends us what we lack at once
        rt.links[peer] = member
        entry = RosterEntry.from_verified(linked.identity, linked.statement)
        learned = await roster_lane.learn(self, [entry])
        if rt.info is not None:
            await self.wire.send(peer, Lane.CIRCLE_INFO, rt.info)
        greeting = roster_sync.greeting(roster_sync.known(rt), first=first)
        await self.wire.send(peer, Lane.ROSTER, greeting)
        if learned:
            await roster_lane.push(self, learned, exclude=peer)
        await self.run_moderation(moderation)
        await self.step(lambda: rt.engine.peer_connected(member, now))
        await self.anon.link_up(peer)
        if not was_present:
            self.emit(PeerConnectedEvent(rt.id, entry.pseudonym, member))

    async def peer_lost(self, peer: PeerKey) -> None:
        rt = self.rt
        epoch = rt.link_epochs.pop(peer, None)
        rt.waiting.pop(peer, None)
        old = rt.old_links.pop(peer, None)
        member = rt.links.pop(peer, None)
        who = member if member is not None else old
        if who is not None and epoch is not None:
            rt.mod.peer_lost(who, epoch=epoch)
            self._wake()  # who is present changed (the anonymous lane's collector, say)
        if member is None or member in rt.present():
            return
        await self.engine(lambda: rt.engine.peer_lost(member))
        self.emit(PeerLostEvent(rt.id, rt.name_of(member), member))

    async def member_gone(self, member: bytes) -> None:
        """A member was removed: the conversation engine forgets their link."""
        await self.engine(lambda: self.rt.engine.peer_lost(member))

    async def receive(self, peer: PeerKey, data: bytes) -> None:
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
            await self.run_moderation(rt.mod.receive(member, body, self.now_ms()))
        elif peer not in rt.links or not rt.mod.carries_conversation(member):
            log.debug("dropped conversation traffic on a hand-over link")
        elif lane is Lane.CONVERSATION:
            now = self.now_ms()
            events = await self.step(lambda: rt.engine.receive(member, body, now))
            await effects.observe(self, events)
        elif lane is Lane.ROSTER:
            await roster_lane.receive(self, peer, body, drops)
        elif lane is Lane.CIRCLE_INFO:
            await self._on_circle_info(body, peer)
        elif lane is Lane.ANONYMOUS:
            await self.anon.receive(member, peer, body)
            self._wake()  # a round ended or started: the lane's deadline moved

    async def send_details(self, exclude: PeerKey | None = None) -> None:
        rt = self.rt
        if rt.info is None:
            return
        for peer in list(rt.links):
            if peer != exclude:
                await self.wire.send(peer, Lane.CIRCLE_INFO, rt.info)

    async def _on_circle_info(self, body: bytes, source: PeerKey) -> None:
        rt = self.rt
        try:
            info = verify_info(body, rt.circle)
        except CircleInfoError as exc:
            drops.note(sender(source), f"circle details: {exc.code}")
            return
        if info.revision <= rt.info_revision:
            return
        rules_changed = info.rules != rt.circle.rules or rt.info_revision == 0
        await self.set_details(info.apply_to(rt.circle), body, info.revision)
        await self.send_details(exclude=source)
        self.emit(CirclesChanged())
        if rules_changed and info.rules and rt.role is not Role.HOST:
            self.emit(RulesEvent(rt.id, info.rules, info.revision))

    # -- what the front ends are shown -------------------------------------------------------
    def post_view(
        self, post: SignedPost, *, hidden: bool = False, present: bool = True
    ) -> PostView:
        return presenting.post_view(self.rt, post, hidden=hidden, present=present)

    def dm_view(self, peer: bytes, message: DirectMessage, *, outgoing: bool) -> DirectMessageView:
        return presenting.dm_view(self.rt, peer, message, outgoing=outgoing)


def _packed(value: object) -> bytes:
    return bytes(msgpack.packb(value, use_bin_type=True))
