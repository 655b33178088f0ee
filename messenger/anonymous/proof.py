"""The proof an anonymous post or report carries: the ring it was signed in and the signature.

Wire form (strict; every length checked before anything is allocated)::

    version (1) = 1 | n (2, big-endian, 1..256) | window (8) | c0 (32) | key image (32)
    | n × ( ring key (32) | response (32) )

The ring is sent whole so any member can check it against the certified roster it holds:
``check`` refuses a ring that names anyone who is not a certified member of the circle (so a
removed member or an outsider cannot make a ring of its own), and a ring smaller than the circle
asks for (so a client cannot make a "ring" of one by mistake and name its author).

The linkage context is (circle, key epoch, window): the key image repeats within one window of
one epoch, so members can count anonymous posts per window and cut off a flood for the rest of
that window, and it changes with every window and every rotation of the circle secret.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from . import ring as rings
from .errors import RingProblem, RingSignatureError

VERSION = 1
CONTEXT_DOMAIN = b"hearth/anon/v1/context\x00"
HEADER = 1 + 2 + 8 + 32 + 32
ENTRY = 64
MAX_SIZE = HEADER + rings.MAX_RING * ENTRY
WINDOW_MS = 60 * 60 * 1000  # one hour: how long a key image stays the same


def window_of(now_ms: int, window_ms: int = WINDOW_MS) -> int:
    return now_ms // window_ms


def linkage_context(circle_id: bytes, epoch: int, window: int) -> bytes:
    return CONTEXT_DOMAIN + circle_id + epoch.to_bytes(4, "big") + window.to_bytes(8, "big")


@dataclass(frozen=True)
class AnonymousProof:
    ring: tuple[bytes, ...]
    window: int
    signature: rings.RingSignature

    @property
    def linkage_tag(self) -> bytes:
        """The key image: the same for one member's posts in one window, nothing more."""
        return self.signature.key_image

    def encode(self) -> bytes:
        sig = self.signature
        out = bytearray()
        out += bytes([VERSION]) + len(self.ring).to_bytes(2, "big")
        out += self.window.to_bytes(8, "big") + sig.c0 + sig.key_image
        for key, response in zip(self.ring, sig.responses, strict=True):
            out += key + response
        return bytes(out)


def decode(data: bytes) -> AnonymousProof:
    if len(data) < HEADER or len(data) > MAX_SIZE:
        raise RingSignatureError(RingProblem.MALFORMED, "wrong size")
    if data[0] != VERSION:
        raise RingSignatureError(RingProblem.MALFORMED, "unsupported version")
    n = int.from_bytes(data[1:3], "big")
    if not 1 <= n <= rings.MAX_RING or len(data) != HEADER + n * ENTRY:
        raise RingSignatureError(RingProblem.MALFORMED, "the ring size does not match")
    window = int.from_bytes(data[3:11], "big")
    c0, image = data[11:43], data[43:75]
    keys, responses = [], []
    for i in range(n):
        at = HEADER + i * ENTRY
        keys.append(data[at : at + 32])
        responses.append(data[at + 32 : at + 64])
    signature = rings.RingSignature(c0=c0, responses=tuple(responses), key_image=image)
    return AnonymousProof(ring=tuple(keys), window=window, signature=signature)


def prove(
    signing_seed: bytes,
    members: Collection[bytes],
    message: bytes,
    *,
    circle_id: bytes,
    epoch: int,
    window: int,
) -> AnonymousProof:
    """Sign ``message`` as "one of ``members``" (the certified roster, this member included)."""
    ring = tuple(sorted(set(members)))
    context = linkage_context(circle_id, epoch, window)
    signature = rings.sign(signing_seed, ring, message, context)
    return AnonymousProof(ring=ring, window=window, signature=signature)


def check(
    proof: AnonymousProof,
    message: bytes,
    *,
    circle_id: bytes,
    epoch: int,
    members: Collection[bytes],
    windows: Sequence[int],
    min_ring: int,
) -> bytes:
    """Verify ``proof`` over ``message``; return its linkage tag. ``members`` are the certified
    members this client knows for ``epoch``; ``windows`` the windows it accepts now (the current
    one and its neighbours, or a stored post's own window on catch-up)."""
    if proof.window not in windows:
        raise RingSignatureError(RingProblem.STALE_WINDOW)
    if list(proof.ring) != sorted(set(proof.ring)):
        raise RingSignatureError(RingProblem.BAD_RING, "the ring is not in canonical order")
    known = set(members)
    if not set(proof.ring) <= known:
        raise RingSignatureError(RingProblem.NOT_MEMBERS)
    if len(proof.ring) < min(min_ring, len(known)):
        raise RingSignatureError(RingProblem.BAD_RING, "the ring is smaller than the circle")
    context = linkage_context(circle_id, epoch, proof.window)
    rings.verify(proof.signature, proof.ring, message, context)
    return proof.linkage_tag
