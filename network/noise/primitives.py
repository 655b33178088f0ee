"""Noise's crypto functions on PyNaCl and hashlib: X25519, ChaCha20-Poly1305 IETF, hashes, HKDF.

Only the suite ``25519_ChaChaPoly_<hash>`` is supported; the hash may be BLAKE2b (what Hearth
uses), BLAKE2s, SHA256 or SHA512. Noise's HKDF is built on HMAC over the hash with the hash's
block size (128 bytes for BLAKE2b), *not* on BLAKE2b's keyed mode.
"""

from __future__ import annotations

import functools
import hashlib
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nacl import bindings
from nacl.exceptions import CryptoError

from . import aead
from .errors import InvalidPublicKey, NoiseConfigError

DHLEN = 32
TAGLEN = 16
KEYLEN = 32
MAX_MESSAGE_LEN = 65535
MAX_NONCE = 2**64 - 1
"""Noise reserves this nonce value (it is used by ``REKEY``); encrypting with it is an error."""

_ZEROS32 = bytes(32)
_NONCE = struct.Struct("<4xQ")
_scalarmult = bindings.crypto_scalarmult
_scalarmult_base = bindings.crypto_scalarmult_base


def nonce_bytes(n: int) -> bytes:
    """The ChaChaPoly nonce: 4 zero bytes, then the counter as 8 little-endian bytes."""
    return _NONCE.pack(n)


def rekey_key(key: bytes) -> bytes:
    """Noise's default REKEY: the first 32 bytes of ENCRYPT(k, 2^64-1, "", 32 zero bytes)."""
    return aead.encrypt(_ZEROS32, b"", _NONCE.pack(MAX_NONCE), key)[:KEYLEN]


def dh(private: bytes, public: bytes) -> bytes:
    """X25519. Both keys must be 32 bytes (checked by callers: libsodium reads 32 regardless)."""
    try:
        return _scalarmult(private, public)
    except CryptoError as exc:  # libsodium refuses an all-zero shared secret
        raise InvalidPublicKey("public key is a low-order point") from exc


def public_key(private: bytes) -> bytes:
    return _scalarmult_base(private)


def random_private_key() -> bytes:
    return os.urandom(DHLEN)


def check_key(name: str, key: bytes | None) -> bytes | None:
    """``key`` unchanged if it is None or 32 bytes, else :class:`NoiseConfigError`."""
    if key is None:
        return None
    if not isinstance(key, bytes | bytearray | memoryview) or len(key) != DHLEN:
        raise NoiseConfigError(f"{name} must be {DHLEN} bytes")
    return bytes(key)


@dataclass(frozen=True)
class KeyPair:
    """An X25519 key pair; build it once and reuse it to save a scalar multiplication per use."""

    private: bytes = field(repr=False)
    public: bytes

    @classmethod
    def from_private(cls, private: bytes) -> KeyPair:
        checked = check_key("private key", private)
        assert checked is not None
        return cls(checked, public_key(checked))

    @classmethod
    def generate(cls) -> KeyPair:
        return cls.from_private(random_private_key())


@dataclass(frozen=True)
class HashSpec:
    """One of Noise's hash functions, with HMAC and HKDF built on it."""

    name: str
    new: Callable[..., Any]
    hashlen: int
    blocklen: int

    def hash(self, data: bytes) -> bytes:
        return bytes(self.new(data).digest())


_IPAD = bytes(x ^ 0x36 for x in range(256))
_OPAD = bytes(x ^ 0x5C for x in range(256))

HASHES: dict[str, HashSpec] = {
    "BLAKE2b": HashSpec("BLAKE2b", hashlib.blake2b, 64, 128),
    "BLAKE2s": HashSpec("BLAKE2s", hashlib.blake2s, 32, 64),
    "SHA256": HashSpec("SHA256", hashlib.sha256, 32, 64),
    "SHA512": HashSpec("SHA512", hashlib.sha512, 64, 128),
}


@functools.lru_cache(maxsize=8)
def make_hkdf(spec: HashSpec) -> Callable[[bytes, bytes, int], tuple[bytes, ...]]:
    """Noise's HKDF(chaining_key, input_key_material, num_outputs) for ``spec``'s hash.

    The chaining key is always HASHLEN bytes, shorter than the block, so HMAC's key is just
    zero-padded; the pads are made with ``bytes.translate`` like the stdlib's ``hmac`` does.
    """
    new = spec.new
    tail = spec.blocklen - spec.hashlen  # the chaining key and outputs are HASHLEN bytes
    ipad_tail = b"\x36" * tail
    opad_tail = b"\x5c" * tail

    def hkdf(chaining_key: bytes, ikm: bytes, num_outputs: int) -> tuple[bytes, ...]:
        inner = new(chaining_key.translate(_IPAD) + ipad_tail + ikm).digest()
        temp = new(chaining_key.translate(_OPAD) + opad_tail + inner).digest()
        ipad = temp.translate(_IPAD) + ipad_tail
        opad = temp.translate(_OPAD) + opad_tail
        out1 = new(opad + new(ipad + b"\x01").digest()).digest()
        out2 = new(opad + new(ipad + out1 + b"\x02").digest()).digest()
        if num_outputs == 2:
            return out1, out2
        out3 = new(opad + new(ipad + out2 + b"\x03").digest()).digest()
        return out1, out2, out3

    return hkdf
