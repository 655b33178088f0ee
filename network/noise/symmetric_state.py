"""Noise's SymmetricState: the chaining key ``ck``, the handshake hash ``h``, and the
handshake's cipher key ``k`` with its nonce ``n`` (kept inline rather than in a CipherState:
the handshake makes a new key at every DH, and this is its hot path)."""

from __future__ import annotations

from nacl.exceptions import CryptoError

from . import aead
from .cipher_state import CipherState
from .errors import DecryptError, MessageSizeError
from .patterns import Protocol
from .primitives import _NONCE, KEYLEN, MAX_MESSAGE_LEN, TAGLEN

Snapshot = tuple[bytes, bytes, bytes | None, int]
_pack = _NONCE.pack
_encrypt = aead.encrypt
_decrypt = aead.decrypt


class SymmetricState:
    __slots__ = ("_hkdf", "_new", "ck", "h", "k", "n")

    def __init__(self, protocol: Protocol) -> None:
        self._new = protocol.hash.new
        self._hkdf = protocol.hkdf
        self.ck = protocol.initial_h
        self.h = protocol.initial_h
        self.k: bytes | None = None
        self.n = 0

    @property
    def has_key(self) -> bool:
        return self.k is not None

    def mix_key(self, ikm: bytes) -> None:
        self.ck, temp_k = self._hkdf(self.ck, ikm, 2)
        self.k = temp_k[:KEYLEN]
        self.n = 0

    def mix_hash(self, data: bytes) -> None:
        self.h = self._new(self.h + data).digest()

    def mix_key_and_hash(self, ikm: bytes) -> None:
        self.ck, temp_h, temp_k = self._hkdf(self.ck, ikm, 3)
        self.h = self._new(self.h + temp_h).digest()
        self.k = temp_k[:KEYLEN]
        self.n = 0

    def encrypt_and_hash(self, plaintext: bytes) -> bytes:
        k = self.k
        if k is None:
            ciphertext = plaintext
        else:
            if len(plaintext) > MAX_MESSAGE_LEN - TAGLEN:
                raise MessageSizeError(f"plaintext over {MAX_MESSAGE_LEN - TAGLEN} bytes")
            ciphertext = _encrypt(plaintext, self.h, _pack(self.n), k)
            self.n += 1  # never near 2^64-1: a handshake encrypts a few times per key
        self.h = self._new(self.h + ciphertext).digest()
        return ciphertext

    def decrypt_and_hash(self, ciphertext: bytes) -> bytes:
        k = self.k
        if k is None:
            plaintext = ciphertext
        else:
            try:
                plaintext = _decrypt(ciphertext, self.h, _pack(self.n), k)
            except CryptoError as exc:
                raise DecryptError("message authentication failed") from exc
            self.n += 1
        self.h = self._new(self.h + ciphertext).digest()
        return plaintext

    def split(self) -> tuple[CipherState, CipherState]:
        k1, k2 = self._hkdf(self.ck, b"", 2)
        return CipherState(k1[:KEYLEN]), CipherState(k2[:KEYLEN])

    def snapshot(self) -> Snapshot:
        return self.ck, self.h, self.k, self.n

    def restore(self, snap: Snapshot) -> None:
        self.ck, self.h, self.k, self.n = snap
