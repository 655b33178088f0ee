"""Rosters travel by summary and delta (issue 18): members whose rosters agree exchange no
entries, a member who lacks some asks for exactly those and asks once however many members
tell it of them, a summary that asks (a first link) gets what it lacks at once and no summary
back, a summary is a small message, and a malformed one is refused."""

from __future__ import annotations

import msgpack
import pytest

from messenger import roster_sync
from messenger.identity import Membership
from messenger.roster import (
    ASK_AGAIN_MS,
    ENTRIES,
    ID_BYTES,
    Roster,
    RosterAsks,
    RosterEntry,
    RosterError,
    Summary,
    Want,
)

CIRCLE = bytes(range(16))
T0 = 1_700_000_000_000


def entry(name: str) -> RosterEntry:
    m = Membership.generate(CIRCLE, name)
    return RosterEntry(m.member_key, m.pseudonym, m.noise_public, m.statement())


@pytest.fixture(scope="module")
def people() -> list[RosterEntry]:
    return [entry(f"Quiet Heron {i}") for i in range(40)]


def read(data: bytes) -> list[RosterEntry] | Summary | Want:
    return Roster(CIRCLE).read(data)


def summary(data: bytes) -> Summary:
    got = read(data)
    assert isinstance(got, Summary)
    return got


def test_rosters_that_agree_exchange_no_entries(people: list[RosterEntry]) -> None:
    agreeing = summary(roster_sync.greeting(people))
    assert roster_sync.answer(agreeing, list(reversed(people)), RosterAsks(), T0) == []
    asking = read(roster_sync.ask(people))
    assert isinstance(asking, Summary)
    assert roster_sync.answer(asking, people, RosterAsks(), T0) == []


def test_a_summary_of_forty_is_a_small_message(people: list[RosterEntry]) -> None:
    full = Roster.encode(people)
    short = roster_sync.greeting(people)
    assert len(short) <= 40 * (ID_BYTES + 2) + 8  # fits one 1,024-byte frame
    assert len(short) * 10 < len(full)


def test_who_lacks_entries_asks_for_exactly_those(people: list[RosterEntry]) -> None:
    theirs, mine = people, people[:30]
    replies = roster_sync.answer(summary(roster_sync.greeting(theirs)), mine, RosterAsks(), T0)
    assert len(replies) == 1
    want = read(replies[0])
    assert isinstance(want, Want) and want.ids == {e.short_id for e in people[30:]}
    [given] = roster_sync.give(want, theirs)
    assert read(given) == people[30:]


def test_summaries_from_many_members_bring_one_ask(people: list[RosterEntry]) -> None:
    """Issue 18: a newcomer linking to N members was pushed the roster by each of them."""
    asks, mine = RosterAsks(), people[:1]
    first = roster_sync.answer(summary(roster_sync.greeting(people)), mine, asks, T0)
    assert len(first) == 1
    for k in range(1, 39):  # the other members' summaries, moments later: nothing to ask
        later = roster_sync.answer(summary(roster_sync.greeting(people)), mine, asks, T0 + k)
        assert later == []
    asks.answered(e.short_id for e in people[1:20])  # half came; the other half never did
    again = roster_sync.answer(
        summary(roster_sync.greeting(people)), people[:20], asks, T0 + ASK_AGAIN_MS
    )
    want = read(again[0])
    assert isinstance(want, Want) and want.ids == {e.short_id for e in people[20:]}


def test_a_summary_that_asks_gets_the_entries_it_lacks_at_once(people: list[RosterEntry]) -> None:
    """Our first link in a circle (and a post whose author we cannot name) asks: that one
    member sends what we lack without a round trip; no summary comes back, so it ends."""
    a, b = people[:25], people[15:]  # each lacks some of the other's
    first = summary(roster_sync.greeting(a, first=True))
    assert first.answer and not summary(roster_sync.greeting(a)).answer
    replies = [read(r) for r in roster_sync.answer(first, b, RosterAsks(), T0)]
    want, entries = replies
    assert isinstance(want, Want) and want.ids == {e.short_id for e in people[:15]}
    assert entries == people[25:]  # what a lacks, at once
    assert not any(isinstance(r, Summary) for r in replies)


def test_a_new_statement_counts_as_a_new_entry(people: list[RosterEntry]) -> None:
    renamed = Membership.generate(CIRCLE, "Calm Otter")
    old = RosterEntry(renamed.member_key, "Calm Otter", renamed.noise_public, renamed.statement())
    newer = renamed.with_pseudonym("Calm Otter Two")
    new = RosterEntry(newer.member_key, newer.pseudonym, newer.noise_public, newer.statement())
    assert old.short_id != new.short_id
    [want] = roster_sync.answer(summary(roster_sync.greeting([new])), [old], RosterAsks(), T0)
    asked = read(want)
    assert isinstance(asked, Want)
    assert read(roster_sync.give(asked, [new])[0]) == [new]


@pytest.mark.parametrize(
    "value",
    [
        [2, [b"short"], False],
        [2, [b"x" * ID_BYTES], "yes"],
        [2, "ids", False],
        [2, [1, 2], True],
        [3, [], False],
        [3, [b"short"]],
        [3, "ids"],
        [3, [b"x" * ID_BYTES] * 300],
        [ENTRIES],
    ],
)
def test_a_malformed_roster_message_is_refused(value: object) -> None:
    with pytest.raises(RosterError):
        read(msgpack.packb(value, use_bin_type=True))


def test_a_push_goes_to_a_few_links_never_back(people: list[RosterEntry]) -> None:
    links = list(range(39))
    for _ in range(20):
        chosen = roster_sync.fanout(links, exclude=7)
        assert len(chosen) == roster_sync.FANOUT == len(set(chosen)) and 7 not in chosen
    assert sorted(roster_sync.fanout([1, 2, 3], exclude=2)) == [1, 3]
