"""Rounds between members and a collector: messages arrive once, queues empty only when the
message came out, collisions retry, and a round that leaves out someone present sends nothing."""

from __future__ import annotations

from hashlib import blake2b

import nacl.signing

from messenger.anonymous import dcnet
from messenger.anonymous.rounds import (
    LINK_UP_ROUNDS,
    Announce,
    Collector,
    Combined,
    MemberRounds,
    Output,
    Phase,
)

CIRCLE = bytes(16)


def members(n: int) -> tuple[list[bytes], list[MemberRounds]]:
    seeds = [blake2b(b"r" + bytes([i]), digest_size=32).digest() for i in range(n)]
    keys = [bytes(nacl.signing.SigningKey(s).verify_key) for s in seeds]
    rounds = [MemberRounds(keys[i], dcnet.pair_keys(seeds[i], keys, CIRCLE, 1)) for i in range(n)]
    return keys, rounds


def play(
    keys: list[bytes],
    people: list[MemberRounds],
    round_no: int,
    *,
    linked: list[bytes] | None = None,
) -> list[list[bytes]]:
    """One whole round; every member's view of the messages that came out."""
    collector = Collector()
    announce = collector.start(round_no, keys)
    combined: Combined | None = None
    for m in people:
        out = m.on_announce(announce, linked if linked is not None else keys)
        assert out is not None
        combined = collector.on_output(m.me, out) or combined
    assert combined is not None and combined.phase is Phase.RESERVATION
    views: list[list[bytes]] = [[] for _ in people]
    data_combined: Combined | None = None
    for m in people:
        out, msgs = m.on_combined(combined)
        assert msgs == []
        if out is not None:
            data_combined = collector.on_output(m.me, out) or data_combined
    if data_combined is None:
        return views
    for i, m in enumerate(people):
        out, msgs = m.on_combined(data_combined)
        assert out is None
        views[i] = msgs
    return views


def test_a_message_comes_out_once_to_everyone_and_leaves_the_queue() -> None:
    keys, people = members(5)
    people[2].submit(b"honest feedback")
    views = play(keys, people, 1)
    assert all(v == [b"honest feedback"] for v in views)
    assert people[2].pending == 0
    assert all(v == [] for v in play(keys, people, 2))  # an empty round: nothing, no data phase


def test_messages_from_several_members_all_come_out_in_a_few_rounds() -> None:
    keys, people = members(6)
    wanted = {f"note {i}".encode() for i in range(6)}
    for i, m in enumerate(people):
        m.submit(f"note {i}".encode())
    seen: list[bytes] = []
    for r in range(1, 40):
        seen += play(keys, people, r)[0]
        if not any(m.pending for m in people):
            break
    assert sorted(seen) == sorted(wanted)  # each exactly once, whatever collided on the way


def test_three_senders_on_one_bit_never_make_a_fourth_message() -> None:
    # "note 0" ^ "note 2" ^ "note 4" is "note 6": only the slot's check stops it.
    keys, people = members(4)
    participants = sorted(keys)
    outs = [
        dcnet.data(
            m._keys,
            participants,
            m.me,
            3,
            [5],
            my_bit=5 if i < 3 else None,
            message=f"note {2 * i}".encode() if i < 3 else b"",
        )
        for i, m in enumerate(people)
    ]
    assert dcnet.open_slots(dcnet.xor(outs, dcnet.SLOT_SIZE), 1) == [None]


def test_a_round_that_leaves_out_someone_present_carries_nothing_real() -> None:
    keys, people = members(4)
    people[0].submit(b"secret")
    stranger = bytes(nacl.signing.SigningKey(b"s" * 32).verify_key)
    views = play(keys, people, 1, linked=[*keys, stranger])  # I see someone the round left out
    assert views == [[], [], [], []]
    assert people[0].pending == 1  # kept for a fair round


def test_stale_foreign_or_malformed_round_messages_are_ignored() -> None:
    keys, people = members(3)
    m = people[0]
    assert m.on_announce(Announce(5, tuple(sorted(keys))), keys) is not None
    assert m.on_announce(Announce(5, tuple(sorted(keys))), keys) is None  # replayed
    assert m.on_announce(Announce(4, tuple(sorted(keys))), keys) is None  # older
    assert m.on_announce(Announce(6, tuple(sorted(keys, reverse=True))), keys) is None  # unsorted
    outsider = bytes(nacl.signing.SigningKey(b"o" * 32).verify_key)
    assert m.on_announce(Announce(7, tuple(sorted([*keys, outsider]))), keys) is None
    assert m.on_combined(Combined(99, Phase.RESERVATION, bytes(8))) == (None, [])
    collector = Collector()
    announce = collector.start(1, keys)
    assert collector.on_output(outsider, Output(1, Phase.RESERVATION, bytes(8))) is None
    assert collector.on_output(keys[0], Output(2, Phase.RESERVATION, bytes(8))) is None
    assert collector.on_output(keys[0], Output(1, Phase.RESERVATION, bytes(7))) is None
    assert collector.on_output(keys[0], Output(1, Phase.RESERVATION, bytes(8))) is None
    assert collector.on_output(keys[0], Output(1, Phase.RESERVATION, bytes(8))) is None  # twice
    assert announce.participants == tuple(sorted(keys))


def _rounds_until_sent(after_link_up: bool, seed_round: int) -> int:
    keys, people = members(4)
    people[1].submit(b"a report written while away")
    if after_link_up:
        people[1].link_came_up()
    for r in range(1, 20):
        if play(keys, people, seed_round + r)[0]:
            return r - 1
    raise AssertionError("never sent")


def test_a_link_coming_up_draws_the_wait_again() -> None:
    """Issue 17: a report that became due while its writer was away must not go out in the
    first round after a link of theirs comes up ("X is back, then a report" names X). The wait
    is drawn again at each link-up, 0 to LINK_UP_ROUNDS rounds."""
    assert {_rounds_until_sent(False, 100 * t) for t in range(5)} == {0}  # no link came up
    waits = [_rounds_until_sent(True, 100 * t) for t in range(60)]
    assert set(waits) <= set(range(LINK_UP_ROUNDS + 1))
    # Each of the 5 waits is drawn with probability 1/5: in 60 tries every one shows
    # (a value missing has probability under 5 * (4/5)**60 = 8e-6).
    assert set(waits) == set(range(LINK_UP_ROUNDS + 1)), waits


def test_a_link_up_while_nothing_waits_delays_nothing_written_later() -> None:
    keys, people = members(4)
    people[1].link_came_up()
    for r in range(1, 2 + LINK_UP_ROUNDS):  # rounds pass with nothing to send: they use it up
        play(keys, people, r)
    people[1].submit(b"written later")
    assert play(keys, people, 50)[0] == [b"written later"]
