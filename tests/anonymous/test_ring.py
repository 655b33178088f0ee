"""Linkable ring signatures: they verify for members, link within a window only, and every
forgery, alteration or malformed encoding is refused with a typed reason."""

from __future__ import annotations

import secrets

import nacl.bindings as sodium
import nacl.signing
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from messenger.anonymous import (
    AnonymousBudget,
    BudgetVerdict,
    RingProblem,
    RingSignatureError,
    check,
    decode,
    prove,
)
from messenger.anonymous import ring as rings

CIRCLE = bytes(range(16))
IDENTITY = bytes([1]) + bytes(31)  # the neutral element: small order
# A point of order 8 (from libsodium's blocklist of small-order points).
TORSION = bytes.fromhex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a")


def members(n: int) -> tuple[list[bytes], list[bytes]]:
    seeds = [secrets.token_bytes(32) for _ in range(n)]
    keys = [bytes(nacl.signing.SigningKey(s).verify_key) for s in seeds]
    return seeds, keys


def checked(proof_bytes: bytes, message: bytes, keys: list[bytes], **kw: object) -> bytes:
    args: dict[str, object] = {
        "circle_id": CIRCLE,
        "epoch": 1,
        "members": keys,
        "windows": [7],
        "min_ring": len(keys),
    }
    args.update(kw)
    return check(decode(proof_bytes), message, **args)  # type: ignore[arg-type]


@pytest.mark.parametrize("n", [1, 2, 3, 6, 11])
def test_every_member_signs_and_every_signature_verifies(n: int) -> None:
    seeds, keys = members(n)
    for seed in seeds:
        proof = prove(seed, keys, b"the rota is unfair", circle_id=CIRCLE, epoch=1, window=7)
        assert proof.ring == tuple(sorted(keys))
        tag = checked(proof.encode(), b"the rota is unfair", keys)
        assert tag == rings.key_image(seed, _context(1, 7))


def _context(epoch: int, window: int) -> bytes:
    from messenger.anonymous import linkage_context

    return linkage_context(CIRCLE, epoch, window)


def test_the_tag_links_one_window_only_and_never_two_members() -> None:
    seeds, keys = members(4)

    def tag(seed: bytes, epoch: int, window: int, text: bytes) -> bytes:
        return prove(seed, keys, text, circle_id=CIRCLE, epoch=epoch, window=window).linkage_tag

    a1 = tag(seeds[0], 1, 7, b"one")
    assert tag(seeds[0], 1, 7, b"two") == a1  # same member, same window: linkable (rate limits)
    assert tag(seeds[0], 1, 8, b"one") != a1  # next window: unlinked
    assert tag(seeds[0], 2, 7, b"one") != a1  # after a rotation: unlinked
    assert tag(seeds[1], 1, 7, b"one") != a1  # another member: another tag
    # The tag is not the member key, nor derived from it in a way a member could check: it is
    # x·H for an H nobody knows the logarithm of.
    assert a1 not in keys


def test_two_signatures_by_one_member_differ_in_every_response() -> None:
    seeds, keys = members(5)
    p1 = prove(seeds[3], keys, b"same", circle_id=CIRCLE, epoch=1, window=7)
    p2 = prove(seeds[3], keys, b"same", circle_id=CIRCLE, epoch=1, window=7)
    assert p1.signature.c0 != p2.signature.c0
    assert all(
        r1 != r2 for r1, r2 in zip(p1.signature.responses, p2.signature.responses, strict=True)
    )


def test_altered_message_context_or_ring_is_refused() -> None:
    seeds, keys = members(4)
    proof = prove(seeds[0], keys, b"text", circle_id=CIRCLE, epoch=1, window=7).encode()
    cases: list[tuple[dict[str, object], bytes]] = [
        ({}, b"texT"),
        ({"epoch": 2}, b"text"),
        ({"circle_id": bytes(16)}, b"text"),
    ]
    for kwargs, text in cases:
        with pytest.raises(RingSignatureError) as err:
            checked(proof, text, keys, **kwargs)
        assert err.value.problem is RingProblem.BAD_SIGNATURE
    with pytest.raises(RingSignatureError) as err:
        checked(proof, b"text", keys, windows=[8])
    assert err.value.problem is RingProblem.STALE_WINDOW


def test_every_flipped_bit_of_a_proof_is_refused() -> None:
    seeds, keys = members(3)
    proof = prove(seeds[1], keys, b"text", circle_id=CIRCLE, epoch=1, window=7).encode()
    for at in range(len(proof)):
        for bit in (0, 5):
            bad = bytearray(proof)
            bad[at] ^= 1 << bit
            with pytest.raises(RingSignatureError):
                checked(bytes(bad), b"text", keys)


def test_an_outsider_or_removed_member_cannot_prove_membership() -> None:
    seeds, keys = members(4)
    outsider = secrets.token_bytes(32)
    outsider_key = bytes(nacl.signing.SigningKey(outsider).verify_key)
    # Signing for a ring without one's key is refused outright...
    with pytest.raises(RingSignatureError) as err:
        prove(outsider, keys, b"x", circle_id=CIRCLE, epoch=1, window=7)
    assert err.value.problem is RingProblem.NOT_IN_RING
    # ...and a ring the outsider builds with its own key in it names a non-member.
    forged = prove(outsider, [*keys, outsider_key], b"x", circle_id=CIRCLE, epoch=1, window=7)
    with pytest.raises(RingSignatureError) as err:
        checked(forged.encode(), b"x", keys)
    assert err.value.problem is RingProblem.NOT_MEMBERS
    # A member removed since (no longer in the certified roster) is refused the same way.
    removed = keys[2]
    with pytest.raises(RingSignatureError) as err:
        checked(
            prove(seeds[2], keys, b"x", circle_id=CIRCLE, epoch=1, window=7).encode(),
            b"x",
            [k for k in keys if k != removed],
        )
    assert err.value.problem is RingProblem.NOT_MEMBERS


def test_a_ring_smaller_than_the_circle_is_refused() -> None:
    seeds, keys = members(5)
    small = prove(seeds[0], keys[:2], b"x", circle_id=CIRCLE, epoch=1, window=7)
    with pytest.raises(RingSignatureError) as err:
        checked(small.encode(), b"x", keys, min_ring=5)
    assert err.value.problem is RingProblem.BAD_RING


def test_small_order_points_are_refused_as_ring_keys_and_as_key_images() -> None:
    seeds, keys = members(3)
    for bad in (IDENTITY, TORSION, bytes(32)):
        with pytest.raises(RingSignatureError) as err:
            rings.sign(seeds[0], [keys[0], bad], b"x", b"ctx")
        assert err.value.problem is RingProblem.BAD_RING
    # A key image moved off the prime-order subgroup (I + T) would let one member make a second
    # tag in the same window: refused.
    proof = rings.sign(seeds[0], keys, b"x", b"ctx")
    shifted = bytes(sodium.crypto_core_ed25519_add(proof.key_image, TORSION))
    moved = rings.RingSignature(proof.c0, proof.responses, shifted)
    with pytest.raises(RingSignatureError) as err:
        rings.verify(moved, keys, b"x", b"ctx")
    assert err.value.problem is RingProblem.MALFORMED


def test_non_canonical_scalars_are_refused() -> None:
    seeds, keys = members(2)
    proof = rings.sign(seeds[0], keys, b"x", b"ctx")
    order = (2**252 + 27742317777372353535851937790883648493).to_bytes(32, "little")
    # c0 + L is the same residue, but a different encoding: malleability refused.
    bumped = bytes(sodium.crypto_core_ed25519_scalar_add(proof.c0, bytes(32)))  # == c0
    big = (int.from_bytes(bumped, "little") + int.from_bytes(order, "little")).to_bytes(
        32, "little"
    )
    with pytest.raises(RingSignatureError) as err:
        rings.verify(rings.RingSignature(big, proof.responses, proof.key_image), keys, b"x", b"ctx")
    assert err.value.problem is RingProblem.MALFORMED


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_decode_or_raise_a_typed_error(data: bytes) -> None:
    try:
        proof = decode(data)
    except RingSignatureError as exc:
        assert exc.problem is RingProblem.MALFORMED
    else:
        assert proof.encode() == data


def test_duplicate_and_oversized_rings_are_refused() -> None:
    seeds, keys = members(2)
    with pytest.raises(RingSignatureError) as err:
        rings.sign(seeds[0], [keys[0], keys[0]], b"x", b"ctx")
    assert err.value.problem is RingProblem.BAD_RING
    with pytest.raises(RingSignatureError):
        rings.sign(seeds[0], [], b"x", b"ctx")
    with pytest.raises(RingSignatureError) as err:
        decode(bytes([1]) + (257).to_bytes(2, "big") + bytes(72 + 257 * 64))
    assert err.value.problem is RingProblem.MALFORMED


def test_budget_counts_per_tag_and_window_and_cut_off_ends_with_the_window() -> None:
    budget = AnonymousBudget(per_window=2)
    a, b = b"a" * 32, b"b" * 32
    assert budget.admit(10, a) is BudgetVerdict.ACCEPT
    assert budget.admit(10, a) is BudgetVerdict.ACCEPT
    assert budget.admit(10, a) is BudgetVerdict.OVER_LIMIT
    assert budget.admit(10, b) is BudgetVerdict.ACCEPT  # another member is not limited by a
    budget.cut_off(10, b)
    assert budget.admit(10, b) is BudgetVerdict.CUT_OFF
    # In the next window the tags are new anyway; the old slots are forgotten in time.
    assert budget.admit(11, a) is BudgetVerdict.ACCEPT
    budget.admit(13, a)
    assert not budget.is_cut_off(10, b)
