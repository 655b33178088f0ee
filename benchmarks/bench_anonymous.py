"""Anonymous authorship: a ring-signed post beside an ordinarily signed one, same run.

For circles of 6, 20 and 50, the cost an anonymous post adds: making its ring signature (the
author, once) and checking it (every member, once), beside Ed25519 signing and verifying of the
same message (what a named post costs), and the bytes its proof adds beside a 64-byte signature.
The scheme's floor is also printed: 4·N scalar multiplications in libsodium (what closing a ring
of N must compute whatever the code around it does).
"""

from __future__ import annotations

import os

import nacl.bindings as sodium
import nacl.signing

from benchmarks.report import Report, rate
from messenger.anonymous import check, dcnet, prove, wire
from messenger.anonymous.rounds import Announce, Output, Phase
from messenger.conversation import sign_post
from messenger.conversation.anon_envelope import (
    check_anonymous_post,
    decode_anonymous_post,
    make_anonymous_post,
)
from messenger.conversation.envelope import decode_post
from network.channel import bucket_for
from network.channel_types import RECORD_HEADER

CIRCLE = os.urandom(16)
MESSAGE = os.urandom(300)


def run(report: Report) -> None:
    run_ring(report)
    run_post(report)


def run_ring(report: Report) -> None:
    seed = os.urandom(32)
    signer = nacl.signing.SigningKey(seed)
    signed = signer.sign(MESSAGE)
    verifier = signer.verify_key
    sign_rate = rate(lambda: signer.sign(MESSAGE), min_time=0.3, max_iters=5000)
    verify_rate = rate(lambda: verifier.verify(signed), min_time=0.3, max_iters=5000)
    for n in (6, 20, 50):
        keys = [bytes(signer.verify_key)] + [
            bytes(nacl.signing.SigningKey(os.urandom(32)).verify_key) for _ in range(n - 1)
        ]
        proof = prove(seed, keys, MESSAGE, circle_id=CIRCLE, epoch=1, window=1)

        def make(keys: list[bytes] = keys) -> None:
            prove(seed, keys, MESSAGE, circle_id=CIRCLE, epoch=1, window=1)

        def verify(keys: list[bytes] = keys, proof: object = proof) -> None:
            check(
                proof,  # type: ignore[arg-type]
                MESSAGE,
                circle_id=CIRCLE,
                epoch=1,
                members=keys,
                windows=[1],
                min_ring=len(keys),
            )

        scalar = bytes(sodium.crypto_core_ed25519_scalar_reduce(os.urandom(64)))

        def floor(keys: list[bytes] = keys, scalar: bytes = scalar) -> None:
            for key in keys:
                for _ in range(4):
                    sodium.crypto_scalarmult_ed25519_noclamp(scalar, key)

        make_rate = rate(make, min_time=0.3, max_iters=200)
        check_rate = rate(verify, min_time=0.3, max_iters=200)
        floor_rate = rate(floor, min_time=0.3, max_iters=200)
        report.compare(f"N={n} ring verify", check_rate, "/s", f"4·{n} scalar mults", floor_rate)
        report.compare(f"N={n} ring sign", make_rate, "/s", "Ed25519 sign", sign_rate)
        report.compare(
            f"N={n} ring verify (named: 1 verify)", check_rate, "/s", "Ed25519 verify", verify_rate
        )
        report.compare(
            f"N={n} proof size",
            len(proof.encode()),
            "B",
            "Ed25519 signature",
            64,
            higher_is_better=False,
        )


def frame(message: int) -> int:
    """Bytes on the wire for one message of ``message`` bytes on a member link (one record:
    length prefix, padded ciphertext; round messages fit one record)."""
    return 2 + bucket_for(RECORD_HEADER + message)


def run_post(report: Report) -> None:
    """What one anonymous post costs in the product, beside a named post, for a circle of N
    all present: CPU (the author's making, every member's round work and check; summed over the
    circle) and bytes on the wire (every frame of the round that carries it, or the N−1 pushes
    of a named post)."""
    for n in (6, 20):
        _post_cost(report, n)


def _post_cost(report: Report, n: int) -> None:
    seeds = [os.urandom(32) for _ in range(n)]
    keys = [bytes(nacl.signing.SigningKey(s).verify_key) for s in seeds]
    ring = sorted(keys)
    body = "x" * 300
    circle = os.urandom(16)

    def named_cpu() -> None:
        post = sign_post(nacl.signing.SigningKey(seeds[0]), circle, 1, body, 1_000_000)
        for _ in range(n - 1):
            decode_post(post.signed)

    pair = [dcnet.pair_keys(s, ring, circle, 1) for s in seeds]

    def anonymous_cpu() -> None:
        made = make_anonymous_post(seeds[0], ring, circle, 1, body, 1_000_000)
        message = b"\x01" + made.post.signed
        outs = []
        for i, me in enumerate(keys):
            out, bit = dcnet.reservation(pair[i], ring, me, 7, want=i == 0)
            outs.append((out, bit))
        bits = [outs[0][1] or 0]
        data = [
            dcnet.data(pair[i], ring, me, 7, bits, my_bit=outs[i][1], message=message)
            for i, me in enumerate(keys)
        ]
        (opened,) = dcnet.open_slots(dcnet.xor(data, dcnet.SLOT_SIZE), 1)
        assert opened is not None
        post = decode_anonymous_post(opened[1:])
        for _ in range(n - 1):
            check_anonymous_post(
                post, epoch=1, members=ring, windows=[post.proof.window], min_ring=n
            )

    named_rate = rate(named_cpu, min_time=0.3, max_iters=500)
    anon_rate = rate(anonymous_cpu, min_time=0.5, max_iters=50)
    report.compare(
        f"N={n} anonymous post, CPU for the circle",
        1000 / anon_rate,
        "ms",
        "named post",
        1000 / named_rate,
        higher_is_better=False,
    )
    named = sign_post(nacl.signing.SigningKey(seeds[0]), circle, 1, body, 1_000_000)
    announce = len(wire.encode(Announce(7, tuple(ring))))
    small = len(wire.encode(Output(7, Phase.RESERVATION, bytes(8))))
    slot = len(wire.encode(Output(7, Phase.DATA, bytes(dcnet.SLOT_SIZE))))
    # collector -> N-1: announce, combined reservation, combined data;
    # N-1 -> collector: reservation output, data output (each + 1 lane byte)
    rounds = (n - 1) * (frame(1 + announce) + 2 * frame(1 + small) + 2 * frame(1 + slot))
    idle = (n - 1) * (frame(1 + announce) + 2 * frame(1 + small))
    pushes = (n - 1) * frame(1 + 16 + len(named.signed))
    report.compare(
        f"N={n} anonymous post, bytes on the wire",
        rounds - idle,
        "B",
        "named post",
        pushes,
        higher_is_better=False,
    )
    report.compare(
        f"N={n} empty anonymous round (every interval), bytes",
        idle,
        "B",
        "named post",
        pushes,
        higher_is_better=False,
    )
