"""The circle key schedule: every key a circle uses is derived from its one 32-byte secret.

Construction (fixed; changing it splits circles between versions)::

    key(purpose) = BLAKE2b-256(message = purpose label,
                               key     = circle secret (32 bytes),
                               person  = b"hearth-keysched1")

with the labels ``b"noise-psk"`` (the Noise ``psk0``), ``b"discovery"`` (mDNS hints),
``b"rendezvous-tag"`` (rotating rendezvous tags) and ``b"invite-mac"`` (authenticating
invitations). BLAKE2b in keyed mode is a PRF, so distinct labels give independent keys, and the
personalisation string keeps these keys apart from every other BLAKE2b use in Hearth. Rotating
the secret (after a removal) rotates all four at once; the ``epoch`` counts rotations.

The circle id does *not* depend on the secret, so it stays the same across rotations::

    circle_id = BLAKE2b-128(message = host Ed25519 public key (32) || creation nonce (16),
                            person  = b"hearth-circle-id")

The open lobby is a circle everybody may join: its secret is derived from a public constant,
so it hides nothing from anyone; joining it is opt-in.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from enum import Enum

from .errors import HearthError

SECRET_SIZE = 32
KEY_SIZE = 32
NONCE_SIZE = 16
CIRCLE_ID_SIZE = 16
HOST_KEY_SIZE = 32

KEYSCHED_PERSON = b"hearth-keysched1"
CIRCLE_ID_PERSON = b"hearth-circle-id"
LOBBY_PERSON = b"hearth-lobby"


class KeyScheduleError(HearthError):
    code = "bad_key_material"


class KeyPurpose(Enum):
    """What a derived key is for; the value is the BLAKE2b message (the domain label)."""

    NOISE_PSK = b"noise-psk"
    DISCOVERY = b"discovery"
    RENDEZVOUS_TAG = b"rendezvous-tag"
    INVITE_MAC = b"invite-mac"


def _check(name: str, value: bytes, size: int) -> None:
    if not isinstance(value, bytes) or len(value) != size:
        raise KeyScheduleError(f"{name} must be {size} bytes")


def new_secret() -> bytes:
    """A fresh random circle secret."""
    return secrets.token_bytes(SECRET_SIZE)


def new_nonce() -> bytes:
    """A fresh random creation nonce (for a new circle id)."""
    return secrets.token_bytes(NONCE_SIZE)


def derive_key(secret: bytes, purpose: KeyPurpose) -> bytes:
    """The 32-byte key for ``purpose`` from the circle ``secret`` (see the module docstring)."""
    _check("a circle secret", secret, SECRET_SIZE)
    return hashlib.blake2b(
        purpose.value, key=secret, person=KEYSCHED_PERSON, digest_size=KEY_SIZE
    ).digest()


def derive_circle_id(host_key: bytes, nonce: bytes) -> bytes:
    """The 16-byte circle id for a circle created by ``host_key`` with ``nonce``."""
    _check("a host key", host_key, HOST_KEY_SIZE)
    _check("a circle nonce", nonce, NONCE_SIZE)
    return hashlib.blake2b(
        host_key + nonce, person=CIRCLE_ID_PERSON, digest_size=CIRCLE_ID_SIZE
    ).digest()


@dataclass(frozen=True, repr=False)
class CircleKeys:
    """The keys of one circle at one epoch. ``repr`` never shows key material."""

    epoch: int
    noise_psk: bytes
    discovery_key: bytes
    rendezvous_tag_key: bytes
    invite_mac_key: bytes

    @classmethod
    def from_secret(cls, secret: bytes, epoch: int = 0) -> CircleKeys:
        return cls(
            epoch=epoch,
            noise_psk=derive_key(secret, KeyPurpose.NOISE_PSK),
            discovery_key=derive_key(secret, KeyPurpose.DISCOVERY),
            rendezvous_tag_key=derive_key(secret, KeyPurpose.RENDEZVOUS_TAG),
            invite_mac_key=derive_key(secret, KeyPurpose.INVITE_MAC),
        )

    def __repr__(self) -> str:
        return f"CircleKeys(epoch={self.epoch}, <keys hidden>)"


LOBBY_SECRET = hashlib.blake2b(
    b"Hearth open lobby, version 1", person=LOBBY_PERSON, digest_size=SECRET_SIZE
).digest()
"""The open lobby's secret: public by construction (anyone can compute it)."""

LOBBY_ID = hashlib.blake2b(
    b"open lobby", person=CIRCLE_ID_PERSON, digest_size=CIRCLE_ID_SIZE
).digest()
"""The open lobby's circle id (hashes a different-length input from any real circle id)."""
