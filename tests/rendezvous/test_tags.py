"""Per-circle rendezvous tags: rotating by epoch, committing to their verify key, signed."""

from __future__ import annotations

import os

import pytest

from network.rendezvous.errors import ErrorCode, Refused
from network.rendezvous.tags import (
    EPOCH_LENGTH,
    INFO_SIZE,
    SEALED_INFO_SIZE,
    EpochKeys,
    epoch_of,
    open_info,
    seal_info,
    tag_for,
    verify_registration,
)

TAG_KEY = bytes(range(32))
BINDING = bytes(64)


def test_epochs() -> None:
    assert epoch_of(0) == 0
    assert epoch_of(EPOCH_LENGTH - 0.001) == 0
    assert epoch_of(EPOCH_LENGTH) == 1
    assert epoch_of(-1) == -1
    assert epoch_of(100, 10) == 10
    with pytest.raises(ValueError):
        epoch_of(1, 0)


def test_keys_are_deterministic_and_rotate_with_the_epoch() -> None:
    a, b = EpochKeys.derive(TAG_KEY, 7), EpochKeys.derive(TAG_KEY, 7)
    assert (a.tag, a.verify_key, a.seal_key) == (b.tag, b.verify_key, b.seal_key)
    c = EpochKeys.derive(TAG_KEY, 8)
    other = EpochKeys.derive(os.urandom(32), 7)
    assert len({a.tag, c.tag, other.tag}) == 3
    assert len({a.verify_key, c.verify_key, other.verify_key}) == 3
    assert a.tag == tag_for(a.verify_key)
    assert "keys hidden" in repr(a) and a.seal_key.hex() not in repr(a)


def test_bad_tag_key() -> None:
    with pytest.raises(ValueError):
        EpochKeys.derive(b"short", 1)


def _signed(keys: EpochKeys, **change: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "binding": BINDING, "tag": keys.tag, "verify_key": keys.verify_key,
        "issued": 1000, "ttl": 600, "info": b"sealed",
    }  # fmt: skip
    fields["signature"] = keys.sign(BINDING, 1000, 600, b"sealed")
    fields.update(change)
    return fields


def test_a_genuine_registration_verifies() -> None:
    keys = EpochKeys.derive(TAG_KEY, 3)
    verify_registration(**_signed(keys))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("binding", bytes([1]) * 64),  # replayed on another connection
        ("issued", 1001),
        ("ttl", 601),
        ("info", b"sealeD"),
        ("signature", bytes(64)),
    ],
)
def test_any_change_breaks_the_signature(field: str, value: object) -> None:
    keys = EpochKeys.derive(TAG_KEY, 3)
    with pytest.raises(Refused) as info:
        verify_registration(**_signed(keys, **{field: value}))  # type: ignore[arg-type]
    assert info.value.code == ErrorCode.BAD_SIGNATURE and info.value.fatal


def test_a_tag_not_committing_to_the_key_is_refused() -> None:
    keys, other = EpochKeys.derive(TAG_KEY, 3), EpochKeys.derive(TAG_KEY, 4)
    with pytest.raises(Refused) as info:
        verify_registration(**_signed(keys, tag=other.tag))  # type: ignore[arg-type]
    assert info.value.code == ErrorCode.TAG_MISMATCH


def test_someone_without_the_tag_key_cannot_sign_for_the_tag() -> None:
    keys, forger = EpochKeys.derive(TAG_KEY, 3), EpochKeys.derive(os.urandom(32), 3)
    signature = forger.sign(BINDING, 1000, 600, b"sealed")
    with pytest.raises(Refused) as info:
        verify_registration(**_signed(keys, signature=signature))  # type: ignore[arg-type]
    assert info.value.code == ErrorCode.BAD_SIGNATURE
    # and a forger's own key does not commit to the circle's tag
    with pytest.raises(Refused) as info:
        verify_registration(**_signed(forger, tag=keys.tag))  # type: ignore[arg-type]
    assert info.value.code == ErrorCode.TAG_MISMATCH


def test_a_low_order_or_invalid_verify_key_is_a_bad_signature() -> None:
    bad_key = bytes(32)
    with pytest.raises(Refused) as info:
        verify_registration(BINDING, tag_for(bad_key), bad_key, 1, 1, b"", bytes(64))
    assert info.value.code == ErrorCode.BAD_SIGNATURE


def test_info_is_sealed_to_a_fixed_size_and_opens_only_with_the_key() -> None:
    keys = EpochKeys.derive(TAG_KEY, 3)
    for info in (b"", b"x", b"y" * INFO_SIZE):
        sealed = keys.seal(info)
        assert len(sealed) == SEALED_INFO_SIZE
        assert keys.open(sealed) == info
        assert EpochKeys.derive(TAG_KEY, 4).open(sealed) is None
    sealed = keys.seal(b"abc")
    assert keys.seal(b"abc") != sealed  # fresh nonce each time
    assert keys.open(sealed[:-1] + bytes([sealed[-1] ^ 1])) is None
    assert keys.open(b"") is None and keys.open(b"short") is None
    with pytest.raises(ValueError):
        keys.seal(b"z" * (INFO_SIZE + 1))


def test_open_refuses_bad_padding_even_when_authentic() -> None:
    import nacl.secret

    key = os.urandom(32)
    box = nacl.secret.SecretBox(key)
    assert open_info(key, bytes(box.encrypt(b"\x00\x01a" + b"\x01" * (INFO_SIZE - 1)))) is None
    assert open_info(key, bytes(box.encrypt(b"\xff\xff" + bytes(INFO_SIZE)))) is None
    assert open_info(key, bytes(box.encrypt(b"\x00\x00"))) is None
    assert open_info(key, seal_info(key, b"ok")) == b"ok"
