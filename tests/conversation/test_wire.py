"""The circle-channel messages: round trips, strictness, chunking."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from messenger.conversation import DropReason, WireError
from messenger.conversation.ranges import to_ranges
from messenger.conversation.wire import (
    Dm,
    DmAck,
    DmReceipt,
    Goodbye,
    Hello,
    Limited,
    Posts,
    Typing,
    Want,
    WireLimits,
    WireMessage,
    decode,
    encode,
    posts_messages,
)

keys = st.binary(min_size=32, max_size=32)
ids = st.binary(min_size=32, max_size=32)


@st.composite
def range_lists(draw: st.DrawFn) -> tuple[tuple[int, int], ...]:
    seqs = draw(st.lists(st.integers(1, 10**6), min_size=1, max_size=20))
    return tuple(to_ranges(sorted(seqs)))


range_maps = st.dictionaries(keys, range_lists(), max_size=5)

messages = st.one_of(
    st.builds(
        Hello, hwm=st.dictionaries(keys, st.integers(1, 2**63 - 1), max_size=8), gaps=range_maps
    ),
    st.builds(
        Posts,
        posts=st.lists(st.binary(min_size=1, max_size=200), max_size=10).map(tuple),
        gone=range_maps,
    ),
    st.builds(Want, ranges=range_maps),
    st.builds(Dm, signed=st.binary(min_size=1, max_size=300)),
    st.builds(DmAck, ids=st.lists(ids, max_size=5).map(tuple)),
    st.builds(DmReceipt, ids=st.lists(ids, max_size=5).map(tuple)),
    st.builds(Typing, typing=st.booleans()),
    st.builds(Goodbye, text=st.none() | st.text(min_size=1, max_size=100)),
    st.builds(Limited, dropped=st.integers(1, 10**6), retry_after_ms=st.integers(0, 24 * 3600_000)),
)


@settings(max_examples=300, deadline=None)
@given(msg=messages)
def test_round_trip(msg: WireMessage) -> None:
    assert decode(encode(msg)) == msg


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=300))
def test_random_bytes_only_ever_raise_wire_errors(data: bytes) -> None:
    with contextlib.suppress(WireError):
        decode(data)


@settings(max_examples=200, deadline=None)
@given(msg=messages, index=st.integers(0, 10_000), mask=st.integers(1, 255))
def test_damaged_messages_decode_or_raise_wire_errors(
    msg: WireMessage, index: int, mask: int
) -> None:
    data = bytearray(encode(msg))
    data[index % len(data)] ^= mask
    with contextlib.suppress(WireError):
        decode(bytes(data))


def test_limits_are_parameters() -> None:
    small = WireLimits(max_message=100, max_posts=2, max_ids=1)
    with pytest.raises(WireError) as info:
        decode(encode(Posts(posts=(b"a", b"b", b"c"))), small)
    assert info.value.reason is DropReason.OVERSIZE
    with pytest.raises(WireError):
        decode(encode(DmAck(ids=(bytes(32), bytes(32)))), small)
    with pytest.raises(WireError) as info:
        decode(encode(Dm(signed=bytes(200))), small)
    assert info.value.reason is DropReason.OVERSIZE


def test_posts_are_chunked_by_count_and_bytes() -> None:
    posts = [bytes([i % 256]) * 300 for i in range(1000)]
    gone = {bytes(32): ((1, 4),)}
    chunks = posts_messages(posts, gone, max_posts=200, max_bytes=20_000)
    decoded = [decode(c) for c in chunks]
    assert all(isinstance(m, Posts) for m in decoded)
    assert [p for m in decoded for p in m.posts] == posts  # type: ignore[union-attr]
    assert all(len(c) <= 20_000 for c in chunks)
    assert all(len(m.posts) <= 200 for m in decoded)  # type: ignore[union-attr]
    assert decoded[0].gone == gone and all(not m.gone for m in decoded[1:])  # type: ignore[union-attr]
    assert posts_messages([], {}, 200, 20_000) == []
    assert len(posts_messages([], gone, 200, 20_000)) == 1
