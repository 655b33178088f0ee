"""Interoperability with the noiseprotocol package for the hashes the vectors do not cover."""

from __future__ import annotations

import os

import pytest

from network.noise import HandshakeState, KeyPair

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
