"""Dining-cryptographers rounds: who sent a message is hidden among every honest participant.

Each pair of certified members ``i, j`` shares a key ``k_ij`` (X25519 between their member keys'
Montgomery forms, hashed with the circle, the epoch and both keys). In a round every participant
publishes ``output_i = message_i XOR pad_i`` where ``pad_i`` is the XOR of ``PRG(k_ij, round)``
for every other participant ``j``. Each pad stream appears in exactly two outputs, so the XOR of
all outputs is the XOR of the messages: with one sender, its message. Members who collude learn
only the pads they share; the pad between two honest members hides which of them sent, exactly
(information-theoretically, given the PRG), whatever the colluders log.

A round has two phases, so that nothing is sent when nobody has anything to say and two senders
rarely collide:

1. **reservation**: a 64-bit vector; a member who wants to send sets one random bit.
2. **data**: one slot of :data:`SLOT_SIZE` bytes per bit set, in bit order; a member writes its
   message into its slot as length, BLAKE2b-128 check and message. Members who picked the same
   bit garble that slot; the check fails (three equal-length messages XOR into something that
   parses, but not into something that matches its check) and they try again later.

Pads are ChaCha20 keystreams (libsodium's IETF AEAD over zeros, the tag dropped) under a nonce of
phase and round, so no key stream is ever used twice. Everything here is sans-IO and pure.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Iterable, Mapping, Sequence
from hashlib import blake2b

import nacl.bindings as sodium
import nacl.exceptions

from .errors import RingProblem, RingSignatureError

RESERVATION_BYTES = 8
RESERVATION_BITS = RESERVATION_BYTES * 8
SLOT_SIZE = 16320  # a one-slot round message (lane, kind, round, phase, slot) fits a 16 KiB frame
MAX_SLOTS = 8  # a round carries at most 8 messages (128 KiB a participant); the rest wait
LENGTH_BYTES = 2
CHECK_BYTES = 16  # BLAKE2b of the message: a collision of any number of senders shows
MAX_MESSAGE = SLOT_SIZE - LENGTH_BYTES - CHECK_BYTES
PHASE_RESERVATION = 1
PHASE_DATA = 2
KEY_DOMAIN = b"hearth/dcnet/v1/pair\x00"


def pair_keys(
    signing_seed: bytes, members: Collection[bytes], circle_id: bytes, epoch: int
) -> dict[bytes, bytes]:
    """This member's key with every other member (by member key), for one circle epoch."""
    public, secret = sodium.crypto_sign_seed_keypair(signing_seed)
    mine = sodium.crypto_sign_ed25519_sk_to_curve25519(secret)
    keys: dict[bytes, bytes] = {}
    for member in members:
        if member == public:
            continue
        try:
            theirs = sodium.crypto_sign_ed25519_pk_to_curve25519(member)
            shared = sodium.crypto_scalarmult(mine, theirs)
        except (nacl.exceptions.RuntimeError, nacl.exceptions.ValueError, TypeError):
            raise RingSignatureError(RingProblem.BAD_RING, "a member key is unusable") from None
        low, high = sorted((public, member))
        keys[member] = blake2b(
            KEY_DOMAIN + circle_id + epoch.to_bytes(4, "big") + low + high,
            key=shared,
            digest_size=32,
        ).digest()
    return keys


def _stream(key: bytes, phase: int, round_no: int, size: int) -> bytes:
    nonce = bytes([phase]) + round_no.to_bytes(8, "big") + bytes(3)
    out = sodium.crypto_aead_chacha20poly1305_ietf_encrypt(bytes(size), None, nonce, key)
    return bytes(out[:size])


def xor(parts: Iterable[bytes], size: int) -> bytes:
    acc = 0
    for part in parts:
        if len(part) != size:
            raise ValueError("every part of a round has the round's size")
        acc ^= int.from_bytes(part, "big")
    return acc.to_bytes(size, "big")


def pad(
    keys: Mapping[bytes, bytes],
    participants: Sequence[bytes],
    me: bytes,
    phase: int,
    round_no: int,
    size: int,
) -> bytes:
    """The XOR of the streams this member shares with every other participant."""
    streams = [_stream(keys[j], phase, round_no, size) for j in participants if j != me]
    return xor(streams, size) if streams else bytes(size)


def reservation(
    keys: Mapping[bytes, bytes],
    participants: Sequence[bytes],
    me: bytes,
    round_no: int,
    *,
    want: bool,
) -> tuple[bytes, int | None]:
    """This member's reservation output, and the bit it chose (None when it sends nothing)."""
    drawn = secrets.randbelow(RESERVATION_BITS)  # drawn either way: the same work, sender or not
    bit = drawn if want else None
    vector = (1 << drawn if want else 0).to_bytes(RESERVATION_BYTES, "big")
    mask = pad(keys, participants, me, PHASE_RESERVATION, round_no, RESERVATION_BYTES)
    return xor([mask, vector], RESERVATION_BYTES), bit


def slots(combined_reservation: bytes) -> list[int]:
    """The bits set in a round's combined reservation: one data slot each, in this order (the
    first :data:`MAX_SLOTS`; a sender whose bit is later tries again in another round)."""
    value = int.from_bytes(combined_reservation, "big")
    return [bit for bit in range(RESERVATION_BITS) if value >> bit & 1][:MAX_SLOTS]


def data(
    keys: Mapping[bytes, bytes],
    participants: Sequence[bytes],
    me: bytes,
    round_no: int,
    slot_bits: Sequence[int],
    *,
    my_bit: int | None,
    message: bytes = b"",
) -> bytes:
    """This member's data output: its message in its slot (if it reserved one), pads over all.

    A member with nothing to send does the same work as a sender (frames an empty message and
    XORs a zero plaintext): how long a member takes to answer says nothing of whether it sent.
    """
    size = len(slot_bits) * SLOT_SIZE
    mask = pad(keys, participants, me, PHASE_DATA, round_no, size)
    if len(message) > MAX_MESSAGE:
        raise ValueError(f"an anonymous message holds at most {MAX_MESSAGE} bytes")
    sending = my_bit is not None and my_bit in slot_bits
    at = slot_bits.index(my_bit) * SLOT_SIZE if sending else 0
    plain = bytearray(size)
    framed = len(message).to_bytes(LENGTH_BYTES, "big") + _check(message) + message
    if sending:
        plain[at : at + len(framed)] = framed
    return xor([mask, bytes(plain)], size)


def open_slots(combined: bytes, count: int) -> list[bytes | None]:
    """The messages of a round's combined data, one per slot; None where a slot is garbled
    (two senders picked the same bit, or someone disrupted the round)."""
    if len(combined) != count * SLOT_SIZE:
        raise ValueError("the combined data does not match the round's slots")
    out: list[bytes | None] = []
    for k in range(count):
        slot = combined[k * SLOT_SIZE : (k + 1) * SLOT_SIZE]
        length = int.from_bytes(slot[:LENGTH_BYTES], "big")
        start = LENGTH_BYTES + CHECK_BYTES
        body = bytes(slot[start : start + length])
        if (
            length == 0
            or length > MAX_MESSAGE
            or any(slot[start + length :])
            or slot[LENGTH_BYTES:start] != _check(body)
        ):
            out.append(None)
        else:
            out.append(body)
    return out


def _check(message: bytes) -> bytes:
    return blake2b(message, digest_size=CHECK_BYTES, person=b"hearth-dcslot").digest()


def safe_to_send(participants: Collection[bytes], me: bytes, linked: Collection[bytes]) -> bool:
    """Whether a round is one to send a real message in: it includes me and every member I am
    linked to right now (a coordinator who leaves out an honest member who is plainly present
    shrinks the crowd to hide in), and at least three people."""
    chosen = set(participants)
    return me in chosen and set(linked) <= chosen and len(chosen) >= 3
