"""Noise's CipherState: a key and a 64-bit nonce over ChaCha20-Poly1305 IETF."""

from __future__ import annotations

from nacl.exceptions import CryptoError

from .errors import DecryptError, MessageSizeError, NonceExhausted
from .primitives import (
    _NONCE,
    KEYLEN,
    MAX_MESSAGE_LEN,
    MAX_NONCE,
    TAGLEN,
    raw_decrypt,
    raw_encrypt,
    rekey_key,
)

_encrypt = raw_encrypt
_decrypt = raw_decrypt
_pack = _NONCE.pack
MAX_PLAINTEXT_LEN = MAX_MESSAGE_LEN - TAGLEN
BytesLike = bytes | bytearray | memoryview


class CipherState:
    """Encrypts and decrypts with an implicit nonce ``n`` that counts messages.

    With no key, encryption and decryption pass data through unchanged (Noise's rule for the
    early handshake). A failed decryption raises :class:`DecryptError` and leaves ``n`` as it
    was, so a tampered or replayed message never desynchronises the pair.
    """

    __slots__ = ("_k", "n")

    def __init__(self, key: bytes | None = None, n: int = 0) -> None:
        if key is not None and len(key) != KEYLEN:
            raise ValueError(f"a cipher key is {KEYLEN} bytes")
        self._k = key
        self.n = n

    @property
    def has_key(self) -> bool:
        return self._k is not None

    def encrypt_with_ad(self, ad: bytes, plaintext: BytesLike) -> bytes:
        k = self._k
        if k is None:
            return bytes(plaintext)
        n = self.n
        if n >= MAX_NONCE:
            raise NonceExhausted("nonce exhausted: the session must be ended")
        if type(plaintext) is not bytes:
            plaintext = bytes(plaintext)
        if len(plaintext) > MAX_PLAINTEXT_LEN:
            raise MessageSizeError(f"plaintext over {MAX_PLAINTEXT_LEN} bytes")
        out = _encrypt(plaintext, ad, _pack(n), k)
        self.n = n + 1
        return out

    def decrypt_with_ad(self, ad: bytes, ciphertext: BytesLike) -> bytes:
        k = self._k
        if k is None:
            return bytes(ciphertext)
        n = self.n
        if n >= MAX_NONCE:
            raise NonceExhausted("nonce exhausted: the session must be ended")
        if type(ciphertext) is not bytes:
            ciphertext = bytes(ciphertext)
        if len(ciphertext) > MAX_MESSAGE_LEN:
            raise MessageSizeError(f"ciphertext over {MAX_MESSAGE_LEN} bytes")
        if len(ciphertext) < TAGLEN:
            raise DecryptError("ciphertext shorter than its authentication tag")
        try:
            out = _decrypt(ciphertext, ad, _pack(n), k)
        except CryptoError as exc:
            raise DecryptError("message authentication failed") from exc
        self.n = n + 1
        return out

    def rekey(self) -> None:
        """Replace the key by REKEY(k); the nonce goes on counting."""
        if self._k is not None:
            self._k = rekey_key(self._k)

    def set_nonce(self, n: int) -> None:
        self.n = n

    def __repr__(self) -> str:
        return f"CipherState(has_key={self._k is not None}, n={self.n})"
