"""The circle's moderation state as a pure function of the set of events its members hold.

Events spread like posts, in no particular order, and some members see some events late. So the
state is never built by applying events as they come; it is *derived* from the whole set, the
same way by everyone, and every member who holds the same events agrees on it. The rules:

1. **One event per slot.** An event's slot is (actor, seq). Two different events in one slot are
   an equivocation: in the host's log and in an open term the one with the lower id counts, the
   other is ignored; in a closed term only the event the closing named counts (rule 3).
2. **The host's events, in the host's own order** (by seq). The host may do anything, except
   remove or appoint itself. Appointing opens a co-moderator's *term* at ``since`` in the
   co-moderator's own event numbering; dismissing (or removing) a co-moderator closes it at
   ``upto`` and *names* the term's events (``term``: their fingerprints, as the host's client
   counted them). At most :data:`MAX_MODERATORS` terms are open at once.
3. **Co-moderators' events count only inside their terms.** An event numbered ``s`` by a
   co-moderator counts if ``since <= s`` and the term is open, or if the term is closed,
   ``s <= upto`` and the closing named it. So "a removed or dismissed co-moderator's later
   events are ignored" holds for every member, whether the dismissal or the later event arrived
   first; and an ex-co-moderator cannot add to a closed term afterwards, neither in a gap nor
   by replacing a genuine event with a lower-id one in its slot. Co-moderators may remove
   members (not the host, not a current co-moderator, not themselves), hide posts and set slow
   mode; nothing else.
4. **Combining.** Removals, hidden posts, admissions and the close are sets (nothing un-removes
   a member or un-hides a post); slow mode is the latest by timestamp (ties: the higher event
   id); the rotation that counts is the one with the highest epoch, and of two at one epoch
   (two moderators rotated at once) the one with the lower event id: every member converges
   on the same secret, whichever hand-over it opened first.
5. **Rotation due.** After a removal the secret must change: a rotation is due while some removed
   member got the current secret (is among the counting ROTATE's recipients), or was removed
   after it (by the remover's own order when the same moderator rotated, else by timestamp), or
   when there was no rotation since the circle began and someone was removed.
6. **Certificates.** ``admitted`` maps each member an ADMIT names (host's, or a co-moderator's
   in term) to the pseudonym it was let in under.

Because the state is a function of a set, :func:`derive` may be called again with more events at
any time; comparing two results gives what changed (:func:`~.effects.changes`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .actions import (
    Admit,
    Appoint,
    Close,
    Dismiss,
    Hide,
    Remove,
    Rotate,
    SlowMode,
    fingerprint,
    named,
)
from .envelope import SignedEvent

MAX_MODERATORS = 16


@dataclass(frozen=True)
class Term:
    """A co-moderator's term in their own event numbering, inclusive (``upto=None``: open).
    A closed term counts only the events its closing ``named`` (by fingerprint)."""

    since: int
    upto: int | None = None
    named: frozenset[bytes] = frozenset()

    def covers(self, seq: int) -> bool:
        return self.since <= seq and (self.upto is None or seq <= self.upto)

    def counts(self, event: SignedEvent) -> bool:
        if not self.covers(event.seq):
            return False
        return self.upto is None or fingerprint(event.id) in self.named


@dataclass(frozen=True)
class Derived:
    removed: Mapping[bytes, bytes] = field(default_factory=dict)  # member -> who removed them
    terms: Mapping[bytes, tuple[Term, ...]] = field(default_factory=dict)
    moderators: frozenset[bytes] = frozenset()  # co-moderators with an open term
    hidden: frozenset[bytes] = frozenset()  # post ids
    slow_mode: int | None = None  # None: the circle's own setting
    closed: bool = False
    epoch: int = 0  # the highest epoch a ROTATE announced
    recipients: frozenset[bytes] = frozenset()  # who got that epoch's secret
    rotation_due: bool = False
    counted: frozenset[bytes] = frozenset()  # ids of the events that count
    admitted: Mapping[bytes, str] = field(default_factory=dict)  # member -> pseudonym at join
    rotator: bytes | None = None  # who made the rotation that counts


Rotation = tuple[int, bytes, bytes, int, int, tuple[bytes, ...]]
"""(epoch, event id, actor, seq, ts, recipients) of a ROTATE."""


def _better(new: Rotation, old: Rotation | None) -> bool:
    """The higher epoch wins; at one epoch the lower event id."""
    return old is None or (new[0], old[1]) > (old[0], new[1])


def winners(events: Iterable[SignedEvent]) -> dict[bytes, dict[int, SignedEvent]]:
    """Per actor, per seq: the event that counts in that slot (the lowest id)."""
    slots: dict[bytes, dict[int, SignedEvent]] = {}
    for event in events:
        per_actor = slots.setdefault(event.actor, {})
        held = per_actor.get(event.seq)
        if held is None or event.id < held.id:
            per_actor[event.seq] = event
    return slots


def _counting(terms: tuple[Term, ...], slot: list[SignedEvent]) -> SignedEvent | None:
    """The one event of a co-moderator's slot that counts: in a closed term the one its closing
    named, in the open term the lowest id; None when none counts."""
    for event in sorted(slot, key=lambda e: e.id):
        if any(t.counts(event) for t in terms):
            return event
    return None


def derive(host: bytes, events: Iterable[SignedEvent]) -> Derived:
    """The moderation state that ``events`` (all of this circle, checked) give."""
    held = list(events)
    slots = winners(held)
    every: dict[bytes, dict[int, list[SignedEvent]]] = {}
    for one in held:
        every.setdefault(one.actor, {}).setdefault(one.seq, []).append(one)
    open_terms: dict[bytes, Term] = {}
    closed_terms: dict[bytes, list[Term]] = {}
    removed: dict[bytes, bytes] = {}
    removal_order: dict[bytes, tuple[int, int]] = {}  # member -> (host seq, ts) of removal
    admitted: dict[bytes, str] = {}
    hidden: set[bytes] = set()
    slow: tuple[int, bytes, int] | None = None  # (ts, id, seconds)
    closed = False
    rotation: Rotation | None = None
    counted: set[bytes] = set()

    def close_term(member: bytes, upto: int, names: bytes) -> None:
        term = open_terms.pop(member, None)
        if term is not None:
            ended = Term(term.since, max(upto, term.since - 1), named(names))
            closed_terms.setdefault(member, []).append(ended)

    for seq in sorted(slots.get(host, {})):
        event = slots[host][seq]
        action = event.action
        counted.add(event.id)
        match action:
            case Remove(member=member, upto=upto, term=names):
                if member == host:
                    counted.discard(event.id)
                    continue
                close_term(member, upto, names)
                if member not in removed:
                    removed[member] = host
                    removal_order[member] = (seq, event.ts)
            case Appoint(member=member, since=since):
                if (
                    member == host
                    or member in removed
                    or member in open_terms
                    or len(open_terms) >= MAX_MODERATORS
                ):
                    counted.discard(event.id)
                    continue
                open_terms[member] = Term(since)
            case Dismiss(member=member, upto=upto, term=names):
                close_term(member, upto, names)
            case Hide(post_id=post_id):
                hidden.add(post_id)
            case SlowMode(seconds=seconds):
                candidate = (event.ts, event.id, seconds)
                slow = candidate if slow is None else max(slow, candidate)
            case Close():
                closed = True
            case Rotate(epoch=epoch, recipients=recipients):
                made: Rotation = (epoch, event.id, host, seq, event.ts, recipients)
                if _better(made, rotation):
                    rotation = made
            case Admit(member=member, pseudonym=pseudonym):
                admitted.setdefault(member, pseudonym)

    terms: dict[bytes, tuple[Term, ...]] = {}
    for member in set(open_terms) | set(closed_terms):
        own = list(closed_terms.get(member, []))
        if member in open_terms:
            own.append(open_terms[member])
        terms[member] = tuple(own)
    moderators = frozenset(open_terms)

    co_removals: dict[bytes, int] = {}  # member -> ts of the earliest co-moderator removal
    co_order: dict[bytes, tuple[bytes, int]] = {}  # member -> (actor, seq) of that removal
    for actor in sorted(every):
        if actor == host or actor not in terms:
            continue
        for seq in sorted(every[actor]):
            found = _counting(terms[actor], every[actor][seq])
            if found is None:
                continue
            event = found
            action = event.action
            match action:
                case Remove(member=member):
                    if member in (host, actor) or member in moderators:
                        continue
                    if member not in removed:
                        removed[member] = actor
                    if member not in removal_order:
                        ts = co_removals.get(member)
                        if ts is None or event.ts < ts:
                            co_removals[member] = event.ts
                            co_order[member] = (actor, seq)
                case Hide(post_id=post_id):
                    hidden.add(post_id)
                case SlowMode(seconds=seconds):
                    candidate = (event.ts, event.id, seconds)
                    slow = candidate if slow is None else max(slow, candidate)
                case Admit(member=member, pseudonym=pseudonym):
                    admitted.setdefault(member, pseudonym)
                case Rotate(epoch=epoch, recipients=recipients):
                    rotated = (epoch, event.id, actor, seq, event.ts, recipients)
                    if _better(rotated, rotation):
                        rotation = rotated
                case _:
                    continue  # host-only actions never count from a co-moderator
            counted.add(event.id)

    due = False
    if rotation is None:
        due = bool(removed)
    else:
        _, _, rot_actor, rot_seq, rot_ts, keys = rotation
        holders = set(keys)
        for member in removed:
            if member in removal_order:
                by, (seq, ts) = host, removal_order[member]
            else:
                by, seq = co_order.get(member, (b"", 0))
                ts = co_removals.get(member, 0)
            if member in holders:
                due = True
            elif by == rot_actor:
                due = due or seq > rot_seq
            else:
                due = due or ts > rot_ts
    return Derived(
        removed=removed,
        terms=terms,
        moderators=moderators,
        hidden=frozenset(hidden),
        slow_mode=None if slow is None else slow[2],
        closed=closed,
        epoch=0 if rotation is None else rotation[0],
        recipients=frozenset(() if rotation is None else rotation[5]),
        rotation_due=due,
        counted=frozenset(counted),
        admitted=admitted,
        rotator=None if rotation is None else rotation[2],
    )
