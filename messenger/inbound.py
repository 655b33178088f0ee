"""What arrives from the network, and the sending side of it: the half of the
:class:`~messenger.facade.Messenger` that handles member links.

Node events are handled one at a time, in order, by one task (:meth:`_process_inbox`): links
coming up (roster, circle details, moderation, then the conversation engine's catch-up), links
going, and messages by lane. Each circle's engine runs on the store's database thread.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from network.errors import NetworkError
from network.lograte import RefusalLog
from network.node import Node, NodeEvent, PeerConnected, PeerKey, PeerLost, PeerMessage

from . import dm_history, persist
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
from .mux import Lane, MuxError, pack, unpack
from .pinning import KeyPins
from .roster import Roster, RosterEntry, RosterError
from .runtime import CircleRuntime, LinkedPeer, circle_of_tag
from .storage import AsyncStore, Store
from .views import DirectMessageView, PostView, Role

if TYPE_CHECKING:
    from network.tasks import TaskSet

    from .moderating import Moderation

log = logging.getLogger(__name__)
_drops = RefusalLog(log, "dropped a message")
"""Bad messages are logged once per member and minute with a count: a member cannot flood
the log (one INFO line per bad message let one write 116,870 lines in 30 s)."""


def _from(peer: PeerKey) -> str:
    return peer.remote_static.hex()


T = TypeVar("T")
EngineResult = tuple[list[Outgoing], list[ConversationEvent]]


class LinkHandling:
    """Mixed into :class:`~messenger.facade.Messenger`; the attributes below are its own."""

    _circles: dict[bytes, CircleRuntime]
    _store: AsyncStore | None
    _node: Node | None
    _pins: KeyPins
    _inbox: asyncio.Queue[NodeEvent]
    _tasks: TaskSet
    moderation: Moderation

    if TYPE_CHECKING:

        def emit(self, event: Event) -> None: ...
        def _now_ms(self) -> int: ...
        def _require(self) -> tuple[AsyncStore, Node]: ...
        def _db(self) -> AsyncStore: ...
        async def _save(self, rt: CircleRuntime) -> None: ...
        def _post_view(
            self,
            rt: CircleRuntime,
            post: SignedPost,
            *,
            hidden: bool = False,
            present: bool = True,
        ) -> PostView: ...
        def _dm_view(
            self, rt: CircleRuntime, peer: bytes, message: DirectMessage, *, outgoing: bool
        ) -> DirectMessageView: ...
        async def _disconnect(self, peer: PeerKey) -> None: ...

    async def _engine(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` on the database thread (where each circle's engine lives)."""
        return await self._db().run(lambda _db: fn())

    async def _step(
        self, rt: CircleRuntime, fn: Callable[[], EngineResult]
    ) -> list[ConversationEvent]:
        """One engine call that answers with messages and events: run it on the database
        thread, recording direct messages there in order, then send the messages and show
        the events. Returns the events."""

        def call(db: Store) -> EngineResult:
            out, events = fn()
            dm_history.record_events(db, events)
            return out, events

        out, events = await self._db().run(call)
        await self._deliver(rt, out)
        self._handle(rt, events)
        return events

    async def _send(self, peer: PeerKey, lane: Lane, body: bytes) -> None:
        node = self._node
        if node is None:
            return
        try:
            await node.send(peer, pack(lane, body))
        except NetworkError as exc:
            log.debug("send failed: %s", exc)

    async def _deliver(self, rt: CircleRuntime, out: Sequence[Outgoing]) -> None:
        """Conversation traffic: over current-epoch links only."""
        for item in out:
            peer = rt.link_for(item.peer)
            if peer is not None and rt.mod.carries_conversation(item.peer):
                await self._send(peer, Lane.CONVERSATION, item.data)

    async def _process_inbox(self) -> None:
        while True:
            event = await self._inbox.get()
            try:
                if isinstance(event, PeerMessage):
                    await self._on_message(event)
                elif isinstance(event, PeerConnected):
                    await self._on_connected(event)
                elif isinstance(event, PeerLost):
                    await self._on_lost(event)
            except HearthError as exc:
                who = _from(event.peer) if isinstance(event, PeerMessage) else "?"
                _drops.note(who, exc.code)
            except Exception:
                log.exception("failed to handle a network event")

    async def _on_connected(self, event: PeerConnected) -> None:
        rt = self._circles.get(circle_of_tag(event.peer.circle))
        linked = event.identity
        if rt is None or not isinstance(linked, LinkedPeer):
            return
        member = linked.identity.member_key
        now = self._now_ms()
        if rt.removed_me or not rt.mod.link_decision(member, linked.epoch, now).accepted:
            await self._disconnect(event.peer)  # removed, or cooling down, since the handshake
            return
        rt.link_epochs[event.peer] = linked.epoch
        moderation = rt.mod.peer_connected(member, now, epoch=linked.epoch)
        if linked.epoch != rt.circle.epoch or not rt.mod.carries_conversation(member):
            rt.links.pop(event.peer, None)
            rt.old_links[event.peer] = member  # hand-overs only: the moderation lane
            await self.moderation.run(rt, moderation)
            return
        rt.old_links.pop(event.peer, None)
        was_present = member in rt.present()
        rt.links[event.peer] = member
        entry = RosterEntry.from_verified(linked.identity, linked.statement)
        learned = await self._learn(rt, [entry])
        if rt.info is not None:
            await self._send(event.peer, Lane.CIRCLE_INFO, rt.info)
        await self._send(
            event.peer, Lane.ROSTER, Roster.encode([rt.me_entry(), *rt.roster.entries()])
        )
        if learned:
            await self._gossip(rt, learned, exclude=event.peer)
        if not was_present:
            self.emit(PeerConnectedEvent(rt.id, entry.pseudonym, member))
        await self.moderation.run(rt, moderation)
        await self._step(rt, lambda: rt.engine.peer_connected(member, now))

    async def _on_lost(self, event: PeerLost) -> None:
        rt = self._circles.get(circle_of_tag(event.peer.circle))
        if rt is None:
            return
        epoch = rt.link_epochs.pop(event.peer, None)
        old = rt.old_links.pop(event.peer, None)
        member = rt.links.pop(event.peer, None)
        who = member if member is not None else old
        if who is not None and epoch is not None:
            rt.mod.peer_lost(who, epoch=epoch)
        if member is None or member in rt.present():
            return
        await self._engine(lambda: rt.engine.peer_lost(member))
        self.emit(PeerLostEvent(rt.id, rt.name_of(member), member))

    async def _on_message(self, event: PeerMessage) -> None:
        rt = self._circles.get(circle_of_tag(event.peer.circle))
        if rt is None:
            return
        member = rt.links.get(event.peer) or rt.old_links.get(event.peer)
        if member is None:
            return
        try:
            lane, body = unpack(event.data)
        except MuxError as exc:
            _drops.note(_from(event.peer), str(exc))
            return
        if lane is Lane.MODERATION:
            await self.moderation.receive(rt, member, body)
        elif event.peer not in rt.links or not rt.mod.carries_conversation(member):
            log.debug("dropped conversation traffic on a hand-over link")
        elif lane is Lane.CONVERSATION:
            now = self._now_ms()
            events = await self._step(rt, lambda: rt.engine.receive(member, body, now))
            await self.moderation.observe(rt, events)
        elif lane is Lane.ROSTER:
            try:
                entries = rt.roster.decode(body)
            except RosterError as exc:
                _drops.note(_from(event.peer), f"roster update: {exc}")
                return
            learned = await self._learn(rt, entries)
            if learned:
                await self._gossip(rt, learned, exclude=event.peer)
        elif lane is Lane.CIRCLE_INFO:
            await self._on_circle_info(rt, body, event.peer)

    async def _learn(self, rt: CircleRuntime, entries: Sequence[RosterEntry]) -> list[RosterEntry]:
        """Add verified roster entries; pin each pseudonym to its key on first sight and flag,
        loudly, a known pseudonym that comes with another key."""
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
        store = self._store
        if store is not None:
            if learned:
                await persist.save_roster(store, rt)
            if pins_changed:
                await persist.save_pins(store, self._pins)
        return learned

    async def _on_circle_info(self, rt: CircleRuntime, body: bytes, source: PeerKey) -> None:
        try:
            info = verify_info(body, rt.circle)
        except CircleInfoError as exc:
            _drops.note(_from(source), f"circle details: {exc.code}")
            return
        if info.revision <= rt.info_revision:
            return
        rules_changed = info.rules != rt.circle.rules or rt.info_revision == 0
        rt.circle = info.apply_to(rt.circle)
        rt.mod.set_circle(rt.circle)
        rt.info, rt.info_revision = body, info.revision
        await self._save(rt)
        await persist.save_info(self._db(), rt)
        for peer in list(rt.links):
            if peer != source:
                await self._send(peer, Lane.CIRCLE_INFO, body)
        self.emit(CirclesChanged())
        if rules_changed and info.rules and rt.role is not Role.HOST:
            self.emit(RulesEvent(rt.id, info.rules, info.revision))

    async def _gossip(
        self, rt: CircleRuntime, entries: list[RosterEntry], *, exclude: PeerKey
    ) -> None:
        update = Roster.encode(entries)
        for peer in list(rt.links):
            if peer != exclude:
                await self._send(peer, Lane.ROSTER, update)

    def _handle(self, rt: CircleRuntime, events: Sequence[ConversationEvent]) -> None:
        for event in events:
            if isinstance(event, PostReceived):
                view = self._post_view(rt, event.post)
                rt.unread += 0 if view.hidden else 1
                self.emit(PostEvent(view))
            elif isinstance(event, DmReceived):
                sender = event.message.envelope.sender_key
                self.emit(DmEvent(self._dm_view(rt, sender, event.message, outgoing=False)))
            elif isinstance(event, DmRequest):
                sender = event.message.envelope.sender_key
                self.emit(DmRequestEvent(rt.id, rt.name_of(sender), sender))
            elif isinstance(event, PeerTyping):
                self.emit(TypingEvent(rt.id, rt.name_of(event.peer), event.peer, event.typing))
            elif isinstance(event, DmStateChanged):
                self.emit(DmStateEvent(rt.id, event.message_id, event.state.value))
            elif isinstance(event, PeerGoodbye):
                text = f": {event.text}" if event.text else ""
                self.emit(Info(f"{rt.name_of(event.peer)} left {rt.circle.name}{text}"))
            elif isinstance(event, CoolDown):
                peer = rt.link_for(event.peer)
                if peer is not None and self._node is not None:
                    self._tasks.spawn(self._node.disconnect(peer), "messenger-cooldown")
            else:
                log.debug("conversation event %s", type(event).__name__)
