"""The sans-IO secure channel: handshake, records, padding, rekey, close, timers, bad input."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence

import pytest

from network.channel import (
    BUCKETS,
    CIRCLE_PROTOCOL,
    LOBBY_PROTOCOL,
    MAX_HANDSHAKE_PAYLOAD,
    MAX_RECORD_BODY,
    ChannelClosed,
    ChannelClosedError,
    ChannelConfig,
    ChannelConfigError,
    ChannelState,
    ChannelStateError,
    CloseCode,
    HandshakeComplete,
    HandshakeError,
    HandshakeTimeout,
    IdleTimeout,
    IntegrityError,
    MessageReceived,
    MessageTooLarge,
    PeerRejected,
    PongReceived,
    ProtocolViolation,
    SecureChannel,
    TruncatedError,
)
from network.errors import NetworkError
from network.noise import KeyPair
from tests.noise.channel_helpers import PSK, configs, open_pair, pump, random_message


def _closed(events: Sequence[object]) -> ChannelClosed:
    found = [e for e in events if isinstance(e, ChannelClosed)]
    assert len(found) == 1, events
    return found[0]


# -- handshake ----------------------------------------------------------------------------


def test_circle_handshake_carries_payloads_and_identities() -> None:
    config_a, config_b = configs()
    a = SecureChannel(config_a, initiator=True, now=0.0, cleartext=b"HRTH\x01abcd")
    b = SecureChannel(config_b, initiator=False, now=0.0, cleartext=b"HRTH\x01abcd")
    a_events, b_events = pump(a, b)
    (done_a,) = a_events
    (done_b,) = b_events
    assert isinstance(done_a, HandshakeComplete) and isinstance(done_b, HandshakeComplete)
    assert done_a.remote_static == config_b.static.public
    assert done_b.remote_static == config_a.static.public
    assert done_a.handshake_hash == done_b.handshake_hash == a.handshake_hash
    assert done_a.peer_payload == b"bob" and done_b.peer_payload == b"alice"
    assert done_b.peer_early_payload == b"hello"
    assert done_a.peer_identity == "verified:bob" and b.peer_identity == "verified:alice"
    assert a.protocol_name == CIRCLE_PROTOCOL
    with pytest.raises(dataclasses.FrozenInstanceError):
        done_a.peer_payload = b"x"  # type: ignore[misc]


def test_lobby_uses_plain_xx() -> None:
    a, b = open_pair(*configs(psk=None))
    assert a.protocol_name == LOBBY_PROTOCOL and b.protocol_name == LOBBY_PROTOCOL


def test_wrong_psk_fails_the_handshake_on_both_sides() -> None:
    config_a, config_b = configs()
    config_b = dataclasses.replace(config_b, psk=os.urandom(32))
    a = SecureChannel(config_a, initiator=True, now=0.0)
    b = SecureChannel(config_b, initiator=False, now=0.0)
    a_events, b_events = pump(a, b)
    assert isinstance(_closed(b_events).error, HandshakeError)
    assert not a_events and a.state is ChannelState.HANDSHAKING  # READY never comes
    error = _closed(a.receive_eof(1.0)).error  # the responder hung up
    assert isinstance(error, HandshakeError) and "wrong circle key" in str(error)


def test_cleartext_mismatch_fails_the_handshake() -> None:
    config_a, config_b = configs()
    a = SecureChannel(config_a, initiator=True, now=0.0, cleartext=b"hint-1")
    b = SecureChannel(config_b, initiator=False, now=0.0, cleartext=b"hint-2")
    _, b_events = pump(a, b)  # with a psk even message 1 is authenticated against h
    assert isinstance(_closed(b_events).error, HandshakeError)
    assert isinstance(_closed(a.receive_eof(0.0)).error, HandshakeError)
    # the lobby's message 1 is not authenticated: the mismatch shows at message 2
    lobby_a, lobby_b = configs(psk=None)
    a = SecureChannel(lobby_a, initiator=True, now=0.0, cleartext=b"hint-1")
    b = SecureChannel(lobby_b, initiator=False, now=0.0, cleartext=b"hint-2")
    a_events, _ = pump(a, b)
    assert isinstance(_closed(a_events).error, HandshakeError)


def test_responder_refusal_reaches_the_initiator_with_its_reason() -> None:
    config_a, config_b = configs()
    config_a = dataclasses.replace(config_a, handshake_payload=b"mallory")
    a = SecureChannel(config_a, initiator=True, now=0.0)
    b = SecureChannel(config_b, initiator=False, now=0.0)
    a_events, b_events = pump(a, b)
    assert isinstance(_closed(b_events).error, PeerRejected)
    closed = _closed(a_events)
    assert closed.by_peer and closed.code == CloseCode.PEER_REJECTED
    assert isinstance(closed.error, HandshakeError)


def test_initiator_refuses_the_responder_before_revealing_itself() -> None:
    config_a, config_b = configs()
    config_b = dataclasses.replace(config_b, handshake_payload=b"mallory")
    a = SecureChannel(config_a, initiator=True, now=0.0)
    b = SecureChannel(config_b, initiator=False, now=0.0)
    b.receive_data(a.data_to_send(), 0.0)
    events = a.receive_data(b.data_to_send(), 0.0)
    assert isinstance(_closed(events).error, PeerRejected)
    assert a.data_to_send() == b""  # message 3 (our identity) was never written
    assert isinstance(_closed(b.receive_eof(0.0)).error, HandshakeError)


def test_sending_before_open_or_after_close() -> None:
    config_a, _ = configs()
    a = SecureChannel(config_a, initiator=True, now=0.0)
    with pytest.raises(ChannelStateError):
        a.send_message(b"too early", 0.0)
    a, _b = open_pair()
    a.close()
    with pytest.raises(ChannelClosedError):
        a.send_message(b"too late", 0.0)


# -- messages -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "size",
    [0, 1, 200, MAX_RECORD_BODY, MAX_RECORD_BODY + 1, 65536, 3 * MAX_RECORD_BODY, 256 * 1024],
)
def test_messages_of_any_size_up_to_the_limit(size: int) -> None:
    a, b = open_pair()
    message = random_message(size)
    a.send_message(message, 1.0)
    b.send_message(message[::-1], 1.0)
    a_events, b_events = pump(a, b, 1.0)
    assert b_events == [MessageReceived(message)]
    assert a_events == [MessageReceived(message[::-1])]


def test_many_messages_in_one_read_arrive_in_order() -> None:
    a, b = open_pair()
    messages = [random_message(n) for n in (5, 70000, 0, 300, 100000)]
    for m in messages:
        a.send_message(m, 1.0)
    events = b.receive_data(a.data_to_send(), 1.0)
    assert events == [MessageReceived(m) for m in messages]


def test_oversize_message_is_refused_locally_and_the_channel_stays_open() -> None:
    config_a, config_b = configs(max_message_size=100_000)
    a, b = open_pair(config_a, config_b)
    with pytest.raises(MessageTooLarge):
        a.send_message(bytes(100_001), 1.0)
    assert a.is_open
    a.send_message(bytes(100_000), 1.0)
    _, b_events = pump(a, b, 1.0)
    assert b_events == [MessageReceived(bytes(100_000))]


def test_oversize_incoming_message_closes_the_channel() -> None:
    big_a, _ = configs(max_message_size=300_000)
    _, small_b = configs(max_message_size=100_000)
    a, b = open_pair(
        dataclasses.replace(big_a, verify_peer=None), dataclasses.replace(small_b, verify_peer=None)
    )
    a.send_message(bytes(200_000), 1.0)
    a_events, b_events = pump(a, b, 1.0)
    closed = _closed(b_events)
    assert isinstance(closed.error, MessageTooLarge) and closed.code == CloseCode.MESSAGE_TOO_LARGE
    assert _closed(a_events).code == CloseCode.MESSAGE_TOO_LARGE and a.closed_by_peer


def test_every_frame_is_padded_to_a_bucket() -> None:
    a, b = open_pair()
    for size in (0, 1, 100, 252, 253, 1000, 5000, 16000, 20000, MAX_RECORD_BODY):
        a.send_message(bytes(size), 1.0)
        wire = a.data_to_send()
        assert len(wire) - 2 in BUCKETS, (size, len(wire))
        assert b.receive_data(wire, 1.0) == [MessageReceived(bytes(size))]


def test_padding_can_be_turned_off() -> None:
    a, b = open_pair(*configs(pad=False))
    a.send_message(b"x", 1.0)
    wire = a.data_to_send()
    assert len(wire) == 2 + 3 + 1 + 16
    assert b.receive_data(wire, 1.0) == [MessageReceived(b"x")]


def test_rekey_every_interval_on_each_direction() -> None:
    a, b = open_pair(*configs(rekey_interval=3))
    for i in range(10):
        a.send_message(b"a%d" % i, 1.0)
        b.send_message(b"b%d" % i, 1.0)
        a_events, b_events = pump(a, b, 1.0)
        assert b_events == [MessageReceived(b"a%d" % i)] and a_events == [
            MessageReceived(b"b%d" % i)
        ]


def test_a_peer_that_does_not_rekey_is_caught() -> None:
    config_a, config_b = configs()
    a, b = open_pair(config_a, dataclasses.replace(config_b, rekey_interval=2))
    # READY was record 1 from b; a sends records 1, 2 (b rekeys its receiver), then 3 fails
    a.send_message(b"one", 1.0)
    a.send_message(b"two", 1.0)
    a.send_message(b"three", 1.0)
    events = b.receive_data(a.data_to_send(), 1.0)
    assert events[:2] == [MessageReceived(b"one"), MessageReceived(b"two")]
    assert isinstance(_closed(events[2:]).error, IntegrityError)


# -- close and timers ---------------------------------------------------------------------


def test_close_frame_carries_the_reason() -> None:
    a, _b = open_pair()
    a.send_message(b"last words", 1.0)
    a.close(CloseCode.REPLACED)
    assert a.state is ChannelState.CLOSED and a.data_to_send() != b""
    a2, b2 = open_pair()
    a2.close(CloseCode.REPLACED)
    events = b2.receive_data(a2.data_to_send(), 1.0)
    closed = _closed(events)
    assert closed == ChannelClosed(code=CloseCode.REPLACED, by_peer=True, error=None)
    assert b2.receive_eof(2.0) == []  # the expected end of the stream after a close
    with pytest.raises(ChannelClosedError) as info:
        b2.send_message(b"x", 2.0)
    assert info.value.by_peer and info.value.code == CloseCode.REPLACED


def test_application_close_codes() -> None:
    a, b = open_pair()
    a.close(4000)
    assert _closed(b.receive_data(a.data_to_send(), 1.0)).code == 4000
    with pytest.raises(ValueError):
        open_pair()[0].close(70000)


def test_end_of_stream_without_close_is_truncation() -> None:
    a, b = open_pair()
    a.send_message(b"hello", 1.0)
    events = b.receive_data(a.data_to_send(), 1.0)
    events += b.receive_eof(1.0)
    assert events[0] == MessageReceived(b"hello")
    closed = _closed(events)
    assert isinstance(closed.error, TruncatedError) and closed.code == CloseCode.TRUNCATED


def test_stream_cut_inside_a_frame_is_truncation() -> None:
    a, b = open_pair()
    a.send_message(b"hello", 1.0)
    wire = a.data_to_send()
    assert b.receive_data(wire[:100], 1.0) == []
    assert isinstance(_closed(b.receive_eof(1.0)).error, TruncatedError)


def test_handshake_timeout_on_a_silent_peer() -> None:
    config_a, _ = configs()
    a = SecureChannel(config_a, initiator=True, now=100.0)
    assert a.next_deadline() == 105.0
    assert a.tick(104.9) == []
    closed = _closed(a.tick(105.0))
    assert isinstance(closed.error, HandshakeTimeout)
    assert closed.code == CloseCode.HANDSHAKE_TIMEOUT
    assert a.next_deadline() is None and a.tick(200.0) == []


def test_keepalive_ping_and_idle_timeout() -> None:
    a, b = open_pair(*configs(keepalive_interval=10.0, idle_timeout=30.0))
    assert a.next_deadline() == 10.0
    assert b.next_deadline() == 30.0  # the responder never pings: only its idle limit
    assert a.tick(10.0) == []  # sends a PING
    a_events, b_events = pump(a, b, 10.5)
    assert a_events == [PongReceived(rtt=0.5)] and b_events == []
    assert b.next_deadline() == 40.5  # the PING (read at 10.5) fed its idle timer
    # traffic counts as life: a message from b puts off a's next PING
    b.send_message(b"hello", 15.0)
    pump(b, a, 15.0)
    assert a.next_deadline() == 25.0
    # b stops answering: a pings every 10 s after it last heard, then gives up 30 s after that
    assert a.tick(25.0) == [] and a.tick(35.0) == []
    unanswered = a.data_to_send()
    assert a.next_deadline() == 45.0  # the idle limit (15 + 30) and the next PING coincide
    closed = _closed(a.tick(45.0))
    assert isinstance(closed.error, IdleTimeout) and closed.code == CloseCode.IDLE_TIMEOUT
    peer_side = _closed(b.receive_data(unanswered + a.data_to_send(), 46.0))
    assert peer_side.by_peer and peer_side.code == CloseCode.IDLE_TIMEOUT


def test_an_idle_link_costs_one_ping_and_one_pong_an_interval() -> None:
    a, b = open_pair(*configs(keepalive_interval=10.0, idle_timeout=30.0))
    sent = {"a": 0, "b": 0}
    for step in range(1, 61):  # a minute of silence, a tick a second on both sides
        now = float(step)
        for name, (me, other) in {"a": (a, b), "b": (b, a)}.items():
            me.tick(now)
            data = me.data_to_send()
            if data:
                sent[name] += 1
                other.receive_data(data, now)
    assert a.is_open and b.is_open
    assert sent == {"a": 6, "b": 6}  # was a PING from each side every interval, plus PONGs


def test_explicit_ping() -> None:
    a, b = open_pair()
    a.ping(1.0)
    a_events, _ = pump(a, b, 1.25)
    assert a_events == [PongReceived(rtt=0.25)]


# -- bad input ----------------------------------------------------------------------------


def test_replayed_frame_is_an_integrity_error() -> None:
    a, b = open_pair()
    a.send_message(b"pay 10", 1.0)
    frame = a.data_to_send()
    assert b.receive_data(frame, 1.0) == [MessageReceived(b"pay 10")]
    closed = _closed(b.receive_data(frame, 1.0))
    assert isinstance(closed.error, IntegrityError) and closed.code == CloseCode.INTEGRITY_ERROR
    peer = _closed(a.receive_data(b.data_to_send(), 1.0))  # b told a why
    assert peer.by_peer and peer.code == CloseCode.INTEGRITY_ERROR


def test_zero_length_frame_is_a_protocol_violation() -> None:
    _a, b = open_pair()
    closed = _closed(b.receive_data(b"\x00\x00", 1.0))
    assert isinstance(closed.error, ProtocolViolation)
    assert b.receive_data(b"more", 1.0) == []  # closed: input is ignored


def test_oversize_length_during_the_handshake_is_refused_from_the_header() -> None:
    _, config_b = configs()
    b = SecureChannel(config_b, initiator=False, now=0.0)
    closed = _closed(b.receive_data(b"\xff\xff", 0.0))  # 65535: no handshake message is that long
    assert isinstance(closed.error, HandshakeError) and "over the" in str(closed.error)


def test_largest_handshake_payloads_fit() -> None:
    big = bytes(range(256)) * 63 + bytes(range(254))
    assert len(big) == MAX_HANDSHAKE_PAYLOAD
    config_a, config_b = configs(pad=False)
    a, b = open_pair(
        dataclasses.replace(config_a, handshake_payload=big, verify_peer=None),
        dataclasses.replace(config_b, handshake_payload=big, verify_peer=None),
    )
    assert a.peer_payload == big and b.peer_payload == big


def _forge(sender: SecureChannel, plaintext: bytes) -> bytes:
    """A record sealed with the sender's real keys but malformed inside."""
    cipher = sender._send
    assert cipher is not None
    body = cipher.encrypt_with_ad(b"", plaintext)
    return len(body).to_bytes(2, "big") + body


@pytest.mark.parametrize(
    "plaintext",
    [b"", b"\x01", b"\x63\x00\x00", b"\x01\x00\x10abc", b"\x05\x00\x01\x00", b"\x03" + bytes(100)],
    ids=["empty", "short", "unknown-type", "length-past-end", "bad-close", "oversize-ping"],
)
def test_malformed_records_from_an_authenticated_peer(plaintext: bytes) -> None:
    a, b = open_pair()
    if plaintext == b"\x03" + bytes(100):
        plaintext = b"\x03\x00\x64" + bytes(100)
    closed = _closed(b.receive_data(_forge(a, plaintext), 1.0))
    assert isinstance(closed.error, ProtocolViolation)


def test_initiator_expects_ready_first() -> None:
    config_a, config_b = configs()
    a = SecureChannel(config_a, initiator=True, now=0.0)
    b = SecureChannel(config_b, initiator=False, now=0.0)
    b.receive_data(a.data_to_send(), 0.0)
    a.receive_data(b.data_to_send(), 0.0)
    b.receive_data(a.data_to_send(), 0.0)
    assert b.is_open
    b.data_to_send()  # drop READY
    b.send_message(b"data first", 0.0)
    closed = _closed(a.receive_data(b.data_to_send(), 0.0))
    assert isinstance(closed.error, HandshakeError)  # not READY: out of order / replaced


def test_config_validation() -> None:
    key = KeyPair.generate()
    with pytest.raises(ChannelConfigError):
        ChannelConfig(key, psk=b"short")
    with pytest.raises(ChannelConfigError):
        ChannelConfig(key, handshake_payload=bytes(20000))
    with pytest.raises(ChannelConfigError):
        ChannelConfig(key, idle_timeout=0)
    with pytest.raises(ChannelConfigError):
        ChannelConfig(key, keepalive_interval=70.0, idle_timeout=60.0)
    with pytest.raises(ChannelConfigError):
        ChannelConfig(b"raw bytes" * 4)  # type: ignore[arg-type]
    assert issubclass(ChannelConfigError, NetworkError)
    assert ChannelConfig(key, psk=PSK).protocol_name == CIRCLE_PROTOCOL
