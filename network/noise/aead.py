"""ChaCha20-Poly1305 IETF from libsodium, as bytes in/bytes out and in place in buffers.

The fast path calls libsodium through PyNaCl's own cffi module (``nacl._sodium``): the public
``nacl.bindings`` wrappers check every argument and format their error messages on each call,
which costs more than sealing a short message, and zero every output buffer first. Callers here
pass checked arguments (32-byte key, 12-byte nonce). If PyNaCl's internals ever change shape the
module falls back to ``nacl.bindings`` with the same behaviour, only slower.

All functions raise ``nacl.exceptions.CryptoError`` when authentication fails.
"""

from __future__ import annotations

from typing import Any, cast

from nacl import bindings
from nacl.exceptions import CryptoError

TAGLEN = 16

Buffer = bytes | bytearray | memoryview


def _slow_encrypt(plaintext: bytes, ad: bytes, nonce: bytes, key: bytes) -> bytes:
    return bindings.crypto_aead_chacha20poly1305_ietf_encrypt(plaintext, ad, nonce, key)


def _slow_decrypt(ciphertext: bytes, ad: bytes, nonce: bytes, key: bytes) -> bytes:
    if len(ciphertext) < TAGLEN:
        raise CryptoError("ciphertext shorter than its tag")
    return bindings.crypto_aead_chacha20poly1305_ietf_decrypt(ciphertext, ad, nonce, key)


def _slow_encrypt_into(
    buf: bytearray, offset: int, length: int, ad: bytes, nonce: bytes, key: bytes
) -> None:
    plaintext = bytes(buf[offset : offset + length])
    buf[offset : offset + length + TAGLEN] = _slow_encrypt(plaintext, ad, nonce, key)


def _slow_decrypt_into(
    out: bytearray, ciphertext: Buffer, ad: bytes, nonce: bytes, key: bytes
) -> int:
    plaintext = _slow_decrypt(bytes(ciphertext), ad, nonce, key)
    out[: len(plaintext)] = plaintext
    return len(plaintext)


def _load_sodium() -> tuple[Any, Any] | None:
    try:
        from nacl._sodium import ffi, lib

        lib.crypto_aead_chacha20poly1305_ietf_encrypt  # noqa: B018 - probe the symbols
        lib.crypto_aead_chacha20poly1305_ietf_decrypt  # noqa: B018
        ffi.from_buffer  # noqa: B018
    except (ImportError, AttributeError):  # pragma: no cover - depends on PyNaCl's build
        return None
    return ffi, lib


_sodium = _load_sodium()

if _sodium is not None:
    _ffi, _lib = _sodium
    _enc = _lib.crypto_aead_chacha20poly1305_ietf_encrypt
    _dec = _lib.crypto_aead_chacha20poly1305_ietf_decrypt
    _alloc = _ffi.new_allocator(should_clear_after_alloc=False)
    _null = _ffi.NULL
    _buffer = _ffi.buffer
    _from_buffer = _ffi.from_buffer
    _release = _ffi.release

    def encrypt(plaintext: bytes, ad: bytes, nonce: bytes, key: bytes) -> bytes:
        """``plaintext`` sealed: ciphertext followed by the 16-byte tag."""
        mlen = len(plaintext)
        out = _alloc("unsigned char[]", mlen + TAGLEN)
        _enc(out, _null, plaintext, mlen, ad, len(ad), _null, nonce, key)
        return cast(bytes, _buffer(out)[:])

    def decrypt(ciphertext: bytes, ad: bytes, nonce: bytes, key: bytes) -> bytes:
        clen = len(ciphertext)
        if clen < TAGLEN:
            raise CryptoError("ciphertext shorter than its tag")
        out = _alloc("unsigned char[]", clen - TAGLEN + 1)  # +1: never a zero-length array
        if _dec(out, _null, _null, ciphertext, clen, ad, len(ad), nonce, key) != 0:
            raise CryptoError("Decryption failed.")
        return cast(bytes, _buffer(out, clen - TAGLEN)[:])

    def encrypt_into(
        buf: bytearray, offset: int, length: int, ad: bytes, nonce: bytes, key: bytes
    ) -> None:
        """Seal ``buf[offset:offset+length]`` in place; the tag goes right after it, so ``buf``
        must hold ``offset + length + 16`` bytes."""
        if offset + length + TAGLEN > len(buf):
            raise ValueError("no room for the tag")
        p = _from_buffer("unsigned char[]", buf, True)
        try:
            _enc(p + offset, _null, p + offset, length, ad, len(ad), _null, nonce, key)
        finally:
            _release(p)

    def decrypt_into(
        out: bytearray, ciphertext: Buffer, ad: bytes, nonce: bytes, key: bytes
    ) -> int:
        """Open ``ciphertext`` into the start of ``out``; returns the plaintext's length. On
        failure ``out`` may have been overwritten (libsodium clears it)."""
        clen = len(ciphertext)
        if clen < TAGLEN:
            raise CryptoError("ciphertext shorter than its tag")
        if clen - TAGLEN > len(out):
            raise ValueError("output buffer too small")
        src = _from_buffer("unsigned char[]", ciphertext)
        dst = _from_buffer("unsigned char[]", out, True)
        try:
            rc = _dec(dst, _null, _null, src, clen, ad, len(ad), nonce, key)
        finally:
            _release(dst)
            _release(src)
        if rc != 0:
            raise CryptoError("Decryption failed.")
        return clen - TAGLEN

else:  # pragma: no cover - depends on PyNaCl's build
    encrypt = _slow_encrypt
    decrypt = _slow_decrypt
    encrypt_into = _slow_encrypt_into
    decrypt_into = _slow_decrypt_into
