"""A circle session's roster lane: what arrives on it (summaries and entries, see
:mod:`messenger.roster_sync`), what is learned from it, and what is passed on.

Only entries of certified members are learned (an ADMIT names them: a self-signed entry is not
enough). Each pseudonym is pinned to its key on first sight; a known pseudonym that comes with
another key is flagged, loudly. Called by :class:`~messenger.session.CircleSession` through the
narrow :class:`Session` port below.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from network.lograte import RefusalLog
from network.node import PeerKey

from . import persist, roster_sync
from .events import Event, KeyChangedEvent
from .mux import Lane
from .outputs import Outputs
from .pinning import KeyPins
from .roster import Roster, RosterEntry, RosterError, Summary, Want
from .runtime import CircleRuntime


class Session(Protocol):
    """What the roster lane needs of the circle's session."""

    @property
    def rt(self) -> CircleRuntime: ...
    @property
    def out(self) -> Outputs: ...
    @property
    def pins(self) -> KeyPins: ...
    def emit(self, event: Event) -> None: ...


def learn(session: Session, entries: Sequence[RosterEntry]) -> list[RosterEntry]:
    """Add verified entries of certified members; returns those that were new."""
    rt, pins = session.rt, session.pins
    learned = []
    pins_changed = False
    for entry in entries:
        if entry.member_key == rt.me or not rt.mod.state.is_certified(entry.member_key):
            continue  # only members a moderator let in (an ADMIT): self-signed is not enough
        pin = pins.check(rt.id, entry.pseudonym, entry.member_key)
        if pin.changed:
            if entry.member_key not in rt.key_changed:
                rt.key_changed.add(entry.member_key)
                session.emit(KeyChangedEvent(rt.id, entry.pseudonym, entry.member_key, pin.pinned))
        else:
            pins_changed = pins_changed or pin.status.value == "new"
        if rt.roster.add(entry):
            learned.append(entry)
    if learned:
        persist.save_roster(session.out, rt)
    if pins_changed:
        persist.save_pins(session.out, pins)
    return learned


def receive(session: Session, peer: PeerKey, body: bytes, drops: RefusalLog) -> None:
    """One roster-lane message from ``peer``: a summary is answered (what we lack asked for),
    a want given, entries learned and what was new pushed on."""
    try:
        message = session.rt.roster.read(body)
    except RosterError as exc:
        drops.note(peer.remote_static.hex(), f"roster update: {exc}")
        return
    rt = session.rt
    if isinstance(message, Summary):
        mine = roster_sync.known(rt)
        for reply in roster_sync.answer(message, mine, rt.roster_asks, rt.clock_ms()):
            session.out.send(peer, Lane.ROSTER, reply)
    elif isinstance(message, Want):
        for reply in roster_sync.give(message, roster_sync.known(rt)):
            session.out.send(peer, Lane.ROSTER, reply)
    else:
        rt.roster_asks.answered(e.short_id for e in message)
        if learned := learn(session, message):
            push(session, learned, exclude=peer)


def push(session: Session, entries: list[RosterEntry], *, exclude: PeerKey) -> None:
    """Newly learned entries to a few links (see :mod:`messenger.roster_sync`)."""
    update = Roster.encode(entries)
    for peer in roster_sync.fanout(list(session.rt.links), exclude):
        session.out.send(peer, Lane.ROSTER, update)
