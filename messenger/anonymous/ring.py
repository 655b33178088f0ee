"""Linkable ring signatures over edwards25519 (LSAG with a per-window linkage base), sans-IO.

"One of these members signed this, and I cannot tell which": an anonymous post or report carries
a ring signature over the certified members' Ed25519 keys instead of its author's signature.

The scheme is Liu–Wei–Wong's linkable spontaneous anonymous group signature (LSAG, 2004) in its
back-ring form as used by Monero's bLSAG, with one change that matters for Hearth: the linkage
base ``H`` is not derived from each ring member's key but from a *linkage context* (circle, key
epoch, time window), so that

    key image  I = x · H(context)

is the same for every message one member signs in one window and unrelated (DDH) across windows.
That gives members a tag to rate-limit and cut off an anonymous flood for the rest of a window,
and nothing that names the author or links their posts across windows.

Signing with ring ``P_0..P_{n-1}`` (``P_s = x·G`` is the signer's), message ``m``::

    a random;  c_{s+1} = Hs(prefix, a·G, a·H)
    for i = s+1 .. s-1 (mod n):  r_i random;  c_{i+1} = Hs(prefix, r_i·G + c_i·P_i, r_i·H + c_i·I)
    r_s = a − c_s·x
    signature = (c_0, r_0 .. r_{n-1}, I)

where ``prefix`` binds the domain, the context, the whole ring (in order), ``I`` and ``m``.
Verification recomputes the chain from ``c_0`` and accepts when it closes. Every point taken from
the wire is checked with libsodium's ``crypto_core_ed25519_is_valid_point`` (canonical, on the
curve, in the prime-order subgroup, not of small order), so the cofactor cannot be used to make
two key images for one key.

The ring keys are the members' Ed25519 member keys: an Ed25519 public key is ``a·G`` for the
clamped scalar ``a`` of ``SHA-512(seed)[:32]`` (what ``crypto_sign_ed25519_sk_to_curve25519``
returns), so a member signs with ``a mod L``. The hashes here are BLAKE2b under their own domain
strings, separate from Ed25519's SHA-512 challenge, so a ring signature is never an Ed25519
signature or the reverse. Everything is built from libsodium's edwards25519 primitives through
PyNaCl; there is no pure-Python arithmetic on secrets.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from hashlib import blake2b

import nacl.bindings as sodium
import nacl.exceptions

from .errors import RingProblem, RingSignatureError

POINT = 32
SCALAR = 32
MAX_RING = 256  # the roster's cap: a ring is never larger than a circle
DOMAIN_BASE = b"hearth/anon/v1/linkage-base\x00"
DOMAIN_CHALLENGE = b"hearth/anon/v1/challenge\x00"
DOMAIN_NONCE = b"hearth/anon/v1/nonce\x00"
_ZERO = bytes(SCALAR)


@dataclass(frozen=True)
class RingSignature:
    """``c0``, one response per ring member (in ring order) and the key image ``I``."""

    c0: bytes
    responses: tuple[bytes, ...]
    key_image: bytes = field(repr=False)

    @property
    def size(self) -> int:
        return len(self.responses)


def linkage_base(context: bytes) -> bytes:
    """``H(context)``: a point of the prime-order subgroup nobody knows the logarithm of."""
    seeded = blake2b(DOMAIN_BASE + context, digest_size=32).digest()
    return bytes(sodium.crypto_core_ed25519_from_uniform(seeded))


def secret_scalar(signing_seed: bytes) -> bytes:
    """The Ed25519 secret scalar for a 32-byte signing seed, reduced modulo the group order."""
    if len(signing_seed) != 32:
        raise RingSignatureError(RingProblem.BAD_KEY, "a signing seed is 32 bytes")
    _public, secret = sodium.crypto_sign_seed_keypair(signing_seed)
    clamped = sodium.crypto_sign_ed25519_sk_to_curve25519(secret)
    return bytes(sodium.crypto_core_ed25519_scalar_reduce(clamped + bytes(32)))


def key_image(signing_seed: bytes, context: bytes) -> bytes:
    """What a member's signatures in ``context`` will carry as ``I`` (for its own rate checks)."""
    return _mul(secret_scalar(signing_seed), linkage_base(context))


def sign(
    signing_seed: bytes, ring: Sequence[bytes], message: bytes, context: bytes
) -> RingSignature:
    """Sign ``message`` as one of ``ring`` (which must hold this seed's public key)."""
    _check_ring(ring)
    x = secret_scalar(signing_seed)
    me = bytes(sodium.crypto_scalarmult_ed25519_base_noclamp(x))
    try:
        s = list(ring).index(me)
    except ValueError:
        raise RingSignatureError(RingProblem.NOT_IN_RING, "the signer is not in the ring") from None
    h = linkage_base(context)
    image = _mul(x, h)
    prefix = _prefix(context, ring, image, message)
    n = len(ring)
    alpha = _nonce(x, prefix)
    c: list[bytes] = [_ZERO] * n
    r: list[bytes] = [_ZERO] * n
    c[(s + 1) % n] = _challenge(prefix, _base(alpha), _mul(alpha, h))
    i = (s + 1) % n
    while i != s:
        r[i] = _random_scalar()
        left, right = _lr(r[i], c[i], ring[i], h, image)
        c[(i + 1) % n] = _challenge(prefix, left, right)
        i = (i + 1) % n
    r[s] = bytes(
        sodium.crypto_core_ed25519_scalar_sub(alpha, sodium.crypto_core_ed25519_scalar_mul(c[s], x))
    )
    return RingSignature(c0=c[0], responses=tuple(r), key_image=image)


def verify(signature: RingSignature, ring: Sequence[bytes], message: bytes, context: bytes) -> None:
    """Return when one of ``ring`` signed ``message`` in ``context``; else raise
    :class:`RingSignatureError` saying why."""
    _check_ring(ring)
    if signature.size != len(ring):
        raise RingSignatureError(RingProblem.MALFORMED, "one response per ring member is needed")
    for scalar in (signature.c0, *signature.responses):
        if not _canonical_scalar(scalar):
            raise RingSignatureError(RingProblem.MALFORMED, "a scalar is not reduced")
    if not _valid_point(signature.key_image):
        raise RingSignatureError(RingProblem.MALFORMED, "the key image is not a usable point")
    h = linkage_base(context)
    prefix = _prefix(context, ring, signature.key_image, message)
    c = signature.c0
    for i, member in enumerate(ring):
        left, right = _lr(signature.responses[i], c, member, h, signature.key_image)
        c = _challenge(prefix, left, right)
    if not secrets.compare_digest(c, signature.c0):
        raise RingSignatureError(RingProblem.BAD_SIGNATURE, "the ring does not close")


def _check_ring(ring: Sequence[bytes]) -> None:
    if not 1 <= len(ring) <= MAX_RING:
        raise RingSignatureError(RingProblem.BAD_RING, f"a ring holds 1 to {MAX_RING} keys")
    if len(set(ring)) != len(ring):
        raise RingSignatureError(RingProblem.BAD_RING, "a key appears twice in the ring")
    for key in ring:
        if not _valid_point(key):
            raise RingSignatureError(RingProblem.BAD_RING, "a ring key is not a usable point")


def _prefix(context: bytes, ring: Sequence[bytes], image: bytes, message: bytes) -> bytes:
    h = blake2b(digest_size=64)
    for part in (context, image, message):
        h.update(len(part).to_bytes(4, "big"))
        h.update(part)
    h.update(len(ring).to_bytes(2, "big"))
    for key in ring:
        h.update(key)
    return h.digest()


def _challenge(prefix: bytes, left: bytes, right: bytes) -> bytes:
    digest = blake2b(DOMAIN_CHALLENGE + prefix + left + right, digest_size=64).digest()
    return bytes(sodium.crypto_core_ed25519_scalar_reduce(digest))


def _nonce(x: bytes, prefix: bytes) -> bytes:
    """A fresh nonce, hedged: fresh randomness mixed with the secret and the message."""
    digest = blake2b(
        DOMAIN_NONCE + secrets.token_bytes(32) + prefix, digest_size=64, key=x
    ).digest()
    return bytes(sodium.crypto_core_ed25519_scalar_reduce(digest))


def _random_scalar() -> bytes:
    return bytes(sodium.crypto_core_ed25519_scalar_reduce(secrets.token_bytes(64)))


def _lr(r: bytes, c: bytes, member: bytes, h: bytes, image: bytes) -> tuple[bytes, bytes]:
    left = _add(_base(r), _mul(c, member))
    right = _add(_mul(r, h), _mul(c, image))
    return left, right


def _base(scalar: bytes) -> bytes:
    try:
        return bytes(sodium.crypto_scalarmult_ed25519_base_noclamp(scalar))
    except nacl.exceptions.RuntimeError:  # the zero scalar: only a forger's choice
        raise RingSignatureError(RingProblem.BAD_SIGNATURE, "a degenerate response") from None


def _mul(scalar: bytes, point: bytes) -> bytes:
    try:
        return bytes(sodium.crypto_scalarmult_ed25519_noclamp(scalar, point))
    except nacl.exceptions.RuntimeError:
        raise RingSignatureError(RingProblem.BAD_SIGNATURE, "a degenerate challenge") from None


def _add(p: bytes, q: bytes) -> bytes:
    return bytes(sodium.crypto_core_ed25519_add(p, q))


def _valid_point(p: bytes) -> bool:
    return len(p) == POINT and bool(sodium.crypto_core_ed25519_is_valid_point(p))


def _canonical_scalar(s: bytes) -> bool:
    if len(s) != SCALAR:
        return False
    return bytes(sodium.crypto_core_ed25519_scalar_reduce(s + bytes(32))) == s
