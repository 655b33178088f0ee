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
from messenger.anonymous import check, prove

CIRCLE = os.urandom(16)
MESSAGE = os.urandom(300)


def run(report: Report) -> None:
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
