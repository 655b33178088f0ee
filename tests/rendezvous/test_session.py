"""The NK session, sans-IO: handshake, transport, and every way a peer can break it."""

from __future__ import annotations

import pytest

from network.framing import HEADER_SIZE
from network.noise import KeyPair
from network.rendezvous import codec
from network.rendezvous.errors import HandshakeFailed, MalformedMessage, ProtocolError
from network.rendezvous.session import HANDSHAKE_FRAME, Session, SessionState

SERVER = KeyPair.generate()


def _body(data: bytes) -> bytes:
    size = int.from_bytes(data[:HEADER_SIZE], "big")
    assert len(data) == HEADER_SIZE + size
    return data[HEADER_SIZE:]


def pair() -> tuple[Session, Session]:
    client, server = Session(server_key=SERVER.public), Session(static=SERVER)
    assert server.receive_frame(_body(client.data_to_send())) is None
    assert client.receive_frame(_body(server.data_to_send())) is None
    assert client.is_open and server.is_open
    return client, server


def test_handshake_and_messages_both_ways() -> None:
    client, server = pair()
    assert client.handshake_hash == server.handshake_hash and len(client.handshake_hash) == 64
    client.send(codec.Lookup(3, bytes(32)))
    assert server.receive_frame(_body(client.data_to_send())) == codec.Lookup(3, bytes(32))
    server.send(codec.Found(3, ()))
    assert client.receive_frame(_body(server.data_to_send())) == codec.Found(3, ())
    assert client.data_to_send() == b""


def test_frame_limits_follow_the_state() -> None:
    client, server = Session(server_key=SERVER.public), Session(static=SERVER)
    assert client.max_frame == server.max_frame == HANDSHAKE_FRAME == 48
    client, server = pair()
    assert server.max_frame == codec.MAX_REQUEST_FRAME and client.max_frame == 65535


def test_a_client_with_the_wrong_server_key_fails_the_handshake() -> None:
    client, server = Session(server_key=KeyPair.generate().public), Session(static=SERVER)
    with pytest.raises(HandshakeFailed):
        server.receive_frame(_body(client.data_to_send()))
    assert server.state is SessionState.CLOSED and not server.can_send
    with pytest.raises(ProtocolError):
        server.receive_frame(bytes(48))


@pytest.mark.parametrize("size", [0, 1, 47, 49, 2048])
def test_handshake_frames_of_the_wrong_size_are_refused(size: int) -> None:
    server = Session(static=SERVER)
    with pytest.raises(MalformedMessage):
        server.check_length(size)
    assert server.state is SessionState.CLOSED


def test_garbage_handshake_is_refused() -> None:
    server = Session(static=SERVER)
    with pytest.raises(HandshakeFailed):
        server.receive_frame(bytes(range(48)))


def test_a_tampered_server_answer_is_refused() -> None:
    client, server = Session(server_key=SERVER.public), Session(static=SERVER)
    server.receive_frame(_body(client.data_to_send()))
    answer = bytearray(_body(server.data_to_send()))
    answer[40] ^= 1
    with pytest.raises(HandshakeFailed):
        client.receive_frame(bytes(answer))


def test_a_tampered_transport_message_closes_without_an_answer() -> None:
    client, server = pair()
    client.send(codec.Ping(1))
    body = bytearray(_body(client.data_to_send()))
    body[5] ^= 0x80
    with pytest.raises(MalformedMessage, match="authentication"):
        server.receive_frame(bytes(body))
    assert not server.can_send


def test_an_authentic_but_malformed_message_can_still_be_answered() -> None:
    client, server = pair()
    client.send(codec.Ok(1))  # a response sent to the server
    with pytest.raises(MalformedMessage, match="expected a request"):
        server.receive_frame(_body(client.data_to_send()))
    assert server.state is SessionState.CLOSED and server.can_send
    server.send(codec.Error(0, 1, "malformed"))
    assert client.receive_frame(_body(server.data_to_send())) == codec.Error(0, 1, "malformed")


def test_an_oversized_request_length_is_refused_before_its_body() -> None:
    _, server = pair()
    with pytest.raises(MalformedMessage, match="2049"):
        server.check_length(codec.MAX_REQUEST_FRAME + 1)


def test_sending_before_the_handshake_is_an_error() -> None:
    with pytest.raises(ProtocolError):
        Session(server_key=SERVER.public).send(codec.Ping(1))


def test_roles_are_exclusive() -> None:
    with pytest.raises(ValueError):
        Session()
    with pytest.raises(ValueError):
        Session(server_key=SERVER.public, static=SERVER)
    with pytest.raises(HandshakeFailed):
        Session(server_key=b"short")
