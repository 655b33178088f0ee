"""Moderation event envelopes: round trips, strict decoding, and every kind of forgery."""

from __future__ import annotations

import hashlib

import msgpack
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from messenger.moderation import (
    Appoint,
    Close,
    Dismiss,
    EventError,
    Hide,
    Reason,
    Remove,
    Rotate,
    SlowMode,
    decode_event,
    sign_event,
)
from messenger.moderation.envelope import DOMAIN, MAX_EVENT

from .helpers import ALICE, HOST, MALLORY, T0, member

keys = st.binary(min_size=32, max_size=32)
actions = st.one_of(
    st.builds(Remove, keys, st.integers(0, 2**31 - 1)),
    st.builds(Appoint, keys, st.integers(1, 2**31 - 1)),
    st.builds(Dismiss, keys, st.integers(0, 2**31 - 1)),
    st.builds(Hide, keys),
    st.builds(SlowMode, st.integers(0, 3600)),
    st.just(Close()),
    st.builds(
        Rotate,
        st.integers(1, 2**31 - 1),
        st.lists(keys, max_size=20, unique=True).map(tuple),
    ),
)


def fields_of(data: bytes) -> dict[str, object]:
    value = msgpack.unpackb(data, raw=False)
    assert isinstance(value, dict)
    return value


def repack(fields: dict[str, object]) -> bytes:
    return bytes(msgpack.packb(fields, use_bin_type=True))


@settings(max_examples=150, deadline=None)
@given(action=actions, seq=st.integers(1, 2**31 - 1), ts=st.integers(0, 2**53))
def test_round_trip(action: object, seq: int, ts: int) -> None:
    signed = sign_event(HOST, seq, ts, action)  # type: ignore[arg-type]
    back = decode_event(signed.signed)
    assert back == signed
    assert back.action == action
    assert back.id == hashlib.blake2b(signed.signed, digest_size=32).digest()
    assert back.actor == HOST.member_key and back.circle_id == HOST.circle_id


def test_signature_is_over_the_domain_and_the_content() -> None:
    signed = sign_event(HOST, 1, T0, Close())
    fields = fields_of(signed.signed)
    content = repack({k: v for k, v in fields.items() if k != "g"})
    HOST.signing_key.verify_key.verify(DOMAIN + content, fields["g"])  # type: ignore[arg-type]


def test_wrong_key_claiming_to_be_the_host() -> None:
    forged = sign_event(MALLORY, 1, T0, Remove(ALICE.member_key))
    fields = fields_of(forged.signed)
    fields["a"] = HOST.member_key  # says it is the host's, signed by Mallory
    with pytest.raises(EventError) as info:
        decode_event(repack(fields))
    assert info.value.reason is Reason.BAD_SIGNATURE
    assert info.value.code == "bad_moderation_event"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("s", 2),  # another seq
        ("t", T0 + 1),  # another time
        ("k", 3),  # remove becomes dismiss
        ("x", [bytes(32), 0, b""]),  # another member
        ("c", bytes(16)),  # another circle
    ],
)
def test_any_changed_field_breaks_the_signature(field: str, value: object) -> None:
    signed = sign_event(HOST, 1, T0, Remove(ALICE.member_key))
    fields = fields_of(signed.signed)
    fields[field] = value
    with pytest.raises(EventError) as info:
        decode_event(repack(fields))
    assert info.value.reason is Reason.BAD_SIGNATURE


def test_bad_signature_bytes() -> None:
    signed = sign_event(HOST, 1, T0, Close())
    data = bytearray(signed.signed)
    data[-1] ^= 1
    with pytest.raises(EventError) as info:
        decode_event(bytes(data))
    assert info.value.reason is Reason.BAD_SIGNATURE


def test_unknown_version() -> None:
    fields = fields_of(sign_event(HOST, 1, T0, Close()).signed)
    fields["v"] = 2
    with pytest.raises(EventError) as info:
        decode_event(repack(fields))
    assert info.value.reason is Reason.UNKNOWN_VERSION


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda f: f.update(z=1), Reason.BAD_FIELDS),
        (lambda f: f.pop("t"), Reason.BAD_FIELDS),
        (lambda f: f.update(k=99), Reason.UNKNOWN_TYPE),
        (lambda f: f.update(k=6, x=["be kind", 1]), Reason.UNKNOWN_TYPE),  # was RULES, unused
        (lambda f: f.update(k=True), Reason.BAD_TYPE),
        (lambda f: f.update(s=0), Reason.BAD_VALUE),
        (lambda f: f.update(s=2**31), Reason.BAD_VALUE),
        (lambda f: f.update(s="1"), Reason.BAD_TYPE),
        (lambda f: f.update(a=bytes(31)), Reason.BAD_VALUE),
        (lambda f: f.update(c=bytes(17)), Reason.BAD_VALUE),
        (lambda f: f.update(x=[bytes(32)]), Reason.BAD_FIELDS),
        (lambda f: f.update(x=[bytes(31), 0, b""]), Reason.BAD_VALUE),
        (lambda f: f.update(x=[bytes(32), 0, bytes(7)]), Reason.BAD_VALUE),  # not whole names
        (lambda f: f.update(x=[bytes(32), 0, bytes(16)]), Reason.BAD_VALUE),  # one named twice
        (lambda f: f.update(x=[bytes(32), 0, bytes(8 * 4097)]), Reason.BAD_VALUE),  # too many
        (lambda f: f.update(x="nope"), Reason.BAD_TYPE),
        (lambda f: f.update(g=bytes(63)), Reason.BAD_VALUE),
        (lambda f: f.update(v=None), Reason.MALFORMED),
    ],
)
def test_strict_fields(change: object, reason: Reason) -> None:
    fields = fields_of(sign_event(HOST, 1, T0, Remove(ALICE.member_key)).signed)
    change(fields)  # type: ignore[operator]
    with pytest.raises(EventError) as info:
        decode_event(repack(fields))
    assert info.value.reason is reason


def test_non_canonical_encoding_is_refused() -> None:
    signed = sign_event(HOST, 1, T0, Close())
    fields = fields_of(signed.signed)
    reordered = repack(dict(reversed(list(fields.items()))))
    with pytest.raises(EventError) as info:
        decode_event(reordered)
    assert info.value.reason is Reason.NON_CANONICAL


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        ([0, []], Reason.BAD_VALUE),  # epoch 0
        ([1, [bytes(32), bytes(32)]], Reason.BAD_VALUE),  # a recipient twice
        ([1, [bytes(32)] * 300], Reason.OVERSIZE),
    ],
)
def test_rotate_arguments(args: list[object], reason: Reason) -> None:
    fields = fields_of(sign_event(HOST, 1, T0, Rotate(1, ())).signed)
    fields["x"] = args
    with pytest.raises(EventError) as info:
        decode_event(repack(fields))
    assert info.value.reason is reason


def test_arguments_out_of_range_are_refused_when_signing() -> None:
    with pytest.raises(EventError) as info:
        sign_event(HOST, 1, T0, SlowMode(3601))
    assert info.value.reason is Reason.BAD_VALUE


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", Reason.MALFORMED),
        (b"\xc1", Reason.MALFORMED),
        (b"\x93\x01\x02\x03", Reason.MALFORMED),  # an array, not a map
        (b"\xa3abc", Reason.MALFORMED),
        (b"\x80" + b"\x00", Reason.MALFORMED),  # trailing bytes
        (b"\x00" * (MAX_EVENT + 1), Reason.OVERSIZE),
    ],
)
def test_garbage(data: bytes, reason: Reason) -> None:
    with pytest.raises(EventError) as info:
        decode_event(data)
    assert info.value.reason is reason


def test_truncations_and_bit_flips_never_escape() -> None:
    data = sign_event(HOST, 3, T0, Rotate(2, (ALICE.member_key, MALLORY.member_key))).signed
    for cut in range(len(data)):
        with pytest.raises(EventError):
            decode_event(data[:cut])
    for i in range(0, len(data), 3):
        flipped = bytearray(data)
        flipped[i] ^= 0x40
        with pytest.raises(EventError):
            decode_event(bytes(flipped))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_raise_only_event_errors(data: bytes) -> None:
    with pytest.raises(EventError):
        decode_event(data)


def test_events_of_two_members_differ_and_ids_are_stable() -> None:
    a = sign_event(HOST, 1, T0, Hide(bytes(32)))
    b = sign_event(member("alice"), 1, T0, Hide(bytes(32)))
    assert a.id != b.id
    assert sign_event(HOST, 1, T0, Hide(bytes(32))).id == a.id  # Ed25519 is deterministic
    assert "HIDE" in repr(a)
    assert HOST.member_key.hex() not in repr(a)  # only a short prefix
