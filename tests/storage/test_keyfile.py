"""The key file: round trip, wrong passphrase, damaged or foreign files, the default limits."""

from __future__ import annotations

import json
import os
from pathlib import Path

import msgpack
import nacl.pwhash
import pytest

from messenger.errors import HearthError
from messenger.storage import (
    INTERACTIVE,
    MINIMUM,
    MODERATE,
    KdfParams,
    PassphraseRejected,
    ProfileCorrupt,
    ProfileMissing,
    StorageError,
    WrongPassphrase,
    create_profile,
    default_kdf_params,
    keyfile,
    open_profile,
)
from messenger.storage.memory import available_memory

from .helpers import PASS


def _key() -> bytearray:
    return bytearray(os.urandom(keyfile.DB_KEY_LEN))


def test_wrap_encode_decode_unwrap_round_trip() -> None:
    key = _key()
    sealed = keyfile.wrap_key(key, PASS, MINIMUM)
    parsed = keyfile.decode(sealed.encode())
    assert parsed == sealed
    assert parsed.params == MINIMUM
    assert keyfile.unwrap_key(parsed, PASS) == key
    assert isinstance(keyfile.unwrap_key(parsed, PASS), bytearray)


def test_fresh_salt_and_nonce_each_wrap() -> None:
    key = _key()
    one, two = keyfile.wrap_key(key, PASS, MINIMUM), keyfile.wrap_key(key, PASS, MINIMUM)
    assert one.salt != two.salt and one.nonce != two.nonce and one.wrapped != two.wrapped


def test_key_file_format_is_self_describing() -> None:
    body = msgpack.unpackb(keyfile.wrap_key(_key(), PASS, MINIMUM).encode(), raw=False)
    assert body["magic"] == "hearth-key" and body["v"] == 1
    assert body["kdf"] == "argon2id13" and body["aead"] == "xchacha20poly1305-ietf"
    assert (body["ops"], body["mem"]) == (MINIMUM.opslimit, MINIMUM.memlimit)
    assert len(body["salt"]) == 16 and len(body["nonce"]) == 24 and len(body["wrapped"]) == 48


def test_wrong_passphrase_is_typed() -> None:
    sealed = keyfile.wrap_key(_key(), PASS, MINIMUM)
    with pytest.raises(WrongPassphrase) as info:
        keyfile.unwrap_key(sealed, PASS + "!")
    assert isinstance(info.value, StorageError) and isinstance(info.value, HearthError)
    assert info.value.code == "wrong_passphrase"
    assert PASS not in str(info.value)


def test_passphrase_is_unicode_normalised() -> None:
    composed, decomposed = "caf\u00e9 \u00fcber", "cafe\u0301 u\u0308ber"
    sealed = keyfile.wrap_key(_key(), composed, MINIMUM)
    assert keyfile.unwrap_key(sealed, decomposed) == keyfile.unwrap_key(sealed, composed)


@pytest.mark.parametrize("bad", ["", b"bytes", None])
def test_unusable_passphrase_is_rejected(bad: object) -> None:
    with pytest.raises(PassphraseRejected):
        keyfile.wrap_key(_key(), bad, MINIMUM)  # type: ignore[arg-type]


def _damage(data: bytes, field: str) -> bytes:
    body = msgpack.unpackb(data, raw=False)
    value = bytearray(body[field])
    value[0] ^= 0x01
    body[field] = bytes(value)
    return bytes(msgpack.packb(body, use_bin_type=True))


@pytest.mark.parametrize("field", ["wrapped", "salt", "nonce", "check"])
def test_a_flipped_bit_is_damage_not_a_wrong_passphrase(field: str) -> None:
    data = _damage(keyfile.wrap_key(_key(), PASS, MINIMUM).encode(), field)
    with pytest.raises(ProfileCorrupt, match="damaged"):
        keyfile.decode(data)


def _with(data: bytes, **changes: object) -> bytes:
    body = msgpack.unpackb(data, raw=False)
    for name, value in changes.items():
        if value is None:
            del body[name]
        else:
            body[name] = value
    return bytes(msgpack.packb(body, use_bin_type=True))


GOOD = keyfile.wrap_key(bytearray(32), PASS, MINIMUM).encode()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "not a Hearth key file"),
        (os.urandom(64), "not a Hearth key file"),
        (b"SQLite format 3\x00" + bytes(100), "not a Hearth key file"),
        (json.dumps({"magic": "hearth-key"}).encode(), "not a Hearth key file"),
        (msgpack.packb([1, 2, 3]), "not a Hearth key file"),
        (GOOD[: len(GOOD) // 2], "not a Hearth key file"),
        (_with(GOOD, magic="other-app"), "not a Hearth key file"),
        (_with(GOOD, v=2), "format version 2"),
        (_with(GOOD, kdf="scrypt"), "unknown key derivation"),
        (_with(GOOD, ops=10_000), "unreasonable Argon2id"),
        (_with(GOOD, mem=1 << 40), "unreasonable Argon2id"),
        (_with(GOOD, ops="3"), "damaged"),
        (_with(GOOD, ops=True), "damaged"),
        (_with(GOOD, salt=None), "damaged"),
        (_with(GOOD, salt=b"short"), "wrong length"),
    ],
)
def test_foreign_or_damaged_key_files_are_refused_clearly(data: bytes, reason: str) -> None:
    with pytest.raises(ProfileCorrupt, match=reason) as info:
        keyfile.decode(data)
    assert info.value.code == "profile_corrupt"


def test_read_refuses_a_huge_file_and_a_directory(tmp_path: Path) -> None:
    big = tmp_path / "big"
    big.write_bytes(bytes(keyfile.MAX_KEY_FILE + 1))
    with pytest.raises(ProfileCorrupt, match="too large"):
        keyfile.read(big)
    with pytest.raises(ProfileCorrupt, match="directory"):
        keyfile.read(tmp_path)
    with pytest.raises(ProfileMissing):
        keyfile.read(tmp_path / "absent")


def test_defaults_are_moderate_and_interactive_when_memory_is_short() -> None:
    assert (
        KdfParams(nacl.pwhash.argon2id.OPSLIMIT_MODERATE, nacl.pwhash.argon2id.MEMLIMIT_MODERATE)
        == MODERATE
    )
    assert (
        KdfParams(
            nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE, nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE
        )
        == INTERACTIVE
    )
    assert default_kdf_params(available=16 << 30) == MODERATE
    assert default_kdf_params(available=512 << 20) == INTERACTIVE
    free = available_memory()
    assert free is None or free > 0


def test_a_profile_made_without_limits_stores_the_default_ones(tmp_path: Path) -> None:
    # One real default-cost Argon2id run (about half a second), to prove what ships.
    store = create_profile(tmp_path / "p", PASS)
    store.close()
    parsed = keyfile.read(tmp_path / "p" / "key")
    assert parsed.params == default_kdf_params()
    assert parsed.params in (MODERATE, INTERACTIVE)


def test_params_stored_in_the_key_file_are_used_to_unlock(tmp_path: Path) -> None:
    custom = KdfParams(2, 1 << 16)
    create_profile(tmp_path / "p", PASS, kdf=custom).close()
    assert keyfile.read(tmp_path / "p" / "key").params == custom
    open_profile(tmp_path / "p", PASS).close()


def test_zero_wipes_in_place() -> None:
    key = _key()
    view = memoryview(key)
    keyfile.zero(key)
    assert bytes(view) == bytes(32)
