"""Post and direct-message envelopes: round trips, limits, and no byte may change unnoticed."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from messenger.conversation import (
    ComposeError,
    DropReason,
    EnvelopeError,
    decode_dm,
    decode_post,
    sign_dm,
    sign_post,
)
from messenger.conversation.envelope import (
    ANONYMOUS_GRANULARITY_MS,
    MAX_BODY,
    coarse_ts,
    post_id,
    verify_post,
)
from messenger.views import DeliveryState

from .sim import CIRCLE, T0, key_for

KEY = key_for("author")
OTHER = key_for("other")

bodies = st.text(min_size=1, max_size=300).filter(lambda s: len(s.encode()) <= MAX_BODY)
warnings = st.none() | st.text(min_size=1, max_size=50)
ids = st.none() | st.binary(min_size=32, max_size=32)
circles = st.binary(min_size=1, max_size=64)


@settings(max_examples=150, deadline=None)
@given(
    circle=circles,
    seq=st.integers(1, 2**63 - 1),
    ts=st.integers(0, 2**53),
    body=bodies,
    reply_to=ids,
    warning=warnings,
    anonymous=st.booleans(),
)
def test_post_round_trip(
    circle: bytes,
    seq: int,
    ts: int,
    body: str,
    reply_to: bytes | None,
    warning: str | None,
    anonymous: bool,
) -> None:
    if anonymous:  # anonymous posts have their own form (anon_envelope.py)
        with pytest.raises(ComposeError):
            sign_post(KEY, circle, seq, body, coarse_ts(ts), anonymous=True)
        return
    post = sign_post(
        KEY,
        circle,
        seq,
        body,
        ts,
        reply_to=reply_to,
        content_warning=warning,
        anonymous=anonymous,
    )
    decoded = decode_post(post.signed)
    assert decoded == post
    assert decoded.id == post_id(post.signed)
    env = decoded.envelope
    assert (env.circle_id, env.seq, env.body, env.reply_to) == (circle, seq, body, reply_to)
    assert env.content_warning == warning and env.anonymous is anonymous
    assert env.ts == (coarse_ts(ts) if anonymous else ts)
    verify_post(decoded)


SAMPLE = sign_post(KEY, CIRCLE, 7, "a sample post, with ünïcode ✓", T0, content_warning="cw")
SAMPLE_DM = sign_dm(KEY, CIRCLE, bytes(OTHER.verify_key), "a direct message ✓", T0)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(0, len(SAMPLE.signed) - 1), mask=st.integers(1, 255))
def test_flipping_any_byte_of_a_signed_post_is_rejected(index: int, mask: int) -> None:
    data = bytearray(SAMPLE.signed)
    data[index] ^= mask
    with pytest.raises(EnvelopeError):
        decode_post(bytes(data))


def test_flipping_each_byte_of_a_signed_post_is_rejected() -> None:
    for index in range(len(SAMPLE.signed)):
        data = bytearray(SAMPLE.signed)
        data[index] ^= 0x01
        with pytest.raises(EnvelopeError):
            decode_post(bytes(data))


@settings(max_examples=200, deadline=None)
@given(index=st.integers(0, len(SAMPLE_DM.signed) - 1), mask=st.integers(1, 255))
def test_flipping_any_byte_of_a_signed_dm_is_rejected(index: int, mask: int) -> None:
    data = bytearray(SAMPLE_DM.signed)
    data[index] ^= mask
    with pytest.raises(EnvelopeError):
        decode_dm(bytes(data))


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=400))
def test_random_bytes_only_ever_raise_envelope_errors(data: bytes) -> None:
    for decode in (decode_post, decode_dm):
        with contextlib.suppress(EnvelopeError):
            decode(data)


def test_truncated_or_extended_posts_are_rejected() -> None:
    for cut in range(len(SAMPLE.signed)):
        with pytest.raises(EnvelopeError):
            decode_post(SAMPLE.signed[:cut])
    with pytest.raises(EnvelopeError) as info:
        decode_post(SAMPLE.signed + b"\x00")
    assert info.value.reason is DropReason.MALFORMED


def test_body_limits_count_encoded_bytes() -> None:
    assert decode_post(sign_post(KEY, CIRCLE, 1, "x" * MAX_BODY, T0).signed)
    assert decode_post(sign_post(KEY, CIRCLE, 1, "é" * (MAX_BODY // 2), T0).signed)
    for body, reason in [
        ("é" * (MAX_BODY // 2 + 1), DropReason.OVERSIZE),
        ("x" * (MAX_BODY + 1), DropReason.OVERSIZE),
        ("", DropReason.BAD_VALUE),
    ]:
        with pytest.raises(ComposeError) as info:
            sign_post(KEY, CIRCLE, 1, body, T0)
        assert info.value.reason is reason
    with pytest.raises(ComposeError):
        sign_post(KEY, CIRCLE, 1, "hi", T0, content_warning="w" * 201)
    with pytest.raises(ComposeError):
        sign_post(KEY, CIRCLE, 0, "hi", T0)
    with pytest.raises(ComposeError):
        sign_dm(KEY, CIRCLE, bytes(KEY.verify_key), "to myself", T0)


def test_a_signed_post_cannot_be_anonymous() -> None:
    """Anonymous posts have their own form (anon_envelope.py: no key, no seq, a ring proof);
    one signed with the member key and flagged anonymous would name its author (issue 17)."""
    ts = T0 + 7 * 60_000 + 123
    with pytest.raises(ComposeError):
        sign_post(KEY, CIRCLE, 1, "anonymous", coarse_ts(ts), anonymous=True)
    named = SAMPLE.to_view("river-otter", state=DeliveryState.DELIVERED)
    assert named.author == "river-otter"
    assert (named.id, named.seq, named.content_warning) == (SAMPLE.id, 7, "cw")
    assert named.state is DeliveryState.DELIVERED
    assert ANONYMOUS_GRANULARITY_MS == 15 * 60_000


def test_dm_round_trip_and_view() -> None:
    decoded = decode_dm(SAMPLE_DM.signed)
    assert decoded == SAMPLE_DM
    view = decoded.to_view("fern", outgoing=False, state=DeliveryState.DELIVERED)
    assert view.peer_key == bytes(KEY.verify_key) and view.body == "a direct message ✓"
    out = decoded.to_view("fern", outgoing=True, state=DeliveryState.SENT)
    assert out.peer_key == bytes(OTHER.verify_key)
    again = sign_dm(KEY, CIRCLE, bytes(OTHER.verify_key), "a direct message ✓", T0)
    assert again.id != SAMPLE_DM.id  # a fresh nonce each time


def test_error_carries_a_stable_code() -> None:
    with pytest.raises(EnvelopeError) as info:
        decode_post(b"\x93\x01\x02\x03")
    assert info.value.reason is DropReason.MALFORMED
    assert info.value.code == "bad_envelope"
    assert str(info.value).startswith("malformed")
