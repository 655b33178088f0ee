"""The circle key schedule: fixed vectors, domain separation, rotation, the lobby."""

from __future__ import annotations

import hashlib

import pytest

from messenger.keyschedule import (
    LOBBY_ID,
    LOBBY_SECRET,
    CircleKeys,
    KeyPurpose,
    KeyScheduleError,
    derive_circle_id,
    derive_key,
    new_secret,
)

SECRET = bytes(range(32))
HOST_KEY = bytes(range(32, 64))
NONCE = bytes(range(16))

VECTORS = {
    KeyPurpose.NOISE_PSK: "9250fef75bfe1d0d3a0326d206e5d848ad8c32904ba6a9df441ecfd701c5fed7",
    KeyPurpose.DISCOVERY: "4e48c2545e4948f6cd74368f1fff3b94f5f1dce1eba3d3a8e575e75c7db6788e",
    KeyPurpose.RENDEZVOUS_TAG: "9fceb5e9034ba58a460e7d2815057745bc6c6244c5cc2f86f6d34a7d1fddf4f9",
    KeyPurpose.INVITE_MAC: "2f369bdc072c00568455e8c573c912f7a91a9c6dc47eb43c0c7f8182ff0337e3",
}


@pytest.mark.parametrize("purpose", list(KeyPurpose))
def test_fixed_vectors(purpose: KeyPurpose) -> None:
    assert derive_key(SECRET, purpose).hex() == VECTORS[purpose]


@pytest.mark.parametrize("purpose", list(KeyPurpose))
def test_construction_is_the_documented_one(purpose: KeyPurpose) -> None:
    expected = hashlib.blake2b(
        purpose.value, key=SECRET, person=b"hearth-keysched1", digest_size=32
    ).digest()
    assert derive_key(SECRET, purpose) == expected


def test_circle_id_vector_and_construction() -> None:
    expected = hashlib.blake2b(HOST_KEY + NONCE, person=b"hearth-circle-id", digest_size=16)
    assert derive_circle_id(HOST_KEY, NONCE) == expected.digest()
    assert derive_circle_id(HOST_KEY, NONCE).hex() == "55dccefdf2576d2c2dbc4a826e47c5d8"


def test_lobby_constants_are_fixed() -> None:
    assert LOBBY_SECRET.hex() == "6d9f7b9134091594a88bec7fe2444f63cf66c57dac58bf50aef69efbb151ec04"
    assert LOBBY_ID.hex() == "10bc32b83dd03751d5ab242e3e2a7707"


def test_keys_are_distinct_and_rotate_together() -> None:
    keys = CircleKeys.from_secret(SECRET, epoch=0)
    values = {keys.noise_psk, keys.discovery_key, keys.rendezvous_tag_key, keys.invite_mac_key}
    assert len(values) == 4 and all(len(v) == 32 for v in values)
    rotated = CircleKeys.from_secret(new_secret(), epoch=1)
    assert not values & {
        rotated.noise_psk,
        rotated.discovery_key,
        rotated.rendezvous_tag_key,
        rotated.invite_mac_key,
    }


def test_repr_hides_keys() -> None:
    keys = CircleKeys.from_secret(SECRET)
    assert keys.noise_psk.hex() not in repr(keys) and "hidden" in repr(keys)


@pytest.mark.parametrize("bad", [b"", bytes(31), bytes(33)])
def test_wrong_sizes_are_refused(bad: bytes) -> None:
    with pytest.raises(KeyScheduleError):
        derive_key(bad, KeyPurpose.NOISE_PSK)
    with pytest.raises(KeyScheduleError):
        derive_circle_id(bad, NONCE)
    with pytest.raises(KeyScheduleError):
        derive_circle_id(HOST_KEY, bad)
