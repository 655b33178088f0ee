"""Length framing: any chunking, limits checked before buffering, typed errors."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from network.errors import NetworkError
from network.framing import (
    EmptyFrame,
    FrameDecoder,
    FrameTooLarge,
    FramingError,
    TruncatedFrame,
    encode_frame,
    encode_frames,
)


@settings(max_examples=80, deadline=None)
@given(
    bodies=st.lists(st.binary(min_size=1, max_size=3000), max_size=8),
    cuts=st.lists(st.integers(min_value=0, max_value=30000), max_size=12),
    copy=st.booleans(),
)
def test_any_chunking_gives_back_the_frames(
    bodies: list[bytes], cuts: list[int], copy: bool
) -> None:
    stream = encode_frames(bodies)
    points = sorted({c % (len(stream) + 1) for c in cuts} | {0, len(stream)})
    decoder = FrameDecoder()
    got: list[bytes] = []
    for start, stop in itertools.pairwise(points):
        got += [bytes(f) for f in decoder.feed(stream[start:stop], copy=copy)]
    assert got == bodies
    assert decoder.buffered == 0
    decoder.eof()


def test_largest_frame() -> None:
    body = bytes(range(256)) * 255 + bytes(255)
    assert len(body) == 65535
    assert FrameDecoder().feed(encode_frame(body)) == [body]
    with pytest.raises(FrameTooLarge):
        encode_frame(body + b"x")


def test_length_over_the_limit_is_refused_from_the_header_alone() -> None:
    decoder = FrameDecoder(max_frame=1024)
    assert decoder.feed(b"\x04") == []
    with pytest.raises(FrameTooLarge, match="1025"):
        decoder.feed(b"\x01")  # 0x0401 = 1025: refused before any body arrives
    assert decoder.buffered == 0
    with pytest.raises(FrameTooLarge):  # stays failed
        decoder.feed(b"anything")


def test_zero_length_is_refused() -> None:
    with pytest.raises(EmptyFrame):
        FrameDecoder().feed(b"\x00\x00")
    with pytest.raises(EmptyFrame):
        encode_frame(b"")


def test_truncated_stream() -> None:
    decoder = FrameDecoder()
    assert decoder.feed(encode_frame(b"hello")[:4]) == []
    with pytest.raises(TruncatedFrame):
        decoder.eof()


def test_views_without_copy() -> None:
    stream = encode_frames([b"one", b"two"])
    frames = FrameDecoder().feed(stream, copy=False)
    assert all(isinstance(f, memoryview) for f in frames)
    assert [bytes(f) for f in frames] == [b"one", b"two"]


def test_errors_are_network_errors() -> None:
    for cls in (EmptyFrame, FrameTooLarge, TruncatedFrame):
        assert issubclass(cls, FramingError) and issubclass(cls, NetworkError)
    with pytest.raises(ValueError):
        FrameDecoder(max_frame=70000)
