"""Dining-cryptographers rounds: messages come out whole, collisions garble and are noticed, and
colluders who see every output and know every pad they share guess the author no better than a
coin toss between the two honest members (with a control that shows the test has the power to
catch a leak)."""

from __future__ import annotations

import random
from hashlib import blake2b

import nacl.signing
import pytest

from messenger.anonymous import dcnet

CIRCLE = bytes(16)
EPOCH = 3


def circle(n: int, tag: bytes = b"m") -> tuple[list[bytes], list[bytes]]:
    seeds = [blake2b(tag + bytes([i]), digest_size=32).digest() for i in range(n)]
    keys = [bytes(nacl.signing.SigningKey(s).verify_key) for s in seeds]
    return seeds, keys


def all_pair_keys(seeds: list[bytes], keys: list[bytes]) -> list[dict[bytes, bytes]]:
    return [dcnet.pair_keys(s, keys, CIRCLE, EPOCH) for s in seeds]


def test_pair_keys_agree_and_differ_per_pair_and_epoch() -> None:
    seeds, keys = circle(4)
    pk = all_pair_keys(seeds, keys)
    for i in range(4):
        assert keys[i] not in pk[i]
        for j in range(4):
            if i != j:
                assert pk[i][keys[j]] == pk[j][keys[i]]
    assert len({pk[0][keys[1]], pk[0][keys[2]], pk[1][keys[2]]}) == 3
    assert dcnet.pair_keys(seeds[0], keys, CIRCLE, EPOCH + 1)[keys[1]] != pk[0][keys[1]]


def run_round(
    pk: list[dict[bytes, bytes]], keys: list[bytes], senders: dict[int, bytes], round_no: int
) -> list[bytes | None]:
    participants = sorted(keys)
    outs, bits = [], {}
    for i, me in enumerate(keys):
        out, bit = dcnet.reservation(pk[i], participants, me, round_no, want=i in senders)
        outs.append(out)
        bits[i] = bit
    combined = dcnet.xor(outs, dcnet.RESERVATION_BYTES)
    chosen = dcnet.slots(combined)
    if not senders:
        assert chosen == []
        return []
    data = [
        dcnet.data(
            pk[i], participants, me, round_no, chosen, my_bit=bits[i], message=senders.get(i, b"")
        )
        for i, me in enumerate(keys)
    ]
    return dcnet.open_slots(dcnet.xor(data, len(chosen) * dcnet.SLOT_SIZE), len(chosen))


def test_one_sender_comes_out_whole_and_an_empty_round_shows_nothing() -> None:
    seeds, keys = circle(6)
    pk = all_pair_keys(seeds, keys)
    assert run_round(pk, keys, {}, 1) == []
    assert run_round(pk, keys, {4: b"the rota is unfair"}, 2) == [b"the rota is unfair"]


def test_two_senders_get_two_slots_or_collide_visibly() -> None:
    seeds, keys = circle(5)
    pk = all_pair_keys(seeds, keys)
    opened = run_round(pk, keys, {0: b"first", 3: b"second"}, 7)
    if len(opened) == 2:  # different bits: both arrive
        assert sorted(m for m in opened if m) == [b"first", b"second"]
    else:  # the same bit (1 in 64): the two bits cancel, no slot opens, neither message came
        # out, and both will retry (three on one bit garble the slot instead: next test)
        assert opened == []


def test_a_collision_on_one_bit_garbles_the_slot() -> None:
    seeds, keys = circle(4)
    pk = all_pair_keys(seeds, keys)
    participants = sorted(keys)
    chosen = [9]
    outs = [
        dcnet.data(
            pk[i],
            participants,
            me,
            5,
            chosen,
            my_bit=9 if i in (1, 2) else None,
            message=b"mine" if i == 1 else b"ours",
        )
        for i, me in enumerate(keys)
    ]
    assert dcnet.open_slots(dcnet.xor(outs, dcnet.SLOT_SIZE), 1) == [None]


def test_no_key_stream_is_used_twice() -> None:
    seeds, keys = circle(3)
    pk = all_pair_keys(seeds, keys)
    p = sorted(keys)
    pads = {
        dcnet.pad(pk[0], p, keys[0], phase, rnd, 64)
        for phase in (dcnet.PHASE_RESERVATION, dcnet.PHASE_DATA)
        for rnd in (1, 2)
    }
    assert len(pads) == 4


def test_malformed_rounds_are_refused_or_read_as_garbled() -> None:
    with pytest.raises(ValueError):
        dcnet.open_slots(bytes(10), 1)
    with pytest.raises(ValueError):
        dcnet.xor([bytes(3), bytes(4)], 3)
    slot = bytearray(dcnet.SLOT_SIZE)
    slot[:2] = (dcnet.MAX_MESSAGE + 1).to_bytes(2, "big")
    assert dcnet.open_slots(bytes(slot), 1) == [None]
    slot[:2] = (3).to_bytes(2, "big")
    slot[18:21] = b"abc"
    assert dcnet.open_slots(bytes(slot), 1) == [None]  # the check does not match
    slot[2:18] = dcnet._check(b"abc")
    assert dcnet.open_slots(bytes(slot), 1) == [b"abc"]
    slot[-1] = 1  # garbage after the message: a collision's remains
    assert dcnet.open_slots(bytes(slot), 1) == [None]
    seeds, keys = circle(3)
    pk = all_pair_keys(seeds, keys)
    with pytest.raises(ValueError):
        dcnet.data(pk[0], sorted(keys), keys[0], 1, [0], my_bit=0, message=bytes(20000))


def test_safe_to_send_needs_me_everyone_i_see_and_three_people() -> None:
    a, b, c, d = (bytes([i]) * 32 for i in range(4))
    assert dcnet.safe_to_send([a, b, c], a, linked=[b, c])
    assert not dcnet.safe_to_send([a, b, c], a, linked=[b, c, d])  # d left out: refuse
    assert not dcnet.safe_to_send([b, c, d], a, linked=[b])
    assert not dcnet.safe_to_send([a, b], a, linked=[b])


def _colluders_guess(
    pk: list[dict[bytes, bytes]],
    keys: list[bytes],
    honest: tuple[int, int],
    colluders: list[int],
    author: int,
    round_no: int,
    leaked_honest_pair: bool,
) -> int:
    """One round with one honest author; the colluders see every output, strip every pad they
    know, and guess: the honest member whose stripped output looks least random (lowest Hamming
    weight outside the message) did not send."""
    participants = sorted(keys)
    chosen = [0]
    message = blake2b(round_no.to_bytes(4, "big"), digest_size=48).digest()
    outs = {
        i: dcnet.data(
            pk[i],
            participants,
            keys[i],
            round_no,
            chosen,
            my_bit=0 if i == author else None,
            message=message if i == author else b"",
        )
        for i in range(len(keys))
    }
    size = dcnet.SLOT_SIZE
    stripped = {}
    for h in honest:
        known = [dcnet._stream(pk[c][keys[h]], dcnet.PHASE_DATA, round_no, size) for c in colluders]
        if leaked_honest_pair:
            other = honest[1] if h == honest[0] else honest[0]
            known.append(dcnet._stream(pk[h][keys[other]], dcnet.PHASE_DATA, round_no, size))
        stripped[h] = dcnet.xor([outs[h], *known], size)
    framed = len(message).to_bytes(2, "big") + dcnet._check(message) + message
    score = {
        h: bin(
            int.from_bytes(stripped[h][: len(framed)], "big") ^ int.from_bytes(framed, "big")
        ).count("1")
        for h in honest
    }
    return min(score, key=lambda h: score[h])  # closest to the message: the guessed author


@pytest.mark.parametrize("leak", [False, True], ids=["honest pair secret", "control: pad leaked"])
def test_four_colluders_of_six_guess_the_author_no_better_than_chance(leak: bool) -> None:
    seeds, keys = circle(6, b"collude")
    pk = all_pair_keys(seeds, keys)
    honest, colluders = (1, 4), [0, 2, 3, 5]
    rng = random.Random(20261204)
    trials = 200
    right = 0
    for r in range(trials):
        author = rng.choice(honest)
        right += _colluders_guess(pk, keys, honest, colluders, author, 1000 + r, leak) == author
    if leak:
        assert right == trials  # with the honest pair's pad known, the test names every author
    else:
        # Binomial(200, 1/2): a two-sided 99.9% interval is 100 +/- 23.3 (z = 3.29).
        assert 77 <= right <= 123, right
