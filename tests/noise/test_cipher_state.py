"""CipherState: nonces, failed decryption, rekey, exhaustion, size limits."""

from __future__ import annotations

import os

import pytest

from network.noise import (
    MAX_NONCE,
    CipherState,
    DecryptError,
    MessageSizeError,
    NonceExhausted,
)


def _pair() -> tuple[CipherState, CipherState]:
    key = os.urandom(32)
    return CipherState(key), CipherState(key)


def test_round_trip_counts_nonces() -> None:
    tx, rx = _pair()
    for i in range(3):
        ct = tx.encrypt_with_ad(b"ad", b"message %d" % i)
        assert rx.decrypt_with_ad(b"ad", ct) == b"message %d" % i
    assert tx.n == rx.n == 3


def test_a_failed_decrypt_does_not_advance_the_nonce() -> None:
    tx, rx = _pair()
    ct = tx.encrypt_with_ad(b"", b"hello")
    tampered = bytes([ct[0] ^ 0x80]) + ct[1:]
    with pytest.raises(DecryptError):
        rx.decrypt_with_ad(b"", tampered)
    with pytest.raises(DecryptError):
        rx.decrypt_with_ad(b"other ad", ct)
    with pytest.raises(DecryptError):
        rx.decrypt_with_ad(b"", ct[:10])
    assert rx.n == 0
    assert rx.decrypt_with_ad(b"", ct) == b"hello"
    with pytest.raises(DecryptError):  # a replay
        rx.decrypt_with_ad(b"", ct)
    assert rx.n == 1


def test_no_key_passes_through() -> None:
    empty = CipherState()
    assert not empty.has_key
    assert empty.encrypt_with_ad(b"", b"clear") == b"clear"
    assert empty.decrypt_with_ad(b"", b"clear") == b"clear"
    assert empty.n == 0


def test_rekey_changes_the_key_on_both_sides_alike() -> None:
    tx, rx = _pair()
    before = tx.encrypt_with_ad(b"", b"x")
    rx.decrypt_with_ad(b"", before)
    tx.rekey()
    after = tx.encrypt_with_ad(b"", b"x")
    with pytest.raises(DecryptError):
        rx.decrypt_with_ad(b"", after)
    rx.rekey()
    assert rx.decrypt_with_ad(b"", after) == b"x"
    assert tx.n == rx.n == 2


def test_nonce_2_64_minus_1_is_never_used() -> None:
    tx, rx = _pair()
    tx.set_nonce(MAX_NONCE - 1)
    rx.n = MAX_NONCE - 1
    assert rx.decrypt_with_ad(b"", tx.encrypt_with_ad(b"", b"last")) == b"last"
    assert tx.n == MAX_NONCE
    with pytest.raises(NonceExhausted):
        tx.encrypt_with_ad(b"", b"one more")
    with pytest.raises(NonceExhausted):
        rx.decrypt_with_ad(b"", bytes(32))
    assert tx.n == rx.n == MAX_NONCE


def test_size_limits() -> None:
    tx, rx = _pair()
    largest = tx.encrypt_with_ad(b"", bytes(65535 - 16))
    assert len(largest) == 65535
    assert rx.decrypt_with_ad(b"", largest) == bytes(65535 - 16)
    with pytest.raises(MessageSizeError):
        tx.encrypt_with_ad(b"", bytes(65535 - 15))
    with pytest.raises(MessageSizeError):
        rx.decrypt_with_ad(b"", bytes(65536))
    assert tx.n == rx.n == 1


def test_accepts_bytes_like_input() -> None:
    tx, rx = _pair()
    ct = tx.encrypt_with_ad(b"", bytearray(b"abc"))
    assert rx.decrypt_with_ad(b"", memoryview(ct)) == b"abc"


def test_bad_key_length() -> None:
    with pytest.raises(ValueError):
        CipherState(bytes(31))


def test_fast_and_fallback_aead_paths_agree() -> None:
    from nacl.exceptions import CryptoError

    from network.noise import aead

    key, nonce, ad = os.urandom(32), os.urandom(12), b"associated"
    for size in (0, 1, 100, 65519):
        plaintext = os.urandom(size)
        sealed = aead.encrypt(plaintext, ad, nonce, key)
        assert sealed == aead._slow_encrypt(plaintext, ad, nonce, key)
        assert aead.decrypt(sealed, ad, nonce, key) == plaintext
        assert aead._slow_decrypt(sealed, ad, nonce, key) == plaintext
        for encrypt_into in (aead.encrypt_into, aead._slow_encrypt_into):
            buf = bytearray(b"\xaa" * 3) + bytearray(plaintext) + bytearray(16)
            encrypt_into(buf, 3, size, ad, nonce, key)
            assert bytes(buf[3:]) == sealed
        for decrypt_into in (aead.decrypt_into, aead._slow_decrypt_into):
            out = bytearray(size + 1)
            assert decrypt_into(out, memoryview(sealed), ad, nonce, key) == size
            assert bytes(out[:size]) == plaintext
        for decrypt in (aead.decrypt, aead._slow_decrypt):
            with pytest.raises(CryptoError):
                decrypt(sealed[:-1] + bytes([sealed[-1] ^ 1]), ad, nonce, key)
            with pytest.raises(CryptoError):
                decrypt(sealed[:15], ad, nonce, key)


def test_rekey_is_the_spec_rekey() -> None:
    from nacl import bindings

    key = os.urandom(32)
    cipher = CipherState(key)
    cipher.rekey()
    nonce = bytes(4) + (2**64 - 1).to_bytes(8, "little")
    expected = bindings.crypto_aead_chacha20poly1305_ietf_encrypt(bytes(32), b"", nonce, key)
    assert cipher._k == expected[:32]


def test_in_place_encrypt_and_decrypt_into() -> None:
    tx, rx = _pair()
    buf = bytearray(b"..hello" + bytes(16))
    assert tx.encrypt_into(b"ad", buf, 2, 5) == 21
    sealed = bytes(buf[2:])
    out = bytearray(100)
    tampered = bytearray(sealed)
    tampered[0] ^= 1
    with pytest.raises(DecryptError):
        rx.decrypt_into(b"ad", bytes(tampered), out)
    assert rx.n == 0
    assert rx.decrypt_into(b"ad", sealed, out) == 5 and out[:5] == b"hello"
    assert tx.n == rx.n == 1
    tx.set_nonce(MAX_NONCE)
    with pytest.raises(NonceExhausted):
        tx.encrypt_into(b"", buf, 0, 5)
