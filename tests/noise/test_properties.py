"""Property tests: any pattern round-trips, and any flipped byte is detected."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from network.noise import DecryptError, NoiseError, parse_pattern
from tests.noise.helpers import BASE_PATTERNS, make_pair, run_handshake

PSK_PATTERNS = ["NNpsk0", "NNpsk2", "XXpsk3", "IKpsk2", "Npsk0", "Xpsk1", "NNpsk0+psk2"]
PATTERNS = BASE_PATTERNS + PSK_PATTERNS
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

payloads = st.lists(st.binary(max_size=300), min_size=3, max_size=3)


@FAST
@given(pattern=st.sampled_from(PATTERNS), hs_payloads=payloads, transport=payloads)
def test_round_trip(pattern: str, hs_payloads: list[bytes], transport: list[bytes]) -> None:
    initiator, responder = make_pair(pattern)
    run_handshake(initiator, responder, hs_payloads)
    assert initiator.handshake_hash == responder.handshake_hash
    i_send, i_recv = initiator.split()
    r_recv, r_send = responder.split()
    for data in transport:
        assert r_recv.decrypt_with_ad(b"", i_send.encrypt_with_ad(b"", data)) == data
        if not parse_pattern(pattern).one_way:
            assert i_recv.decrypt_with_ad(b"", r_send.encrypt_with_ad(b"", data)) == data


@FAST
@given(
    pattern=st.sampled_from(PATTERNS),
    data=st.data(),
    mask=st.integers(min_value=1, max_value=255),
)
def test_a_flipped_handshake_byte_is_detected(pattern: str, data: st.DataObject, mask: int) -> None:
    """Flip one byte of one handshake message: some read of the handshake must fail."""
    initiator, responder = make_pair(pattern)
    count = len(parse_pattern(pattern).messages)
    target = data.draw(st.integers(min_value=0, max_value=count - 1), label="message")
    detected = False
    index = 0
    while not initiator.finished and not detected:
        writer, reader = (initiator, responder) if index % 2 == 0 else (responder, initiator)
        message = writer.write_message(b"payload %d" % index)
        if index == target:
            pos = data.draw(st.integers(min_value=0, max_value=len(message) - 1), label="pos")
            flipped = bytearray(message)
            flipped[pos] ^= mask
            try:
                reader.read_message(bytes(flipped))
            except NoiseError:
                detected = True
                # the failed read changed nothing: the genuine message still goes through
                assert reader.read_message(message) == b"payload %d" % index
                break
        else:
            try:
                reader.read_message(message)
            except NoiseError:
                detected = True
        index += 1
    assert detected, f"a flipped byte in message {target} of {pattern} went unnoticed"


@FAST
@given(
    message=st.binary(min_size=0, max_size=200),
    data=st.data(),
    mask=st.integers(min_value=1, max_value=255),
)
def test_a_flipped_transport_byte_is_detected(
    message: bytes, data: st.DataObject, mask: int
) -> None:
    initiator, responder = make_pair("XXpsk3")
    run_handshake(initiator, responder)
    send, _ = initiator.split()
    recv, _ = responder.split()
    ct = send.encrypt_with_ad(b"", message)
    pos = data.draw(st.integers(min_value=0, max_value=len(ct) - 1))
    flipped = bytearray(ct)
    flipped[pos] ^= mask
    with pytest.raises(DecryptError):
        recv.decrypt_with_ad(b"", bytes(flipped))
    assert recv.n == 0
    assert recv.decrypt_with_ad(b"", ct) == message
