"""A circle session's links coming and going (:class:`~messenger.session.CircleSession` calls
these through the narrow :class:`Session` port below).

A link up is checked again against the moderation engine (removed, or cooling down since the
handshake: closed). A link at an old epoch, or of an identity not admitted yet, only hands over
(moderation traffic); a pending newcomer's waits for its ADMIT (:mod:`messenger.admission`).
A link that carries the conversation learns its member's roster entry, is greeted (the
circle's details, a roster summary) and synced. A member whose last link went is gone from
the conversation engine's links and shown as away.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from network.node import PeerKey

from . import admission, roster_lane, roster_sync
from .anonymity import AnonymousLane
from .conversation import ConversationEvent, Outgoing
from .events import PeerConnectedEvent, PeerLostEvent
from .moderation.effects import Effect
from .mux import Lane
from .roster import RosterEntry
from .runtime import LinkedPeer

T = TypeVar("T")
ModerationResult = tuple[list[Outgoing], list[Effect]]


class Session(roster_lane.Session, Protocol):
    """What links need of the circle's session (what the roster lane needs, and more)."""

    @property
    def anon(self) -> AnonymousLane: ...
    def now_ms(self) -> int: ...
    def disconnect(self, peer: PeerKey) -> None: ...
    def disconnect_member(self, member: bytes) -> None: ...
    def deadline_moved(self) -> None: ...
    def run_moderation(self, result: ModerationResult) -> None: ...
    def link_up(
        self, peer: PeerKey, linked: LinkedPeer, moderation: ModerationResult = ([], [])
    ) -> None: ...
    def engine(self, fn: Callable[[], T]) -> T: ...
    def step(
        self, fn: Callable[[], tuple[list[Outgoing], list[ConversationEvent]]]
    ) -> list[ConversationEvent]: ...


def connected(session: Session, peer: PeerKey, linked: LinkedPeer) -> None:
    rt = session.rt
    member = linked.identity.member_key
    now = session.now_ms()
    if rt.removed_me or not rt.mod.link_decision(member, linked.epoch, now).accepted:
        session.disconnect(peer)  # removed, or cooling down, since the handshake
        return
    rt.link_epochs[peer] = linked.epoch
    moderation = rt.mod.peer_connected(member, now, epoch=linked.epoch)
    if linked.epoch != rt.circle.epoch or not rt.mod.carries_conversation(member):
        rt.links.pop(peer, None)
        rt.old_links[peer] = member  # hand-overs only, or not admitted yet
        session.run_moderation(moderation)
        if rt.mod.is_pending(member):
            rt.waiting[peer] = linked
            admission.newcomer(session, linked)
        return
    session.link_up(peer, linked, moderation)


def up(
    session: Session, peer: PeerKey, linked: LinkedPeer, moderation: ModerationResult = ([], [])
) -> None:
    """A link that carries the conversation: at connect, or once its member was admitted."""
    rt, member, now = session.rt, linked.identity.member_key, session.now_ms()
    session.deadline_moved()  # who is present changed (the anonymous lane's collector)
    rt.old_links.pop(peer, None)
    was_present = member in rt.present()
    first = not rt.links  # our first link here: it sends us what we lack at once
    rt.links[peer] = member
    entry = RosterEntry.from_verified(linked.identity, linked.statement)
    learned = roster_lane.learn(session, [entry])
    if rt.info is not None:
        session.out.send(peer, Lane.CIRCLE_INFO, rt.info)
    greeting = roster_sync.greeting(roster_sync.known(rt), first=first)
    session.out.send(peer, Lane.ROSTER, greeting)
    if learned:
        roster_lane.push(session, learned, exclude=peer)
    session.run_moderation(moderation)
    session.step(lambda: rt.engine.peer_connected(member, now))
    session.anon.link_up(peer)
    if not was_present:
        session.emit(PeerConnectedEvent(rt.id, entry.pseudonym, member))


def lost(session: Session, peer: PeerKey) -> None:
    rt = session.rt
    epoch = rt.link_epochs.pop(peer, None)
    rt.waiting.pop(peer, None)
    old = rt.old_links.pop(peer, None)
    member = rt.links.pop(peer, None)
    who = member if member is not None else old
    if who is not None and epoch is not None:
        rt.mod.peer_lost(who, epoch=epoch)
        session.deadline_moved()  # who is present changed (the anonymous lane's collector)
    if member is None or member in rt.present():
        return
    session.engine(lambda: rt.engine.peer_lost(member))
    session.emit(PeerLostEvent(rt.id, rt.name_of(member), member))
