"""Noise's CipherState: a key and a 64-bit nonce over ChaCha20-Poly1305 IETF."""

from __future__ import annotations

from nacl.exceptions import CryptoError

from . import aead
from .errors import DecryptError, MessageSizeError, NonceExhausted
from .primitives import _NONCE, KEYLEN, MAX_MESSAGE_LEN, MAX_NONCE, TAGLEN, rekey_key

_encrypt = aead.encrypt
_decrypt = aead.decrypt
_encrypt_into = aead.encrypt_into
_decrypt_into = aead.decrypt_into
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

    def encrypt_into(self, ad: bytes, buf: bytearray, offset: int, length: int) -> int:
        """Encrypt ``buf[offset:offset+length]`` in place, the tag written right after it
        (``buf`` must have room); returns the ciphertext's length. Saves the copies and
        allocations of :meth:`encrypt_with_ad` for large messages."""
        k = self._k
        if k is None:
            return length
        n = self.n
        if n >= MAX_NONCE:
            raise NonceExhausted("nonce exhausted: the session must be ended")
        if length > MAX_PLAINTEXT_LEN:
            raise MessageSizeError(f"plaintext over {MAX_PLAINTEXT_LEN} bytes")
        _encrypt_into(buf, offset, length, ad, _pack(n), k)
        self.n = n + 1
        return length + TAGLEN

    def decrypt_into(self, ad: bytes, ciphertext: BytesLike, out: bytearray) -> int:
        """Decrypt into the start of ``out``; returns the plaintext's length. On failure the
        nonce is unchanged but ``out``'s contents are not preserved."""
        k = self._k
        if k is None:
            out[: len(ciphertext)] = ciphertext
            return len(ciphertext)
        n = self.n
        if n >= MAX_NONCE:
            raise NonceExhausted("nonce exhausted: the session must be ended")
        if len(ciphertext) > MAX_MESSAGE_LEN:
            raise MessageSizeError(f"ciphertext over {MAX_MESSAGE_LEN} bytes")
        try:
            size = _decrypt_into(out, ciphertext, ad, _pack(n), k)
        except CryptoError as exc:
            raise DecryptError("message authentication failed") from exc
        self.n = n + 1
        return size

    def rekey(self) -> None:
        """Replace the key by REKEY(k); the nonce goes on counting."""
        if self._k is not None:
            self._k = rekey_key(self._k)

    def set_nonce(self, n: int) -> None:
        self.n = n

    def __repr__(self) -> str:
        return f"CipherState(has_key={self._k is not None}, n={self.n})"
