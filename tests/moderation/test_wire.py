"""The moderation lane's messages: round trips, strict decoding, chunking within a channel."""

from __future__ import annotations

import contextlib

import msgpack
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from messenger.moderation import Reason, WireError
from messenger.moderation.wire import (
    MAX_ALSO,
    MAX_ITEMS,
    MAX_MESSAGE,
    Digest,
    Events,
    Handovers,
    Report,
    chunked,
    decode,
    encode,
)


@pytest.mark.parametrize(
    "msg",
    [
        Digest(bytes(32), 0),
        Digest(bytes([7]) * 32, 12),
        Events(()),
        Events((b"a", b"bc")),
        Events((b"a",), (bytes(8), b"\xff" * 8)),
        Handovers((b"x" * 300,)),
        Report(b"sealed"),
    ],
)
def test_round_trip(msg: object) -> None:
    assert decode(encode(msg)) == msg  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ([], Reason.MALFORMED),
        ({"t": 1}, Reason.MALFORMED),
        (["1"], Reason.MALFORMED),
        ([9, b""], Reason.UNKNOWN_TYPE),
        ([1, bytes(32)], Reason.BAD_FIELDS),
        ([1, bytes(31), 0], Reason.BAD_VALUE),
        ([1, bytes(32), -1], Reason.BAD_VALUE),
        ([2, [b"ok", 3], []], Reason.BAD_TYPE),
        ([2, [b""], []], Reason.BAD_VALUE),
        ([2, [b"ok"]], Reason.BAD_FIELDS),
        ([2, [b"ok"], [b"short"]], Reason.BAD_VALUE),
        ([2, [b"ok"], "names"], Reason.BAD_TYPE),
        ([2, [b"ok"], [bytes(8)] * (MAX_ALSO + 1)], Reason.OVERSIZE),
        ([3, [b"x" * 600]], Reason.BAD_VALUE),
        ([2, [b"x"] * (MAX_ITEMS + 1), []], Reason.OVERSIZE),
        ([4, b""], Reason.BAD_VALUE),
        ([4, "text"], Reason.BAD_TYPE),
    ],
)
def test_strict_decoding(fields: object, reason: Reason) -> None:
    with pytest.raises(WireError) as info:
        decode(msgpack.packb(fields, use_bin_type=True))
    assert info.value.reason is reason
    assert info.value.code == "bad_moderation_message"


def test_oversized_message() -> None:
    with pytest.raises(WireError) as info:
        decode(b"\x00" * (MAX_MESSAGE + 1))
    assert info.value.reason is Reason.OVERSIZE


def test_chunks_fit_a_channel_message() -> None:
    blobs = [bytes([i % 256]) * 9000 for i in range(20)] + [b"y"] * 600
    messages = list(chunked(Events, blobs))
    assert all(len(m) <= MAX_MESSAGE for m in messages)
    back = [blob for m in messages for blob in decode(m).events]  # type: ignore[union-attr]
    assert back == blobs
    assert list(chunked(Handovers, [])) == []


def test_chunks_name_everyone_they_went_to_and_still_fit() -> None:
    """Every chunk of a forwarded batch carries the whole ``also`` (a full roster's worth)."""
    blobs = [bytes([i % 256]) * 9000 for i in range(20)]
    names = [bytes([i]) * 8 for i in range(MAX_ALSO)]
    messages = list(chunked(Events, blobs, names))
    assert len(messages) > 1 and all(len(m) <= MAX_MESSAGE for m in messages)
    decoded = [decode(m) for m in messages]
    assert all(isinstance(d, Events) and d.also == tuple(names) for d in decoded)
    assert [b for d in decoded for b in d.events] == blobs  # type: ignore[union-attr]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_raise_only_wire_errors(data: bytes) -> None:
    with contextlib.suppress(WireError):
        decode(data)
