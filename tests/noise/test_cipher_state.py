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
