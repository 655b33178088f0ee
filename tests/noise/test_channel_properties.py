"""Channel properties: any chunking works; any tampering closes with a typed error."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from network.channel import (
    ChannelClosed,
    ChannelError,
    HandshakeError,
    MessageReceived,
    SecureChannel,
)
from tests.noise.channel_helpers import configs, open_pair

FAST = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts} | {0, len(data)})
    return [data[a:b] for a, b in itertools.pairwise(points)]


@FAST
@given(
    messages=st.lists(st.binary(max_size=70000), min_size=1, max_size=4),
    cuts=st.lists(st.integers(min_value=0, max_value=300000), max_size=20),
)
def test_any_chunking_delivers_every_message(messages: list[bytes], cuts: list[int]) -> None:
    a, b = open_pair()
    for m in messages:
        a.send_message(m, 1.0)
    events = []
    for chunk in _split(a.data_to_send(), cuts):
        events += b.receive_data(chunk, 1.0)
    assert events == [MessageReceived(m) for m in messages]


@FAST
@given(
    message=st.binary(max_size=2000),
    data=st.data(),
    mask=st.integers(min_value=1, max_value=255),
)
def test_a_flipped_transport_byte_closes_the_channel_with_a_typed_error(
    message: bytes, data: st.DataObject, mask: int
) -> None:
    a, b = open_pair()
    a.send_message(message, 1.0)
    wire = bytearray(a.data_to_send())
    pos = data.draw(st.integers(min_value=0, max_value=len(wire) - 1), label="pos")
    wire[pos] ^= mask
    events = b.receive_data(bytes(wire), 1.0) + b.receive_eof(2.0)
    assert MessageReceived(message) not in events
    (closed,) = [e for e in events if isinstance(e, ChannelClosed)]
    assert isinstance(closed.error, ChannelError) and not closed.by_peer


@FAST
@given(data=st.data(), mask=st.integers(min_value=1, max_value=255))
def test_a_flipped_handshake_byte_fails_the_handshake(data: st.DataObject, mask: int) -> None:
    config_a, config_b = configs()
    a = SecureChannel(config_a, initiator=True, now=0.0)
    b = SecureChannel(config_b, initiator=False, now=0.0)
    target = data.draw(st.integers(min_value=0, max_value=2), label="message")
    sides = [(a, b), (b, a), (a, b)]
    failed = False
    for index, (writer, reader) in enumerate(sides):
        wire = writer.data_to_send()
        if not wire:
            break
        if index == target:
            flipped = bytearray(wire)
            flipped[data.draw(st.integers(0, len(wire) - 1), label="pos")] ^= mask
            wire = bytes(flipped)
        events = reader.receive_data(wire, 0.0)
        if any(isinstance(e, ChannelClosed) for e in events):
            failed = True
            break
    if not failed:  # a changed length prefix leaves the reader waiting for more bytes
        for side in (a, b):
            events = side.tick(10.0) + side.receive_eof(10.0)
            failed = failed or any(isinstance(e, ChannelClosed) for e in events)
    assert failed
    assert not (a.is_open and b.is_open)
    for side in (a, b):
        if side.closed and side.error is not None and not side.closed_by_peer:
            assert isinstance(side.error, ChannelError)


@FAST
@given(garbage=st.binary(min_size=1, max_size=5000))
def test_garbage_before_the_handshake_never_crashes(garbage: bytes) -> None:
    _, config_b = configs()
    b = SecureChannel(config_b, initiator=False, now=0.0)
    events = b.receive_data(garbage, 0.0)
    events += b.tick(5.0) + b.receive_eof(5.0)
    (closed,) = [e for e in events if isinstance(e, ChannelClosed)]
    assert isinstance(closed.error, HandshakeError)
    assert not b.is_open
