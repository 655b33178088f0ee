"""Spoken join codes: format, parsing, discovery hint, expiry."""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable

import pytest

from messenger import joincode
from messenger.joincode import (
    Invitation,
    InvitationState,
    JoinCode,
    JoinCodeError,
    JoinCodeProblem,
    discovery_key,
    looks_like_code,
    parse,
)

CODE = JoinCode(7, ("amber", "lantern"))


def test_format() -> None:
    assert str(CODE) == "7-amber-lantern"
    assert CODE.spoken() == "7, amber, lantern"
    assert CODE.password == b"hearth-joincode-v1:7-amber-lantern"


def test_generated_codes_have_the_format_and_vary() -> None:
    rng = random.Random(5)
    codes = [joincode.generate(rng=rng) for _ in range(300)]
    for code in codes:
        assert re.fullmatch(r"[1-9][0-9]?-[a-z]{3,8}-[a-z]{3,8}", str(code))
        assert parse(str(code)) == code
    assert len({str(c) for c in codes}) == len(codes)
    assert len({c.channel for c in codes}) > 60
    assert len({str(joincode.generate()) for _ in range(20)}) == 20  # from secrets


def test_generate_avoids_busy_channels() -> None:
    busy = set(range(1, 99))
    assert all(joincode.generate(avoid_channels=busy).channel == 99 for _ in range(5))
    assert 1 <= joincode.generate(avoid_channels=set(range(1, 100))).channel <= 99


@pytest.mark.parametrize(
    "typed",
    [
        "7-amber-lantern",
        "7 amber lantern",
        "7 Amber Lantern",
        "  07-AMBER-lantern  ",
        "7_amber_lantern",
        "7.amber.lantern",
        "7 - amber - lantern",
        "7amber lantern",
        "7\tamber\nlantern",
        "7–amber—lantern",  # en and em dashes from autocorrect
        "７ amber lantern",  # full-width digit
        "7, amber, lantern",  # as spoken() writes it
    ],
)
def test_parse_forgives_case_and_separators(typed: str) -> None:
    assert parse(typed) == CODE
    assert parse(typed).password == CODE.password


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", JoinCodeProblem.EMPTY),
        ("   ", JoinCodeProblem.EMPTY),
        ("amber lantern", JoinCodeProblem.MALFORMED),
        ("7 amber", JoinCodeProblem.MALFORMED),
        ("7 amber lantern heron", JoinCodeProblem.MALFORMED),
        ("7 amber 5", JoinCodeProblem.MALFORMED),
        ("amber 7 lantern", JoinCodeProblem.MALFORMED),
        ("7 amber lantern!", JoinCodeProblem.MALFORMED),
        ("7 ämber lantern", JoinCodeProblem.MALFORMED),
        ("x" * 500, JoinCodeProblem.MALFORMED),
        ("0 amber lantern", JoinCodeProblem.BAD_CHANNEL),
        ("100 amber lantern", JoinCodeProblem.BAD_CHANNEL),
        ("99999999999999999999 amber lantern", JoinCodeProblem.BAD_CHANNEL),
        ("7 amber lanturn", JoinCodeProblem.UNKNOWN_WORD),
        ("7 lemming lantern", JoinCodeProblem.UNKNOWN_WORD),
    ],
)
def test_parse_says_what_is_wrong(typed: str, problem: JoinCodeProblem) -> None:
    with pytest.raises(JoinCodeError) as caught:
        parse(typed)
    assert caught.value.problem is problem and str(caught.value)


def test_unknown_word_suggests_close_ones() -> None:
    with pytest.raises(JoinCodeError) as caught:
        parse("7 amber lanturn")
    assert caught.value.word == "lanturn" and "lantern" in caught.value.suggestions
    assert "lantern" in str(caught.value)


def test_not_text_is_refused() -> None:
    with pytest.raises(JoinCodeError):
        parse(7)


@pytest.mark.parametrize(
    "make",
    [
        lambda: JoinCode(0, ("amber", "lantern")),
        lambda: JoinCode(100, ("amber", "lantern")),
        lambda: JoinCode(True, ("amber", "lantern")),
        lambda: JoinCode(7, ("amber",)),
        lambda: JoinCode(7, ("amber", "nope")),
    ],
)
def test_codes_are_checked_when_made(make: Callable[[], object]) -> None:
    with pytest.raises(JoinCodeError):
        make()


def test_discovery_key_per_channel() -> None:
    expected = hashlib.blake2b(b"7", person=b"hearth-joincode", digest_size=32).digest()
    assert discovery_key(7) == expected == CODE.discovery_key
    assert expected.hex() == "9433bd58470bd6673ebe9352c795d8e8c840621f4dbc018336091f0dd442621c"
    assert len({discovery_key(c) for c in range(1, 100)}) == 99
    for bad in (0, 100, -1):
        with pytest.raises(JoinCodeError):
            discovery_key(bad)


def test_invitation_expires_after_ten_minutes() -> None:
    invitation = Invitation(CODE, "hearth://join/x", now=1000.0)
    assert invitation.expires_at == 1600.0
    assert invitation.state(1000.0) is InvitationState.OPEN
    assert invitation.state(1599.9) is InvitationState.OPEN
    assert invitation.state(1600.0) is InvitationState.EXPIRED
    assert invitation.state(99999.0) is InvitationState.EXPIRED
    invitation.cancel()
    assert invitation.state(1001.0) is InvitationState.CANCELLED


def test_looks_like_code() -> None:
    assert looks_like_code("7-amber-lantern") and looks_like_code(" 12 Amber Lantern ")
    assert not looks_like_code("hearth://join/abc") and not looks_like_code("amber lantern")
