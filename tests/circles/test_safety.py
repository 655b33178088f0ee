"""Safety numbers: symmetric, per pair, per circle, stable, readable."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable

import pytest

from messenger.safety import SafetyError, circle_code, pair_code

CIRCLE = bytes(16)
A, B, C = bytes([1]) * 32, bytes([2]) * 32, bytes([3]) * 32


def test_pair_code_is_six_groups_of_five_digits() -> None:
    code = pair_code(CIRCLE, A, B)
    assert re.fullmatch(r"\d{5}( \d{5}){5}", str(code))
    assert len(code.digits) == 30


def test_pair_code_is_symmetric() -> None:
    for _ in range(20):
        x, y = os.urandom(32), os.urandom(32)
        assert pair_code(CIRCLE, x, y) == pair_code(CIRCLE, y, x)


def test_pair_code_differs_per_pair_and_per_circle() -> None:
    codes = {str(pair_code(CIRCLE, x, y)) for x, y in ((A, B), (A, C), (B, C))}
    assert len(codes) == 3
    assert pair_code(CIRCLE, A, B) != pair_code(bytes([9]) * 16, A, B)


def test_pair_code_is_stable() -> None:
    assert str(pair_code(CIRCLE, A, B)) == "11449 37071 30736 09962 85202 28121"
    digest = hashlib.blake2b(CIRCLE + A + B, person=b"hearth-safety-pr", digest_size=30).digest()
    first = int.from_bytes(digest[:5], "big") % 100000
    assert pair_code(CIRCLE, A, B).groups[0] == f"{first:05d}"


def test_circle_code_is_four_groups_of_four_and_order_free() -> None:
    code = circle_code(CIRCLE, [A, B, C])
    assert re.fullmatch(r"\d{4}( \d{4}){3}", str(code))
    assert str(code) == "8940 5560 0984 0841"
    assert circle_code(CIRCLE, [C, A, B, A]) == code  # order and duplicates do not matter
    assert circle_code(CIRCLE, [A, B]) != code  # a missing member changes it
    assert circle_code(CIRCLE, [A, B, C, os.urandom(32)]) != code  # an extra one too
    assert circle_code(bytes([9]) * 16, [A, B, C]) != code


def test_matches_what_people_type() -> None:
    code = pair_code(CIRCLE, A, B)
    assert code.matches("11449-37071-30736-09962-85202-28121")
    assert code.matches(" 114493707130736 0996285202 28121 ")
    assert not code.matches("11449 37071 30736 09962 85202 28120")


@pytest.mark.parametrize(
    "call",
    [
        lambda: pair_code(CIRCLE, A, A),
        lambda: pair_code(CIRCLE, A, b"short"),
        lambda: circle_code(CIRCLE, []),
        lambda: circle_code(CIRCLE, [A, bytes(31)]),
    ],
)
def test_bad_input_is_a_typed_error(call: Callable[[], object]) -> None:
    with pytest.raises(SafetyError):
        call()
