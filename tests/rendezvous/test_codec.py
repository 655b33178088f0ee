"""The control messages: every one round-trips; malformed input of every kind is refused."""

from __future__ import annotations

import contextlib

import msgpack
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from network.rendezvous import codec
from network.rendezvous.codec import (
    MAX_BODY,
    PLAINTEXT_BUCKETS,
    MessageType,
    decode,
    decode_body,
    decode_request,
    decode_response,
    encode,
    encode_body,
    pad,
    unpad,
)
from network.rendezvous.errors import MalformedMessage

T16 = bytes(range(16))
T32 = bytes(range(32))
SIG = bytes(64)

MESSAGES: list[codec.Message] = [
    codec.Ping(1),
    codec.Register(2, T32, T32, 1_700_000_000, 600, b"info" * 10, SIG),
    codec.Unregister(3, T16),
    codec.Lookup(4, T32),
    codec.Connect(5, T16),
    codec.Accept(6, T16),
    codec.Ok(7),
    codec.Registered(8, T16, 600),
    codec.Found(9, ()),
    codec.Found(9, tuple(codec.FoundEntry(T16, b"x" * 298, 5) for _ in range(codec.MAX_FOUND))),
    codec.Spliced(10),
    codec.Incoming(T16, T16),
    codec.Error(0, 4, "expired"),
]


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: type(m).__name__)
def test_round_trip(message: codec.Message) -> None:
    plaintext = encode(message)
    assert len(plaintext) in PLAINTEXT_BUCKETS
    assert decode(plaintext) == message
    if isinstance(message, codec.Request):
        assert decode_request(plaintext) == message
        with pytest.raises(MalformedMessage, match="expected a response"):
            decode_response(plaintext)
    else:
        assert decode_response(plaintext) == message
        with pytest.raises(MalformedMessage, match="expected a request"):
            decode_request(plaintext)


def test_requests_fit_the_smallest_buckets() -> None:
    register = MESSAGES[1]
    assert len(encode(register)) + 16 <= codec.MAX_REQUEST_FRAME
    assert len(encode(codec.Ping(2**32 - 1))) + 16 == 128


def test_repr_hides_secrets() -> None:
    # Tags, keys, tokens, signatures and sealed info never reach a log line, in any spelling.
    text = "".join(repr(m) for m in MESSAGES)
    for secret in (T16, T32, SIG, b"info" * 10):
        assert secret.hex() not in text and repr(secret) not in text
    assert "req_id=2" in text  # what may be shown still is


def test_error_reason_is_cut_to_its_limit() -> None:
    long = codec.Error(1, 1, "x" * 1000)
    assert decode(encode(long)) == codec.Error(1, 1, "x" * codec.MAX_REASON)


def _raw(fields: object) -> bytes:
    return bytes(msgpack.packb(fields, use_bin_type=True))


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"\xc1", "not msgpack"),
        (b"\x92\x01", "not msgpack"),  # truncated array
        (_raw([1, 2]) + b"\x00", "not msgpack"),  # trailing bytes
        (_raw({"a": 1}), "not msgpack"),  # maps are not allowed at all
        (_raw([]), "non-empty array"),
        (_raw("ping"), "non-empty array"),
        (_raw(["1", 1]), "type must be an integer"),
        (_raw([True, 1]), "type must be an integer"),
        (_raw([99, 1]), "unknown message type"),
        (_raw([1]), "PING has 0 fields"),
        (_raw([1, 1, 2]), "PING has 2 fields"),
        (_raw([1, -1]), "req_id"),
        (_raw([1, 2**32]), "req_id"),
        (_raw([1, True]), "req_id"),
        (_raw([1, 1.0]), "req_id"),
        (_raw([4, 1, T16]), "tag must be 32 bytes"),
        (_raw([4, 1, "x" * 32]), "tag must be bytes"),
        (_raw([5, 1, T32]), "token must be 16 bytes"),
        (_raw([6, 1, None]), "relay_token must be bytes"),
        (_raw([2, 1, T32, T32, 1, 600, b"", SIG]), None),  # valid: the control case
        (_raw([2, 1, T32, T16, 1, 600, b"", SIG]), "verify_key"),
        (_raw([2, 1, T32, T32, -1, 600, b"", SIG]), "issued"),
        (_raw([2, 1, T32, T32, 1, -5, b"", SIG]), "ttl"),
        (_raw([2, 1, T32, T32, 1, 2**40, b"", SIG]), "ttl"),
        (_raw([2, 1, T32, T32, 1, 600, b"i" * 513, SIG]), "info is over"),
        (_raw([2, 1, T32, T32, 1, 600, b"", SIG[:63]]), "signature"),
        (_raw([2, 1, T32, T32, 1, 600, b""]), "REGISTER has 6 fields"),
        (_raw([66, 1, [[T16, b"", 1, 2]]]), "FOUND entry"),
        (_raw([66, 1, [[T16, b"", -1]]]), "ttl"),
        (_raw([66, 1, "no"]), "array of at most"),
        (_raw([66, 1, [[T16, b"", 1]] * (codec.MAX_FOUND + 1)]), "array of at most"),
        (_raw([69, 1, 1, b"bytes"]), "reason"),
        (_raw([69, 1, 1, "r" * (codec.MAX_REASON + 1)]), "reason"),
        (_raw([69, 1, 70000, "r"]), "code"),
        (_raw([1, b"x" * 70000]), "not msgpack"),  # bin longer than any message
        (b"\xdd\xff\xff\xff\xff", "not msgpack"),  # array32 claiming 4 billion items
    ],
)
def test_malformed_bodies(body: bytes, reason: str | None) -> None:
    if reason is None:
        assert decode_body(body).__class__ is codec.Register
        return
    with pytest.raises(MalformedMessage, match=reason):
        decode_body(body)


@pytest.mark.parametrize(
    ("plaintext", "reason"),
    [
        (b"", "too short"),
        (b"\x00", "too short"),
        (b"\x00\x00" + bytes(10), "length is wrong"),
        (b"\x00\x05\x91\x01", "length is wrong"),
        (b"\x00\x02\x92\x01\x01\x00\x00\x01", "padding"),  # [1, 1] then a stray byte
    ],
)
def test_bad_padding(plaintext: bytes, reason: str) -> None:
    with pytest.raises(MalformedMessage, match=reason):
        decode(plaintext)


def test_pad_and_unpad() -> None:
    assert unpad(pad(b"abc")) == b"abc"
    assert len(pad(b"a" * MAX_BODY)) == PLAINTEXT_BUCKETS[-1]
    with pytest.raises(ValueError):
        pad(b"a" * (MAX_BODY + 1))
    with pytest.raises(TypeError):
        encode_body("not a message")  # type: ignore[arg-type]


def test_message_types_are_distinct() -> None:
    assert len({int(t) for t in MessageType}) == len(MessageType)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_decode_or_raise_malformed(data: bytes) -> None:
    for fn in (decode, decode_body):
        with contextlib.suppress(MalformedMessage):
            fn(data)


_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | st.binary(max_size=70)
    | st.text(max_size=20) | st.floats(allow_nan=False),
    lambda inner: st.lists(inner, max_size=4),
    max_leaves=12,
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 80), st.lists(_values, max_size=8))
def test_any_msgpack_array_decodes_or_raises_malformed(kind: int, fields: list[object]) -> None:
    body = _raw([kind, *fields])
    try:
        message = decode_body(body)
    except MalformedMessage:
        return
    assert decode_body(encode_body(message)) == message
