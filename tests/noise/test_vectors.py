"""Every cacophony vector for 25519_ChaChaPoly_BLAKE2b: messages, handshake hash, transport."""

from __future__ import annotations

import pytest

from network.noise import HandshakeState, KeyPair, parse_protocol
from tests.noise.vectors import Vector, load_vectors

VECTORS = load_vectors()


def _sides(v: Vector) -> tuple[HandshakeState, HandshakeState]:
    initiator = HandshakeState(
        v.protocol_name,
        initiator=True,
        prologue=v.key("init_prologue") or b"",
        s=v.key("init_static"),
        e=v.key("init_ephemeral"),
        rs=v.key("init_remote_static"),
        psks=v.psks("init"),
    )
    responder = HandshakeState(
        v.protocol_name,
        initiator=False,
        prologue=v.key("resp_prologue") or b"",
        s=v.key("resp_static"),
        e=v.key("resp_ephemeral"),
        rs=v.key("resp_remote_static"),
        psks=v.psks("resp"),
    )
    return initiator, responder


def test_the_file_holds_all_36_vectors() -> None:
    assert len(VECTORS) == 36
    assert len({v.protocol_name for v in VECTORS}) == 36


@pytest.mark.parametrize("vector", VECTORS, ids=[v.pattern for v in VECTORS])
def test_vector(vector: Vector) -> None:
    initiator, responder = _sides(vector)
    messages = list(vector.messages)
    index = 0
    while not (initiator.finished and responder.finished):
        writer, reader = (initiator, responder) if index % 2 == 0 else (responder, initiator)
        expected = messages[index]
        assert writer.my_turn and not reader.my_turn
        assert writer.write_message(expected.payload) == expected.ciphertext, f"message {index}"
        assert reader.read_message(expected.ciphertext) == expected.payload
        index += 1
    assert initiator.handshake_hash == vector.handshake_hash
    assert responder.handshake_hash == vector.handshake_hash

    i_send, i_recv = initiator.split()
    r_recv, r_send = responder.split()
    one_way = parse_protocol(vector.protocol_name).pattern.one_way
    assert index < len(messages), "each vector goes on into transport messages"
    for expected in messages[index:]:
        if one_way or index % 2 == 0:
            sender, receiver = i_send, r_recv
        else:
            sender, receiver = r_send, i_recv
        assert sender.encrypt_with_ad(b"", expected.payload) == expected.ciphertext
        assert receiver.decrypt_with_ad(b"", expected.ciphertext) == expected.payload
        index += 1


@pytest.mark.parametrize("vector", VECTORS, ids=[v.pattern for v in VECTORS])
def test_remote_static_is_learnt(vector: Vector) -> None:
    initiator, responder = _sides(vector)
    for index, expected in enumerate(vector.messages):
        if initiator.finished:
            break
        writer, reader = (initiator, responder) if index % 2 == 0 else (responder, initiator)
        reader.read_message(writer.write_message(expected.payload))
    init_static, resp_static = vector.key("init_static"), vector.key("resp_static")
    if init_static is not None:
        assert responder.remote_static == KeyPair.from_private(init_static).public
    if resp_static is not None:
        assert initiator.remote_static == KeyPair.from_private(resp_static).public
