"""Generated and chosen pseudonyms."""

from __future__ import annotations

import random
import unicodedata

import pytest

from messenger import pseudonym
from messenger.pseudonym import PseudonymError, PseudonymProblem, comparison_key, validate


def test_generated_names_are_adjective_noun_and_valid() -> None:
    rng = random.Random(7)
    for _ in range(300):
        name = pseudonym.generate(rng=rng)
        adjective, noun = name.split(" ")
        assert adjective in pseudonym.adjectives() and noun in pseudonym.nouns()
        assert validate(name) == name


def test_generated_names_use_secrets_by_default() -> None:
    names = {pseudonym.generate() for _ in range(50)}
    assert len(names) > 40  # 68,000 combinations: repeats in 50 draws are rare


def test_generate_avoids_taken_names_ignoring_case() -> None:
    everything = [f"{a} {n}".upper() for a in pseudonym.adjectives() for n in pseudonym.nouns()]
    taken = set(everything) - {everything[1234]}
    # Nearly all taken: the generator falls back to numbering rather than looping forever.
    name = pseudonym.generate(avoid=taken, rng=random.Random(1))
    assert comparison_key(name) not in {comparison_key(t) for t in taken}


def test_word_lists_are_calm_sized_and_clean() -> None:
    for words in (pseudonym.adjectives(), pseudonym.nouns()):
        assert 200 <= len(words) <= 400
        assert len(set(words)) == len(words)
        assert all(w.isalpha() and w[0].isupper() and len(w) <= 14 for w in words)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quiet Heron", "Quiet Heron"),
        ("  Quiet   Heron \n", "Quiet Heron"),
        ("Zoe\u0308", "Zoë"),  # NFC: combining diaeresis becomes one character
        ("Ana\u00a0María", "Ana María"),  # a non-breaking space becomes a plain one
        ("李小龙", "李小龙"),
        ("👩\u200d🌾 Gardener", "👩\u200d🌾 Gardener"),  # ZWJ emoji sequences are fine
        ("x" * 32, "x" * 32),
        ("R", "R"),
        ("Hostess", "Hostess"),  # contains a reserved word, is not one
    ],
)
def test_valid_pseudonyms_are_normalised(text: str, expected: str) -> None:
    assert validate(text) == expected
    assert unicodedata.is_normalized("NFC", validate(text))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", PseudonymProblem.EMPTY),
        ("   \n\t ", PseudonymProblem.EMPTY),
        ("\u200d", PseudonymProblem.EMPTY),  # only an invisible joiner
        ("\u0301\u0301", PseudonymProblem.EMPTY),  # only combining marks
        ("x" * 33, PseudonymProblem.TOO_LONG),
        ("x" * 5000, PseudonymProblem.TOO_LONG),
        ("Quiet\nHeron", PseudonymProblem.CONTROL),
        ("Quiet\tHeron", PseudonymProblem.CONTROL),
        ("Quiet\x00Heron", PseudonymProblem.CONTROL),
        ("Quiet\x1bHeron", PseudonymProblem.CONTROL),
        ("Quiet\u2028Heron", PseudonymProblem.CONTROL),
        ("\u202eHeron", PseudonymProblem.INVISIBLE),  # right-to-left override
        ("Her\u200bon", PseudonymProblem.INVISIBLE),  # zero-width space
        ("Heron\ufeff", PseudonymProblem.INVISIBLE),
        ("\ue000Heron", PseudonymProblem.UNSUPPORTED),  # private use
        ("\U000e0100x\u0378", PseudonymProblem.UNSUPPORTED),  # unassigned
        ("Z\u0300\u0301\u0302\u0303\u0304", PseudonymProblem.MARKS),
        ("Host", PseudonymProblem.RESERVED),
        ("  MODERATOR ", PseudonymProblem.RESERVED),
        ("H.o.s.t", PseudonymProblem.RESERVED),
        ("Ｈｏｓｔ", PseudonymProblem.RESERVED),  # full-width letters
        ("You", PseudonymProblem.RESERVED),
        ("Hearth", PseudonymProblem.RESERVED),
        (42, PseudonymProblem.NOT_TEXT),
        (None, PseudonymProblem.NOT_TEXT),
    ],
)
def test_invalid_pseudonyms_say_why(text: object, problem: PseudonymProblem) -> None:
    with pytest.raises(PseudonymError) as caught:
        validate(text)
    assert caught.value.problem is problem
    assert caught.value.code == "bad_pseudonym" and str(caught.value)
    assert not pseudonym.is_valid(text)


def test_comparison_key_folds_case_width_and_spaces() -> None:
    assert comparison_key("Quiet  HERON") == comparison_key("quiet heron")
    assert comparison_key("Ｑｕｉｅｔ Heron") == comparison_key("quiet heron")
