"""Bad keys, wrong psk or prologue, calls out of order, oversize messages: all raise cleanly."""

from __future__ import annotations

import os

import pytest

from network.errors import NetworkError
from network.noise import (
    DecryptError,
    HandshakeState,
    InvalidPublicKey,
    KeyPair,
    MessageFormatError,
    MessageSizeError,
    NoiseConfigError,
    NoiseError,
    NoiseStateError,
    parse_pattern,
)
from tests.noise.helpers import make_pair, run_handshake

XX = "Noise_XX_25519_ChaChaPoly_BLAKE2b"
NK = "Noise_NK_25519_ChaChaPoly_BLAKE2b"

# Curve25519 points of small order: libsodium gives an all-zero shared secret for each.
LOW_ORDER = [
    bytes(32),
    (1).to_bytes(32, "little"),
    bytes.fromhex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
    bytes.fromhex("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
    bytes.fromhex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
]


def test_errors_share_one_root() -> None:
    for cls in (DecryptError, InvalidPublicKey, MessageSizeError, NoiseStateError):
        assert issubclass(cls, NoiseError)
    assert issubclass(NoiseError, NetworkError)


@pytest.mark.parametrize("point", LOW_ORDER, ids=range(len(LOW_ORDER)))
def test_low_order_premessage_key_is_refused(point: bytes) -> None:
    initiator = HandshakeState(NK, initiator=True, rs=point)
    with pytest.raises(InvalidPublicKey):
        initiator.write_message(b"hello")
    assert initiator.message_index == 0 and initiator.my_turn


@pytest.mark.parametrize("point", LOW_ORDER, ids=range(len(LOW_ORDER)))
def test_low_order_ephemeral_in_a_message_is_refused(point: bytes) -> None:
    responder = HandshakeState(XX, initiator=False, s=KeyPair.generate())
    responder.read_message(point)  # XX message 1 is just e: nothing to compute yet
    with pytest.raises(InvalidPublicKey):
        responder.write_message()  # ee with a low-order point
    nk_responder = HandshakeState(NK, initiator=False, s=KeyPair.generate())
    with pytest.raises(InvalidPublicKey):
        nk_responder.read_message(point + bytes(16))  # es on reading


def test_wrong_psk_fails_to_decrypt_and_leaves_state_unchanged() -> None:
    initiator, responder = make_pair("XXpsk3", resp_psk_flip=True)
    responder.read_message(initiator.write_message())
    initiator.read_message(responder.write_message())
    third = initiator.write_message(b"me")
    h_before = responder.handshake_hash
    with pytest.raises(DecryptError):
        responder.read_message(third)
    assert not responder.finished and responder.handshake_hash == h_before


def test_wrong_psk0_fails_at_the_first_message() -> None:
    initiator, responder = make_pair("NNpsk0", resp_psk_flip=True)
    with pytest.raises(DecryptError):
        responder.read_message(initiator.write_message(b"x"))


def test_wrong_prologue_fails() -> None:
    initiator, responder = make_pair("XX", prologue=b"hearth/1", resp_prologue=b"hearth/2")
    responder.read_message(initiator.write_message())
    with pytest.raises(DecryptError):
        initiator.read_message(responder.write_message())


def test_calls_out_of_order() -> None:
    initiator, responder = make_pair("XX")
    with pytest.raises(NoiseStateError):
        responder.write_message()
    with pytest.raises(NoiseStateError):
        initiator.read_message(bytes(32))
    with pytest.raises(NoiseStateError):
        initiator.split()
    run_handshake(initiator, responder)
    with pytest.raises(NoiseStateError):
        initiator.write_message()
    with pytest.raises(NoiseStateError):
        responder.read_message(bytes(64))
    initiator.split()
    with pytest.raises(NoiseStateError):
        initiator.split()


def test_oversize_payload_and_message() -> None:
    initiator, responder = make_pair("XX")
    with pytest.raises(MessageSizeError):
        initiator.write_message(bytes(65536))
    with pytest.raises(MessageSizeError):
        responder.read_message(bytes(65536))
    responder.read_message(initiator.write_message())
    # message 2 = e (32) + encrypted s (48) + payload + tag (16): 65535 - 96 is the most
    with pytest.raises(MessageSizeError):
        responder.write_message(bytes(65535 - 96 + 1))
    largest = responder.write_message(bytes(65535 - 96))
    assert len(largest) == 65535
    assert initiator.read_message(largest) == bytes(65535 - 96)


def test_truncated_messages_are_refused_and_the_real_one_still_works() -> None:
    initiator, responder = make_pair("XX")
    with pytest.raises(MessageFormatError):
        responder.read_message(b"short")
    first = initiator.write_message()
    responder.read_message(first)
    second = responder.write_message(b"payload")
    for cut in (0, 10, 32, 60, 80, len(second) - 1):
        with pytest.raises((MessageFormatError, DecryptError)):
            initiator.read_message(second[:cut])
    assert initiator.read_message(second) == b"payload"


@pytest.mark.parametrize(
    "name",
    [
        "Noise_XX_448_ChaChaPoly_BLAKE2b",
        "Noise_XX_25519_AESGCM_BLAKE2b",
        "Noise_XX_25519_ChaChaPoly_MD5",
        "Noise_ZZ_25519_ChaChaPoly_BLAKE2b",
        "Noise_XXfallback_25519_ChaChaPoly_BLAKE2b",
        "Noise_XXpsk4_25519_ChaChaPoly_BLAKE2b",
        "Noise_XXpsk3+psk3_25519_ChaChaPoly_BLAKE2b",
        "Noise_XX_25519_ChaChaPoly",
        "NoiseXX",
        "",
    ],
)
def test_bad_protocol_names(name: str) -> None:
    with pytest.raises(NoiseConfigError):
        HandshakeState(name, initiator=True, s=os.urandom(32), psks=[os.urandom(32)])


def test_keys_that_do_not_fit_the_pattern() -> None:
    with pytest.raises(NoiseConfigError, match="local static"):
        HandshakeState(XX, initiator=True)
    with pytest.raises(NoiseConfigError, match="rs"):
        HandshakeState(NK, initiator=True)
    with pytest.raises(NoiseConfigError, match="32 bytes"):
        HandshakeState(XX, initiator=True, s=bytes(31))
    with pytest.raises(NoiseConfigError, match="32 bytes"):
        HandshakeState(NK, initiator=True, rs=bytes(33))
    psk_name = "Noise_XXpsk3_25519_ChaChaPoly_BLAKE2b"
    with pytest.raises(NoiseConfigError, match="psk"):
        HandshakeState(psk_name, initiator=True, s=os.urandom(32))
    with pytest.raises(NoiseConfigError, match="32 bytes"):
        HandshakeState(psk_name, initiator=True, s=os.urandom(32), psks=[bytes(16)])


def test_psk_modifiers_are_placed_as_the_spec_says() -> None:
    assert parse_pattern("NNpsk0").messages == (("psk", "e"), ("e", "ee"))
    assert parse_pattern("NNpsk0+psk2").messages == (("psk", "e"), ("e", "ee", "psk"))
    assert parse_pattern("XXpsk3").messages[-1] == ("s", "se", "psk")
    assert parse_pattern("Xpsk1").messages == (("e", "es", "s", "ss", "psk"),)
    assert parse_pattern("XXpsk3").psk_count == 1


def test_multiple_psks_round_trip() -> None:
    initiator, responder = make_pair("NNpsk0+psk2")
    run_handshake(initiator, responder, [b"a", b"b"])
    assert initiator.handshake_hash == responder.handshake_hash
