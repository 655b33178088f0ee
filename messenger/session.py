"""One circle while the peer runs: :class:`CircleSession`, the only writer of its
:class:`~messenger.runtime.CircleRuntime`.

The link router hands it its links coming and going and what arrives on them (by lane: the
lanes are this module's business); the facade and the moderation actions call its methods. It
drives the circle's two engines: the conversation engine (:class:`CircleSync`, on the store's
database thread, whose post log is the database) and the moderation engine (on the loop, see
:mod:`messenger.effects` for what its results do). What it needs from outside comes through
narrow ports: :class:`Wire` (send on a link, drop a link, serve the circle again) and an
``emit`` callable for the front ends.

Front-end events are emitted after a step is done (stored, sent): a front end's failure never
stops a send (the facade's emitter isolates subscribers, too).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

import msgpack

from network.lograte import RefusalLog
from network.node import PeerKey

from . import dm_history, effects, persist, presenting
from . import pseudonym as pseudonyms
from .anonymity import AnonymousLane
from .circle import Circle
from .circle_info import CircleInfoError, verify_info
from .conversation import (
    ConversationEvent,
    CoolDown,
    DirectMessage,
    DmReceived,
    DmRequest,
    DmStateChanged,
    Outgoing,
    PeerGoodbye,
    PeerTyping,
    PostReceived,
    SignedPost,
)
from .errors import HearthError
from .events import (
    CirclesChanged,
    DmEvent,
    DmRequestEvent,
    DmStateEvent,
    Event,
    Info,
    KeyChangedEvent,
    PeerConnectedEvent,
    PeerLostEvent,
    PostEvent,
    RulesEvent,
    TypingEvent,
)
from .identity import Membership
from .moderation import PersonalSettings
from .moderation.effects import Effect
from .mux import Lane, MuxError, unpack
from .pinning import KeyPins
from .roster import Roster, RosterEntry, RosterError
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
        wire: Wire,
        emit: Callable[[Event], None],
        pins: KeyPins,
        clock_ms: Callable[[], int],
    ) -> None:
        self.rt = rt
        """The circle's state: others read it; only this session writes it."""
        self.id = rt.id
        self.store = store
        self.wire = wire
        self.emit = emit
        self._pins = pins
        self.now_ms = clock_ms
        self.anon = AnonymousLane(self)

    # -- reading ----------------------------------------------------------------------------

    def name_of(self, member: bytes) -> str:
        return self.rt.name_of(member)

    def find_member(self, who: str) -> bytes:
        """A member's key by pseudonym (ignoring case and spacing) or a hex prefix (6+)."""
        wanted = pseudonyms.comparison_key(who)
        entries = self.rt.roster.entries()
        for entry in entries:
            if pseudonyms.comparison_key(entry.pseudonym) == wanted:
                return entry.member_key
        for entry in entries:
            if entry.member_key.hex().startswith(who.lower()) and len(who) >= 6:
                return entry.member_key
        raise MemberNotFound(f"no member called {who!r} in this circle")

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
        """Run ``fn`` on the database thread (where the conversation engine lives)."""
        return await self.store.run(lambda _db: fn())

    async def step(self, fn: Callable[[], EngineResult]) -> list[ConversationEvent]:
        """One engine call that answers with messages and events: run it on the database
        thread, recording direct messages there in order (before any acknowledgement leaves),
        then send the messages, then show the events. Returns the events."""

        def call(db: Store) -> EngineResult:
            out, events = fn()
            dm_history.record_events(db, events)
            return out, events

        out, events = await self.store.run(call)
        await self.deliver(out)
        self._show(events)
        return events

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
            rt.old_links[peer] = member  # hand-overs only: the moderation lane
            await self.run_moderation(moderation)
            return
        rt.old_links.pop(peer, None)
        was_present = member in rt.present()
        rt.links[peer] = member
        entry = RosterEntry.from_verified(linked.identity, linked.statement)
        learned = await self._learn([entry])
        if rt.info is not None:
            await self.wire.send(peer, Lane.CIRCLE_INFO, rt.info)
        await self.wire.send(
            peer, Lane.ROSTER, Roster.encode([rt.me_entry(), *rt.roster.entries()])
        )
        if learned:
            await self._gossip(learned, exclude=peer)
        await self.run_moderation(moderation)
        await self.step(lambda: rt.engine.peer_connected(member, now))
        await self.anon.link_up(peer)
        if not was_present:
            self.emit(PeerConnectedEvent(rt.id, entry.pseudonym, member))

    async def peer_lost(self, peer: PeerKey) -> None:
        rt = self.rt
        epoch = rt.link_epochs.pop(peer, None)
        old = rt.old_links.pop(peer, None)
        member = rt.links.pop(peer, None)
        who = member if member is not None else old
        if who is not None and epoch is not None:
            rt.mod.peer_lost(who, epoch=epoch)
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
            try:
                entries = rt.roster.decode(body)
            except RosterError as exc:
                drops.note(sender(peer), f"roster update: {exc}")
                return
            learned = await self._learn(entries)
            if learned:
                await self._gossip(learned, exclude=peer)
        elif lane is Lane.CIRCLE_INFO:
            await self._on_circle_info(body, peer)
        elif lane is Lane.ANONYMOUS:
            await self.anon.receive(member, peer, body)

    async def send_details(self, exclude: PeerKey | None = None) -> None:
        rt = self.rt
        if rt.info is None:
            return
        for peer in list(rt.links):
            if peer != exclude:
                await self.wire.send(peer, Lane.CIRCLE_INFO, rt.info)

    async def _learn(self, entries: Sequence[RosterEntry]) -> list[RosterEntry]:
        """Add verified roster entries; pin each pseudonym to its key on first sight and flag,
        loudly, a known pseudonym that comes with another key."""
        rt = self.rt
        learned = []
        pins_changed = False
        for entry in entries:
            if entry.member_key == rt.membership.member_key:
                continue
            pin = self._pins.check(rt.id, entry.pseudonym, entry.member_key)
            if pin.changed:
                if entry.member_key not in rt.key_changed:
                    rt.key_changed.add(entry.member_key)
                    self.emit(KeyChangedEvent(rt.id, entry.pseudonym, entry.member_key, pin.pinned))
            else:
                pins_changed = pins_changed or pin.status.value == "new"
            if rt.roster.add(entry):
                learned.append(entry)
        if learned:
            await persist.save_roster(self.store, rt)
        if pins_changed:
            await persist.save_pins(self.store, self._pins)
        return learned

    async def _gossip(self, entries: list[RosterEntry], *, exclude: PeerKey) -> None:
        update = Roster.encode(entries)
        for peer in list(self.rt.links):
            if peer != exclude:
                await self.wire.send(peer, Lane.ROSTER, update)

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
    def _show(self, events: Sequence[ConversationEvent]) -> None:
        rt = self.rt
        for event in events:
            if isinstance(event, PostReceived):
                view = presenting.post_view(rt, event.post)
                rt.unread += 0 if view.hidden else 1
                self.emit(PostEvent(view))
            elif isinstance(event, DmReceived):
                sender = event.message.envelope.sender_key
                self.emit(DmEvent(self.dm_view(sender, event.message, outgoing=False)))
            elif isinstance(event, DmRequest):
                sender = event.message.envelope.sender_key
                self.emit(DmRequestEvent(rt.id, rt.name_of(sender), sender))
            elif isinstance(event, PeerTyping):
                self.emit(TypingEvent(rt.id, rt.name_of(event.peer), event.peer, event.typing))
            elif isinstance(event, DmStateChanged):
                self.emit(DmStateEvent(rt.id, event.message_id, event.state))
            elif isinstance(event, PeerGoodbye):
                text = f": {event.text}" if event.text else ""
                self.emit(Info(f"{rt.name_of(event.peer)} left {rt.circle.name}{text}"))
            elif isinstance(event, CoolDown):
                peer = rt.link_for(event.peer)
                if peer is not None:
                    self.wire.disconnect(peer)
            else:
                log.debug("conversation event %s", type(event).__name__)

    def post_view(
        self, post: SignedPost, *, hidden: bool = False, present: bool = True
    ) -> PostView:
        return presenting.post_view(self.rt, post, hidden=hidden, present=present)

    def dm_view(self, peer: bytes, message: DirectMessage, *, outgoing: bool) -> DirectMessageView:
        return presenting.dm_view(self.rt, peer, message, outgoing=outgoing)


def _packed(value: object) -> bytes:
    return bytes(msgpack.packb(value, use_bin_type=True))
