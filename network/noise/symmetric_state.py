"""Noise's SymmetricState: the chaining key ``ck``, the handshake hash ``h`` and a CipherState."""

from __future__ import annotations

from .cipher_state import CipherState
from .patterns import Protocol
from .primitives import KEYLEN

Snapshot = tuple[bytes, bytes, CipherState, int]


class SymmetricState:
    __slots__ = ("_hkdf", "_new", "cipher", "ck", "h")

    def __init__(self, protocol: Protocol) -> None:
        self._new = protocol.hash.new
        self._hkdf = protocol.hkdf
        self.ck = protocol.initial_h
        self.h = protocol.initial_h
        self.cipher = CipherState()

    def mix_key(self, ikm: bytes) -> None:
        self.ck, temp_k = self._hkdf(self.ck, ikm, 2)
        self.cipher = CipherState(temp_k[:KEYLEN])

    def mix_hash(self, data: bytes) -> None:
        self.h = self._new(self.h + data).digest()

    def mix_key_and_hash(self, ikm: bytes) -> None:
        self.ck, temp_h, temp_k = self._hkdf(self.ck, ikm, 3)
        self.h = self._new(self.h + temp_h).digest()
        self.cipher = CipherState(temp_k[:KEYLEN])

    def encrypt_and_hash(self, plaintext: bytes) -> bytes:
        ciphertext = self.cipher.encrypt_with_ad(self.h, plaintext)
        self.h = self._new(self.h + ciphertext).digest()
        return ciphertext

    def decrypt_and_hash(self, ciphertext: bytes) -> bytes:
        plaintext = self.cipher.decrypt_with_ad(self.h, ciphertext)
        self.h = self._new(self.h + ciphertext).digest()
        return plaintext

    def split(self) -> tuple[CipherState, CipherState]:
        k1, k2 = self._hkdf(self.ck, b"", 2)
        return CipherState(k1[:KEYLEN]), CipherState(k2[:KEYLEN])

    def snapshot(self) -> Snapshot:
        return self.ck, self.h, self.cipher, self.cipher.n

    def restore(self, snap: Snapshot) -> None:
        self.ck, self.h, self.cipher, n = snap
        self.cipher.n = n
