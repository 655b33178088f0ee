"""Forged, replayed, oversized and malformed input: dropped, counted with a reason, never shown."""

from __future__ import annotations

from typing import Any

import pytest
from nacl.signing import SigningKey

from messenger.conversation import Dropped, DropReason, EnvelopeError, codec, sign_post
from messenger.conversation.envelope import DOMAIN, MAX_BODY
from messenger.conversation.wire import Hello, MsgType, encode

from .harness import Solo
from .sim import CIRCLE, T0


def craft(key: SigningKey, sig: bytes | None = None, **fields: Any) -> bytes:
    """A post envelope with any fields, signed (correctly, unless ``sig`` is given)."""
    content: dict[str, Any] = {
        "v": 1,
        "c": CIRCLE,
        "a": bytes(key.verify_key),
        "s": 1,
        "t": T0,
        "b": "hello",
        "r": None,
        "w": None,
        "n": False,
    }
    for name, value in fields.items():
        if value is _DELETE:
            del content[name]
        else:
            content[name] = value
    signature = sig if sig is not None else key.sign(DOMAIN + codec.pack(content)).signature
    return codec.pack({**content, "g": signature})


_DELETE = object()


def refused(solo: Solo, data: bytes, reason: DropReason, *, event: bool = True) -> None:
    shown = len(solo.shown())
    before = solo.engine.stats[reason]
    solo.send_posts("p", data)
    assert len(solo.shown()) == shown, "a refused post was shown"
    assert solo.engine.stats[reason] == before + 1
    if event:
        assert solo.of(Dropped)[-1] == Dropped(solo.pks["p"], reason, "post")


@pytest.fixture
def solo() -> Solo:
    solo = Solo(strangers=("mallory",))
    solo.connect("p")
    return solo


def test_a_valid_crafted_post_is_accepted(solo: Solo) -> None:
    solo.send_posts("p", craft(solo.keys["p"]))
    assert solo.shown() == [("p", 1)]


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"v": 3}, DropReason.UNKNOWN_VERSION),
        ({"v": "1"}, DropReason.MALFORMED),
        ({"x": 1}, DropReason.BAD_FIELDS),
        ({"w": _DELETE}, DropReason.BAD_FIELDS),
        ({"s": "1"}, DropReason.BAD_TYPE),
        ({"s": True}, DropReason.BAD_TYPE),
        ({"s": 0}, DropReason.BAD_VALUE),
        ({"t": -1}, DropReason.BAD_VALUE),
        ({"b": b"bytes"}, DropReason.BAD_TYPE),
        ({"b": ""}, DropReason.BAD_VALUE),
        ({"b": "x" * (MAX_BODY + 1)}, DropReason.OVERSIZE),
        ({"a": b"short"}, DropReason.BAD_VALUE),
        ({"r": b"not 32 bytes"}, DropReason.BAD_VALUE),
        ({"w": "w" * 201}, DropReason.OVERSIZE),
        ({"n": 0}, DropReason.BAD_TYPE),
        ({"n": True, "t": T0 + 1}, DropReason.BAD_VALUE),  # anonymous but precise
        ({"c": b"another circle"}, DropReason.WRONG_CIRCLE),
    ],
)
def test_malformed_envelopes_are_refused(
    solo: Solo, fields: dict[str, Any], reason: DropReason
) -> None:
    refused(solo, craft(solo.keys["p"], **fields), reason)


def test_bad_utf8_is_refused(solo: Solo) -> None:
    good = craft(solo.keys["p"], b="hello")
    bad = good.replace(b"\xa5hello", b"\xa5hell\xff")
    refused(solo, bad, DropReason.BAD_UTF8)


def test_a_bad_signature_is_refused(solo: Solo) -> None:
    refused(solo, craft(solo.keys["p"], sig=bytes(64)), DropReason.BAD_SIGNATURE)
    other = craft(solo.keys["q"])[-64:]  # a real signature, by someone else over other bytes
    refused(solo, craft(solo.keys["p"], sig=other), DropReason.BAD_SIGNATURE)


def test_a_non_member_author_is_refused(solo: Solo) -> None:
    refused(solo, craft(solo.keys["mallory"]), DropReason.NOT_MEMBER)


def test_a_post_for_another_circle_is_refused(solo: Solo) -> None:
    other = sign_post(solo.keys["p"], b"other-circle", 1, "elsewhere", solo.now)
    refused(solo, other.signed, DropReason.WRONG_CIRCLE)


def test_a_non_canonical_encoding_is_refused(solo: Solo) -> None:
    post = solo.post("p", 1)
    fields = codec.unpack(post.signed, 10_000, EnvelopeError)
    assert isinstance(fields, dict)
    reordered = codec.pack(dict(reversed(list(fields.items()))))
    refused(solo, reordered, DropReason.NON_CANONICAL)


def test_a_replay_is_dropped_silently_and_counted(solo: Solo) -> None:
    post = solo.post("p", 1)
    solo.send_posts("p", post)
    solo.send_posts("p", post)
    solo.connect("q")
    solo.send_posts("q", post)
    assert solo.shown() == [("p", 1)]
    assert solo.engine.stats[DropReason.DUPLICATE] == 2
    assert not solo.of(Dropped)


def test_a_second_post_with_the_same_seq_is_refused(solo: Solo) -> None:
    solo.send_posts("p", solo.post("p", 1, "first"))
    refused(solo, solo.post("p", 1, "second").signed, DropReason.EQUIVOCATION)
    solo.send_posts("p", solo.post("p", 3, "held"))
    refused(solo, solo.post("p", 3, "held twice").signed, DropReason.EQUIVOCATION)


def test_timestamps_far_ahead_or_past_retention_are_refused() -> None:
    solo = Solo(retention_cutoff=lambda now: now - 3600_000)
    solo.connect("p")
    refused(solo, solo.post("p", 1, ts=solo.now + 3600_000).signed, DropReason.FUTURE)
    refused(solo, solo.post("p", 1, ts=solo.now - 7200_000).signed, DropReason.EXPIRED)
    solo.send_posts("p", solo.post("p", 1, ts=solo.now + 60_000))  # small skew is fine
    assert solo.shown() == [("p", 1)]


def test_a_post_far_past_the_mark_is_not_held(solo: Solo) -> None:
    refused(solo, solo.post("p", 6000).signed, DropReason.TOO_FAR_AHEAD)


def test_an_oversized_envelope_or_message_is_refused_whole(solo: Solo) -> None:
    huge = craft(solo.keys["p"], b="x" * 9000)
    solo.recv("p", encode_raw([MsgType.POSTS, [huge], {}, []]))
    assert solo.engine.stats[DropReason.OVERSIZE] == 1
    solo.recv("p", b"\x00" * (64 * 1024 + 1))
    assert solo.engine.stats[DropReason.OVERSIZE] == 2
    assert solo.dropped() == ["oversize", "oversize"]
    assert solo.shown() == []


def encode_raw(value: object) -> bytes:
    return codec.pack(value)


PK = bytes(32)
MALFORMED_MESSAGES: list[tuple[object, DropReason]] = [
    (b"", DropReason.MALFORMED),
    (b"\xc1", DropReason.MALFORMED),
    (encode(Hello()) + b"\x00", DropReason.MALFORMED),
    ({"t": 1}, DropReason.MALFORMED),
    ([], DropReason.MALFORMED),
    (["1"], DropReason.MALFORMED),
    ([99], DropReason.UNKNOWN_TYPE),
    ([MsgType.HELLO, {}], DropReason.BAD_FIELDS),
    ([MsgType.HELLO, {}, {}, 1], DropReason.BAD_TYPE),  # the answer flag is a bool
    ([MsgType.HELLO, {PK: 0}, {}, False], DropReason.BAD_VALUE),
    ([MsgType.HELLO, {b"short": 1}, {}, False], DropReason.BAD_VALUE),
    ([MsgType.HELLO, {}, {PK: [[3, 1]]}, False], DropReason.BAD_VALUE),
    ([MsgType.HELLO, {}, {PK: [[1, 2], [2, 3]]}, False], DropReason.BAD_VALUE),
    ([MsgType.HELLO, {}, {PK: []}, False], DropReason.BAD_VALUE),
    ([MsgType.HELLO, {}, {PK: [[1, 2, 3]]}, False], DropReason.BAD_FIELDS),
    ([MsgType.HELLO, [], {}, False], DropReason.BAD_TYPE),
    ([MsgType.POSTS, "posts", {}, []], DropReason.BAD_TYPE),
    ([MsgType.POSTS, ["text"], {}, []], DropReason.BAD_TYPE),
    ([MsgType.POSTS, [b"x"] * 1001, {}, []], DropReason.OVERSIZE),
    ([MsgType.POSTS, [], {}], DropReason.BAD_FIELDS),
    ([MsgType.POSTS, [], {}, "also"], DropReason.BAD_TYPE),
    ([MsgType.POSTS, [], {}, [b"short"]], DropReason.MALFORMED),
    ([MsgType.POSTS, [], {}, [bytes(8)] * 257], DropReason.OVERSIZE),
    ([MsgType.WANT, {PK: [[1, 1]]}, 1], DropReason.BAD_FIELDS),
    ([MsgType.WANT, {PK: [[0, 1]]}], DropReason.BAD_VALUE),
    ([MsgType.WANT, {PK: [[i, i] for i in range(1, 1200, 2)]}], DropReason.OVERSIZE),
    ([MsgType.DM, "text"], DropReason.BAD_TYPE),
    ([MsgType.DM, b""], DropReason.BAD_VALUE),
    ([MsgType.DM_ACK, [b"short"]], DropReason.BAD_VALUE),
    ([MsgType.DM_ACK, [bytes(32)] * 513], DropReason.OVERSIZE),
    ([MsgType.DM_RECEIPT, bytes(32)], DropReason.BAD_TYPE),
    ([MsgType.TYPING, 1], DropReason.BAD_TYPE),
    ([MsgType.GOODBYE, ""], DropReason.BAD_VALUE),
    ([MsgType.GOODBYE, "é" * 600], DropReason.OVERSIZE),
    ([MsgType.GOODBYE, b"bytes"], DropReason.BAD_TYPE),
    ([MsgType.LIMITED, 0, 0], DropReason.BAD_VALUE),
    ([MsgType.LIMITED, 1, -5], DropReason.BAD_VALUE),
    ([MsgType.LIMITED, 1.5, 0], DropReason.BAD_TYPE),
]


@pytest.mark.parametrize(("message", "reason"), MALFORMED_MESSAGES)
def test_malformed_wire_messages_are_dropped_with_a_reason(
    solo: Solo, message: object, reason: DropReason
) -> None:
    data = message if isinstance(message, bytes) else codec.pack(message)
    out = solo.recv("p", data)
    assert out == []
    assert solo.engine.stats[reason] == 1
    assert solo.of(Dropped)[-1] == Dropped(solo.pks["p"], reason, "message")


def test_bad_utf8_in_a_wire_message_is_dropped(solo: Solo) -> None:
    data = encode_raw([MsgType.GOODBYE, "bye!"]).replace(b"bye!", b"by\xc3(")
    solo.recv("p", data)
    assert solo.engine.stats[DropReason.BAD_UTF8] == 1


def test_input_from_a_peer_that_is_not_connected_is_ignored(solo: Solo) -> None:
    outs, events = solo.engine.receive(bytes(32), encode(Hello()), solo.now)
    assert (outs, events) == ([], [])
    assert solo.engine.stats[DropReason.WRONG_PEER] == 1


def test_every_refusal_leaves_the_engine_working(solo: Solo) -> None:
    for message, _ in MALFORMED_MESSAGES:
        solo.recv("p", message if isinstance(message, bytes) else codec.pack(message))
    solo.send_posts("p", solo.post("p", 1))
    assert solo.shown() == [("p", 1)]
