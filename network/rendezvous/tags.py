"""Rotating per-circle rendezvous tags, registration signatures and sealed contact info (sans-IO).

From the circle's rendezvous tag key and a time epoch (``floor(unix time / epoch length)``)::

    seed       = BLAKE2b-256(key = tag key, msg = epoch (8 bytes), person = "hearth-rv-sign")
    verify_key = the Ed25519 public key of seed
    tag        = BLAKE2b-256(msg = verify_key, person = "hearth-rv-tag")
    seal_key   = BLAKE2b-256(key = tag key, msg = epoch (8 bytes), person = "hearth-rv-seal")

The tag commits to the verify key, so the server checks a registration with the key carried in
it (``hash(verify_key) == tag`` and the signature) without ever learning the tag key; and only a
holder of the tag key can sign for a tag. Tags and keys of different epochs are unrelated to
anyone without the tag key, so the server cannot link a circle across epochs.

A registration's signature covers the Noise handshake hash of the connection it is sent on
(channel binding: it cannot be replayed on another connection), the tag, the verify key, the
issue time, the TTL and the sealed info. The info (the member's contact details, opaque here) is
padded to a fixed size and sealed with XSalsa20-Poly1305 under ``seal_key``, so the server sees
only same-sized random bytes.
"""

from __future__ import annotations

import hashlib
import math
import struct
from dataclasses import dataclass, field

import nacl.exceptions
import nacl.secret
import nacl.signing

from .errors import ErrorCode, Refused

EPOCH_LENGTH = 3600
"""Seconds per epoch: tags rotate every hour."""
TAG_SIZE = 32
VERIFY_KEY_SIZE = 32
SIGNATURE_SIZE = 64
TAG_KEY_SIZE = 32
INFO_SIZE = 256
"""The most contact-info bytes a registration carries (padded to exactly this, then sealed)."""
SEALED_INFO_SIZE = nacl.secret.SecretBox.NONCE_SIZE + 2 + INFO_SIZE + nacl.secret.SecretBox.MACBYTES
MAX_SEALED_INFO = 512
"""The server's limit on the (opaque) info of a registration."""

_SIGN_PERSON = b"hearth-rv-sign"
_SEAL_PERSON = b"hearth-rv-seal"
_TAG_PERSON = b"hearth-rv-tag"
_DOMAIN = b"hearth-rv-register/1"
_HEAD = struct.Struct(">qIH")  # issued, ttl, info length


def epoch_of(now: float, length: int = EPOCH_LENGTH) -> int:
    """The epoch a wall-clock time (unix seconds) falls in."""
    if length <= 0:
        raise ValueError("the epoch length must be positive")
    return math.floor(now / length)


def tag_for(verify_key: bytes) -> bytes:
    """The tag a verify key commits to."""
    return hashlib.blake2b(verify_key, person=_TAG_PERSON, digest_size=TAG_SIZE).digest()


def _derive(tag_key: bytes, epoch: int, person: bytes) -> bytes:
    return hashlib.blake2b(
        epoch.to_bytes(8, "big", signed=True), key=tag_key, person=person, digest_size=32
    ).digest()


@dataclass(frozen=True, repr=False)
class EpochKeys:
    """Everything a member needs to register and look up under one epoch's tag."""

    epoch: int
    tag: bytes
    verify_key: bytes
    signing_key: nacl.signing.SigningKey = field(compare=False)
    seal_key: bytes = field(compare=False)

    @classmethod
    def derive(cls, tag_key: bytes, epoch: int) -> EpochKeys:
        if not isinstance(tag_key, bytes) or len(tag_key) != TAG_KEY_SIZE:
            raise ValueError(f"a rendezvous tag key is {TAG_KEY_SIZE} bytes")
        signing = nacl.signing.SigningKey(_derive(tag_key, epoch, _SIGN_PERSON))
        verify_key = signing.verify_key.encode()
        return cls(
            epoch=epoch,
            tag=tag_for(verify_key),
            verify_key=verify_key,
            signing_key=signing,
            seal_key=_derive(tag_key, epoch, _SEAL_PERSON),
        )

    def __repr__(self) -> str:
        return f"EpochKeys(epoch={self.epoch}, <keys hidden>)"

    def seal(self, info: bytes) -> bytes:
        return seal_info(self.seal_key, info)

    def open(self, sealed: bytes) -> bytes | None:
        return open_info(self.seal_key, sealed)

    def sign(self, binding: bytes, issued: int, ttl: int, sealed_info: bytes) -> bytes:
        message = signed_bytes(binding, self.tag, self.verify_key, issued, ttl, sealed_info)
        return bytes(self.signing_key.sign(message).signature)


def signed_bytes(
    binding: bytes, tag: bytes, verify_key: bytes, issued: int, ttl: int, info: bytes
) -> bytes:
    """What a registration's signature covers (``binding`` = the connection's handshake hash)."""
    return b"".join((_DOMAIN, binding, tag, verify_key, _HEAD.pack(issued, ttl, len(info)), info))


def verify_registration(
    binding: bytes,
    tag: bytes,
    verify_key: bytes,
    issued: int,
    ttl: int,
    info: bytes,
    signature: bytes,
) -> None:
    """Raise :class:`Refused` (TAG_MISMATCH or BAD_SIGNATURE) unless the registration is signed
    by the key its tag commits to, on this connection."""
    if tag_for(verify_key) != tag:
        raise Refused(ErrorCode.TAG_MISMATCH, "the tag is not the hash of the verify key")
    try:
        key = nacl.signing.VerifyKey(verify_key)
        key.verify(signed_bytes(binding, tag, verify_key, issued, ttl, info), signature)
    except (nacl.exceptions.CryptoError, ValueError, TypeError):
        raise Refused(
            ErrorCode.BAD_SIGNATURE, "the registration's signature does not verify"
        ) from None


def seal_info(seal_key: bytes, info: bytes) -> bytes:
    """``info`` padded to :data:`INFO_SIZE` and sealed (always :data:`SEALED_INFO_SIZE` bytes)."""
    if len(info) > INFO_SIZE:
        raise ValueError(f"contact info is at most {INFO_SIZE} bytes")
    padded = len(info).to_bytes(2, "big") + info + bytes(INFO_SIZE - len(info))
    return bytes(nacl.secret.SecretBox(seal_key).encrypt(padded))


def open_info(seal_key: bytes, sealed: bytes) -> bytes | None:
    """The info inside ``sealed``, or None when it was not sealed with this key or is damaged."""
    try:
        padded = nacl.secret.SecretBox(seal_key).decrypt(sealed)
    except (nacl.exceptions.CryptoError, ValueError, TypeError):
        return None
    if len(padded) != 2 + INFO_SIZE:
        return None
    size = int.from_bytes(padded[:2], "big")
    if size > INFO_SIZE or any(padded[2 + size :]):
        return None
    return bytes(padded[2 : 2 + size])
