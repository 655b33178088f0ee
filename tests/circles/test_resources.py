"""Bundled word lists and goodbye templates."""

from __future__ import annotations

import random

import pytest

from messenger import goodbyes, joincode, wordlist
from messenger.wordlist import ResourceError


def _one_edit_apart(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i, j = diff[0], diff[-1]
        return len(diff) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def test_join_code_words_are_1024_distinct_plain_words() -> None:
    words = joincode.words()
    assert len(words) == 1024 == len(set(words))
    assert all(w.isascii() and w.isalpha() and w.islower() and 3 <= len(w) <= 8 for w in words)


def test_no_two_join_code_words_are_one_typo_apart() -> None:
    by_length: dict[int, list[str]] = {}
    for word in joincode.words():
        by_length.setdefault(len(word), []).append(word)
    close = [
        (a, b)
        for length, group in by_length.items()
        for a in group
        for b in group + by_length.get(length + 1, [])
        if a < b and _one_edit_apart(a, b)
    ]
    assert not close


def test_goodbyes_load_and_are_kind_and_short() -> None:
    lines = goodbyes.goodbyes()
    assert len(lines) >= 5
    assert all(0 < len(line) <= goodbyes.MAX_GOODBYE for line in lines)
    assert goodbyes.default_goodbye() == lines[0] == "Thank you for sharing — I'm stepping out now."
    assert goodbyes.random_goodbye(random.Random(3)) in lines
    assert goodbyes.random_goodbye() in lines


def test_a_missing_resource_is_a_typed_error() -> None:
    with pytest.raises(ResourceError):
        wordlist.load_lines("words", "no-such-list.txt")
