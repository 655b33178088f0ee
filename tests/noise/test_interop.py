"""Interoperability with the noiseprotocol package for the hashes the vectors do not cover."""

from __future__ import annotations

import os

import pytest

from network.channel import CIRCLE_PROTOCOL, PROLOGUE_BASE
from network.noise import HandshakeState, KeyPair, NoiseError

connection = pytest.importorskip("noise.connection")


@pytest.mark.parametrize("hash_name", ["BLAKE2b", "BLAKE2s", "SHA256", "SHA512"])
@pytest.mark.parametrize("pattern", ["XX", "NNpsk0", "IK"])
def test_handshake_and_transport_with_noiseprotocol(hash_name: str, pattern: str) -> None:
    name = f"Noise_{pattern}_25519_ChaChaPoly_{hash_name}"
    ours_static, theirs_static = KeyPair.generate(), KeyPair.generate()
    psk = os.urandom(32)
    ours = HandshakeState(
        name,
        initiator=True,
        prologue=b"hearth/1",
        s=ours_static,
        rs=theirs_static.public if pattern == "IK" else None,
        psks=[psk] if "psk" in pattern else [],
    )
    theirs = connection.NoiseConnection.from_name(name.encode())
    theirs.set_as_responder()
    theirs.set_prologue(b"hearth/1")
    theirs.set_keypair_from_private_bytes(connection.Keypair.STATIC, theirs_static.private)
    if "psk" in pattern:
        theirs.set_psks(psk)
    theirs.start_handshake()
    index = 0
    while not ours.finished:
        if index % 2 == 0:
            assert theirs.read_message(ours.write_message(b"m%d" % index)) == b"m%d" % index
        else:
            assert ours.read_message(theirs.write_message(b"m%d" % index)) == b"m%d" % index
        index += 1
    assert theirs.handshake_finished
    assert ours.handshake_hash == theirs.get_handshake_hash()
    send, recv = ours.split()
    assert theirs.decrypt(send.encrypt_with_ad(b"", b"to them")) == b"to them"
    assert recv.decrypt_with_ad(b"", theirs.encrypt(b"to us")) == b"to us"


@pytest.mark.parametrize("we_initiate", [True, False], ids=["we-initiate", "they-initiate"])
def test_circle_protocol_interoperates_in_both_roles(we_initiate: bool) -> None:
    """The circle's exact protocol (XXpsk0) and prologue, against noiseprotocol, each side
    playing each role; and a wrong psk fails at message 1, before anything identifying."""
    name = CIRCLE_PROTOCOL
    assert name == "Noise_XXpsk0_25519_ChaChaPoly_BLAKE2b"
    prologue = PROLOGUE_BASE + b"challenge-and-hello"
    ours_static, theirs_static = KeyPair.generate(), KeyPair.generate()
    psk = os.urandom(32)
    ours = HandshakeState(name, initiator=we_initiate, prologue=prologue, s=ours_static, psks=[psk])
    theirs = connection.NoiseConnection.from_name(name.encode())
    if we_initiate:
        theirs.set_as_responder()
    else:
        theirs.set_as_initiator()
    theirs.set_prologue(prologue)
    theirs.set_keypair_from_private_bytes(connection.Keypair.STATIC, theirs_static.private)
    theirs.set_psks(psk)
    theirs.start_handshake()
    for index in range(3):
        ours_turn = (index % 2 == 0) == we_initiate
        if ours_turn:
            assert theirs.read_message(ours.write_message(b"m%d" % index)) == b"m%d" % index
        else:
            assert ours.read_message(theirs.write_message(b"m%d" % index)) == b"m%d" % index
    assert ours.finished and theirs.handshake_finished
    assert ours.remote_static == theirs_static.public
    assert ours.handshake_hash == theirs.get_handshake_hash()
    send, recv = ours.split()
    if not we_initiate:
        send, recv = recv, send
    assert theirs.decrypt(send.encrypt_with_ad(b"", b"to them")) == b"to them"
    assert recv.decrypt_with_ad(b"", theirs.encrypt(b"to us")) == b"to us"


def test_circle_protocol_wrong_psk_fails_at_message_one() -> None:
    name = CIRCLE_PROTOCOL
    stranger = connection.NoiseConnection.from_name(name.encode())
    stranger.set_as_initiator()
    stranger.set_prologue(PROLOGUE_BASE)
    stranger.set_keypair_from_private_bytes(connection.Keypair.STATIC, KeyPair.generate().private)
    stranger.set_psks(os.urandom(32))
    stranger.start_handshake()
    member = HandshakeState(
        name, initiator=False, prologue=PROLOGUE_BASE, s=KeyPair.generate(), psks=[os.urandom(32)]
    )
    with pytest.raises(NoiseError):
        member.read_message(stranger.write_message(b"who is there?"))
    assert member.message_index == 0  # nothing to answer with: message 2 was never written
