"""The hint scheme, sans-IO: build, parse, match; every kind of malformed TXT is refused."""

from __future__ import annotations

import base64
import hashlib
import logging
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from network.discovery import hints
from network.discovery.errors import InvalidCircleKey, MalformedAnnouncement, UnsupportedVersion
from network.discovery.hints import (
    HINT_SIZE,
    HINT_SLOTS,
    NONCE_SIZE,
    Announcement,
    build_announcement,
    build_txt,
    encode_txt,
    hint,
    match,
    match_txt,
    parse_txt,
    read_txt,
)

K1, K2, K3 = (bytes([i]) * 32 for i in (1, 2, 3))
LOBBY = hashlib.blake2b(b"hearth lobby", digest_size=32).digest()


def seeded(seed: int = 7) -> hints.Rng:
    return random.Random(seed).randbytes


def txt(*strings: bytes) -> bytes:
    return b"".join(bytes((len(s),)) + s for s in strings)


def b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


GOOD_N = b"n=" + b64(bytes(NONCE_SIZE))
GOOD_H = b"h=" + b64(bytes(HINT_SLOTS * HINT_SIZE))


def test_shape_of_the_txt_record() -> None:
    text = build_txt([K1], seeded())
    strings = []
    pos = 0
    while pos < len(text):
        strings.append(text[pos + 1 : pos + 1 + text[pos]])
        pos += 1 + text[pos]
    assert [s.split(b"=")[0] for s in strings] == [b"v", b"n", b"h"]
    assert strings[0] == b"v=2"
    assert len(strings[1]) == 2 + 22 and len(strings[2]) == 2 + 43
    assert len(text) == 75


def test_a_member_recognises_the_hint_and_a_stranger_does_not() -> None:
    text = build_txt([K1, LOBBY])
    assert match_txt(text, [K2, K1, K3]) == {1}
    assert match_txt(text, [LOBBY]) == {0}
    assert match_txt(text, [K2, K3]) == set()
    assert match_txt(text, []) == set()


def test_hint_is_blake2b_keyed_by_the_circle_key_over_the_nonce() -> None:
    announcement = build_announcement([K1], seeded())
    expected = hashlib.blake2b(announcement.nonce, key=K1, digest_size=4).digest()
    assert hint(K1, announcement.nonce) == expected
    assert expected in announcement.hints


def test_always_eight_slots_with_random_decoys_and_nothing_else() -> None:
    for keys in ([], [K1], [K1, K2, K3]):
        announcement = build_announcement(keys)
        assert len(announcement.hints) == HINT_SLOTS
        assert all(len(h) == HINT_SIZE for h in announcement.hints)
        assert len(set(announcement.hints)) == HINT_SLOTS
        assert len(build_txt(keys)) == 75  # the record's size tells nothing about the count


def test_real_hints_are_shuffled_among_the_decoys() -> None:
    positions = set()
    for seed in range(40):
        announcement = build_announcement([K1], seeded(seed))
        positions.add(announcement.hints.index(hint(K1, announcement.nonce)))
    assert len(positions) >= 5


def test_fresh_nonce_and_hints_every_time() -> None:
    a, b = build_announcement([K1, K2]), build_announcement([K1, K2])
    assert a.nonce != b.nonce
    assert not set(a.hints) & set(b.hints)


def test_same_rng_same_announcement() -> None:
    assert build_txt([K1, K2], seeded(3)) == build_txt([K1, K2], seeded(3))


def test_duplicate_keys_get_one_hint() -> None:
    announcement = build_announcement([K1, K1, K1])
    assert sum(h == hint(K1, announcement.nonce) for h in announcement.hints) == 1


def test_more_than_eight_circles_announces_the_first_eight() -> None:
    keys = [bytes([i]) * 32 for i in range(1, 12)]
    announcement = build_announcement(keys)
    assert match(announcement, keys) == set(range(HINT_SLOTS))
    # The others are still matched when *they* appear in someone else's announcement.
    assert match(build_announcement(keys[HINT_SLOTS:]), keys) == set(range(HINT_SLOTS, 11))


def test_round_trip() -> None:
    announcement = build_announcement([K1, K2], seeded())
    assert parse_txt(encode_txt(announcement)) == announcement


@given(st.lists(st.binary(min_size=16, max_size=64), max_size=10))
def test_round_trip_any_keys(keys: list[bytes]) -> None:
    announcement = build_announcement(keys)
    parsed = parse_txt(encode_txt(announcement))
    assert parsed == announcement
    unique = list(dict.fromkeys(keys))
    assert {unique[i] for i in match(parsed, unique)} >= set(unique[:HINT_SLOTS])


@pytest.mark.parametrize(
    "key", [b"", b"short", bytes(15), bytes(65), "a string key" * 3, bytearray(32)]
)
def test_bad_keys_are_refused_with_a_reason(key: object) -> None:
    with pytest.raises(InvalidCircleKey, match="circle key #1"):
        build_txt([K1, key])  # type: ignore[list-item]
    with pytest.raises(InvalidCircleKey):
        match(build_announcement([]), [K1, key])  # type: ignore[list-item]


MALFORMED: dict[str, bytes] = {
    "empty record": b"",
    "a single empty string": b"\x00",
    "length past the end": b"\x05v=1",
    "length past the end later": txt(b"v=2", GOOD_N) + b"\x40h=abc",
    "string without =": txt(b"v=2", GOOD_N, GOOD_H, b"flag"),
    "missing version": txt(GOOD_N, GOOD_H),
    "missing nonce": txt(b"v=2", GOOD_H),
    "missing hints": txt(b"v=2", GOOD_N),
    "duplicate version": txt(b"v=2", b"v=2", GOOD_N, GOOD_H),
    "duplicate nonce": txt(b"v=2", GOOD_N, GOOD_N, GOOD_H),
    "duplicate hints": txt(b"v=2", GOOD_N, GOOD_H, GOOD_H),
    "extra key": txt(b"v=2", GOOD_N, GOOD_H, b"name=alice"),
    "upper-case key": txt(b"v=2", b"N=" + b64(bytes(16)), GOOD_H),
    "empty version": txt(b"v=", GOOD_N, GOOD_H),
    "padded version": txt(b"v=01", GOOD_N, GOOD_H),
    "nonce too short": txt(b"v=2", b"n=" + b64(bytes(15)), GOOD_H),
    "nonce too long": txt(b"v=2", b"n=" + b64(bytes(17)), GOOD_H),
    "nonce empty": txt(b"v=2", b"n=", GOOD_H),
    "nonce with padding": txt(b"v=2", b"n=" + base64.urlsafe_b64encode(bytes(16)), GOOD_H),
    "nonce in standard base64": txt(b"v=2", b"n=" + b"+" * 21 + b"A", GOOD_H),
    "nonce with a space": txt(b"v=2", b"n=" + b"A" * 21 + b" ", GOOD_H),
    "nonce not canonical": txt(b"v=2", b"n=" + b"A" * 21 + b"B", GOOD_H),
    "nonce not ascii": txt(b"v=2", b"n=" + "é".encode() * 11, GOOD_H),
    "seven hints": txt(b"v=2", GOOD_N, b"h=" + b64(bytes(28))),
    "nine hints": txt(b"v=2", GOOD_N, b"h=" + b64(bytes(36))),
    "a hint too short": txt(b"v=2", GOOD_N, b"h=" + b64(bytes(31))),
    "hints not base64": txt(b"v=2", GOOD_N, b"h=" + b"!" * 43),
    "record too long": txt(b"v=2", GOOD_N, GOOD_H) + txt(b"x" * 200),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_txt_is_refused_with_a_reason(name: str) -> None:
    with pytest.raises(MalformedAnnouncement) as info:
        parse_txt(MALFORMED[name])
    assert info.value.reason


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_txt_is_ignored_with_a_debug_log(
    name: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="network.discovery.hints"):
        assert read_txt(MALFORMED[name]) is None
        assert match_txt(MALFORMED[name], [K1]) == set()
    assert all(r.levelno == logging.DEBUG for r in caplog.records)
    assert any("ignoring announcement" in r.getMessage() for r in caplog.records)


def test_other_versions_are_unsupported_not_crashes() -> None:
    for other in (b"v=1", b"v=3"):  # 1: before the challenge-first dial (hello.py)
        future = txt(other, b"anything=goes")
        with pytest.raises(UnsupportedVersion, match="version"):
            parse_txt(future)
        assert read_txt(future) is None


def test_not_bytes_is_refused() -> None:
    with pytest.raises(MalformedAnnouncement):
        parse_txt("v=2")  # type: ignore[arg-type]


def test_strings_may_come_in_any_order() -> None:
    announcement = build_announcement([K1], seeded())
    text = encode_txt(announcement)
    v, n, h = text[:4], text[4:29], text[29:]
    assert parse_txt(h + v + n) == announcement


@given(st.binary(max_size=300))
def test_random_bytes_never_crash_the_parser(data: bytes) -> None:
    assert read_txt(data) is None or isinstance(read_txt(data), Announcement)


@given(st.integers(min_value=0, max_value=74), st.integers(min_value=0, max_value=255))
def test_any_single_byte_change_is_refused_or_parsed(position: int, value: int) -> None:
    text = bytearray(build_txt([K1], seeded()))
    text[position] = value
    result = read_txt(bytes(text))
    assert result is None or len(result.hints) == HINT_SLOTS


def test_a_bad_rng_is_caught() -> None:
    with pytest.raises(ValueError, match="rng"):
        build_txt([K1], lambda n: b"\x00")
    with pytest.raises(ValueError, match="rng"):
        build_txt([K1], lambda n: b"\xff" * n)  # every shuffle draw is rejected
