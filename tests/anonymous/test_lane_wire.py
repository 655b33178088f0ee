"""The anonymous lane's messages (messenger/anonymous/wire.py) and the anonymous post form
(messenger/conversation/anon_envelope.py): round trips, and garbage refused with a typed error."""

from __future__ import annotations

import os

import pytest
from nacl.signing import SigningKey

from messenger.anonymous import cutoff, dcnet, wire
from messenger.anonymous.rounds import Announce, Combined, Output, Phase
from messenger.conversation.anon_envelope import (
    ANONYMOUS_AUTHOR,
    decode_anonymous_post,
    make_anonymous_post,
)
from messenger.conversation.errors import EnvelopeError

KEYS = [SigningKey(bytes([i]) * 32) for i in range(1, 5)]
RING = sorted(bytes(k.verify_key) for k in KEYS)
CIRCLE = bytes(16)


def test_every_lane_message_round_trips() -> None:
    cut = cutoff.sign(KEYS[0], CIRCLE, 1, 5, os.urandom(32))
    for msg in (
        Announce(9, tuple(RING)),
        Output(9, Phase.RESERVATION, os.urandom(8)),
        Combined(9, Phase.DATA, os.urandom(2 * dcnet.SLOT_SIZE)),
        wire.Have((os.urandom(32), os.urandom(32))),
        wire.Posts((b"a", b"bc")),
        cut,
    ):
        assert wire.decode(wire.encode(msg)) == msg
    cutoff.verify(cut, CIRCLE, 1)
    with pytest.raises(cutoff.CutOffError):
        cutoff.verify(cut, CIRCLE, 2)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        bytes([9]),
        bytes([wire.ANNOUNCE]) + bytes(8) + bytes([2]) + bytes(64),  # fewer than three
        bytes([wire.ANNOUNCE]) + bytes(8) + bytes([3]) + bytes(95),  # short key
        bytes([wire.OUTPUT]) + bytes(8) + bytes([7]) + bytes(8),  # no such phase
        bytes([wire.OUTPUT]) + bytes(8) + bytes([1]) + bytes(9),  # reservation not 8 bytes
        bytes([wire.COMBINED]) + bytes(8) + bytes([2]) + bytes(100),  # not whole slots
        bytes([wire.COMBINED]) + bytes(8) + bytes([2]) + bytes(9 * dcnet.SLOT_SIZE),  # too many
        bytes([wire.HAVE]) + bytes(31),
        bytes([wire.POSTS, 1]) + (5).to_bytes(4, "big") + b"abc",  # truncated
        bytes([wire.POSTS, 1]) + (1).to_bytes(4, "big") + b"ab",  # trailing bytes
        bytes([wire.CUT]) + bytes(100),
    ],
)
def test_malformed_lane_messages_are_refused(data: bytes) -> None:
    with pytest.raises(wire.AnonWireError):
        wire.decode(data)


def test_an_anonymous_post_names_nobody_and_every_change_is_refused() -> None:
    made = make_anonymous_post(bytes(KEYS[1]), RING, CIRCLE, 1, "the rota is unfair", 10**12)
    data = made.post.signed
    for key in RING:
        assert key not in data.replace(made.proof.encode(), b"")  # keys only inside the ring
    decoded = decode_anonymous_post(data)
    assert decoded.post == made.post and decoded.post.author_key == ANONYMOUS_AUTHOR
    assert decoded.post.envelope.seq == 0 and decoded.post.ts % (15 * 60_000) == 0
    for at in range(0, len(data), 7):
        flipped = bytearray(data)
        flipped[at] ^= 1
        try:
            post = decode_anonymous_post(bytes(flipped))
        except EnvelopeError:
            continue
        from messenger.anonymous import RingSignatureError
        from messenger.conversation.anon_envelope import check_anonymous_post

        with pytest.raises(RingSignatureError):
            check_anonymous_post(
                post, epoch=1, members=RING, windows=[post.proof.window], min_ring=4
            )
