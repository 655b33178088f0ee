"""How rosters travel between members, by summary and by delta (the roster lane's protocol).

On every new link each side sends a :class:`~messenger.roster.Summary` of what it knows (8-byte
ids, one small frame for a circle of dozens) instead of every entry; a side that lacks entries
the summary names asks for just those (a :class:`~messenger.roster.Want`), of that member only
unless it goes unanswered (:class:`~messenger.roster.RosterAsks`), so members whose rosters
agree exchange no entries at all and a newcomer receives each entry about once. A summary can
ask for an answer (our first link in a circle, a post whose author we cannot name): then the
entries it lacks come back at once, from that one member. An
entry learned for the first time is pushed, as entries, to at most :data:`FANOUT` other links
(chosen at random): in a full mesh everyone learns a newcomer from the newcomer's own handshake,
so telling every link again would cost O(N) messages per member for every join; across
missing links the push spreads on from everyone who learns something from it, and every
(re)connect compares summaries again. A post whose author we have no entry for asks the member
who delivered it (a summary that wants an answer).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from typing import TypeVar

from network.node import PeerKey

from .conversation import ConversationEvent, PostReceived
from .roster import Roster, RosterAsks, RosterEntry, Summary, Want
from .runtime import CircleRuntime

FANOUT = 4
"""Other links a newly learned entry is pushed to."""

T = TypeVar("T")


def known(rt: CircleRuntime) -> list[RosterEntry]:
    """My own entry and every entry I hold."""
    return [rt.me_entry(), *rt.roster.entries()]


def greeting(mine: Sequence[RosterEntry], *, first: bool = False) -> bytes:
    """What goes on the roster lane when a link comes up (both sides send one). On our first
    link in the circle it asks for an answer: that member sends at once the entries we lack
    (one member, not every member we link to); on later links what we lack is pulled."""
    return Summary.of(mine, answer=first).encode()


def ask(mine: Sequence[RosterEntry]) -> bytes:
    """A summary that asks for an answer: the entries it lacks, sent at once."""
    return Summary.of(mine, answer=True).encode()


def answer(
    summary: Summary, mine: Sequence[RosterEntry], asks: RosterAsks, now_ms: int
) -> list[bytes]:
    """The replies to a summary: a :class:`Want` for the entries it names that we lack (and
    did not ask anyone for lately); and, if it asks for an answer, the entries it lacks, sent
    at once. A summary that does not ask gets no entries: whoever lacks them asks one member,
    so a newcomer linking to N members gets each entry about once, not N times. Entries are
    never answered with a summary, so an exchange always ends."""
    replies = []
    wanted = asks.take(summary.ids - {e.short_id for e in mine}, now_ms)
    if wanted:
        replies.append(Want(wanted).encode())
    lacking = summary.lacking(mine) if summary.answer else []
    if lacking:
        replies.append(Roster.encode(lacking))
    return replies


def give(want: Want, mine: Sequence[RosterEntry]) -> list[bytes]:
    """The entries a :class:`Want` names that we hold."""
    found = [e for e in mine if e.short_id in want.ids]
    return [Roster.encode(found)] if found else []


def fanout(links: Sequence[T], exclude: T | None) -> list[T]:
    """At most :data:`FANOUT` of ``links`` (not ``exclude``), chosen at random."""
    others = [link for link in links if link != exclude]
    chosen: list[T] = []
    while others and len(chosen) < FANOUT:
        chosen.append(others.pop(secrets.randbelow(len(others))))
    return chosen


def to_ask(rt: CircleRuntime, events: Iterable[ConversationEvent]) -> set[PeerKey]:
    """The links of members who delivered a post whose author has no entry with us."""
    me = rt.membership.member_key
    asked: set[PeerKey] = set()
    for event in events:
        if isinstance(event, PostReceived) and event.post.author_key not in rt.roster:
            link = rt.link_for(event.peer) if event.post.author_key != me else None
            if link is not None:
                asked.add(link)
    return asked
