"""Boundary matching: case, accents, plurals and scripts, and never inside another word."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from messenger.moderation import PersonalError, Reason, compile_boundaries, matches_boundaries
from messenger.moderation.boundaries import MAX_BOUNDARIES, fold, variants


@pytest.mark.parametrize(
    ("body", "boundary"),
    [
        ("Spiders everywhere", "spider"),
        ("SPIDER!", "Spider"),
        ("a spider", "spiders"),
        ("we went to the Café", "cafe"),
        ("we went to the cafe", "café"),
        ("El ñandú corre", "Nandu"),
        ("ＳＰＩＤＥＲ", "spider"),  # full-width letters
        ("ﬁre", "fire"),  # a ligature
        ("İstanbul", "istanbul"),  # dotted capital I
        ("Straße", "strasse"),
        ("boxes of it", "box"),
        ("one box", "boxes"),
        ("the parties", "party"),
        ("a party", "parties"),
        ("churches", "church"),
        ("two knives", "knife"),
        ("a knife", "knives"),
        ("wolves", "wolf"),
        ("a panic-attack again", "panic attack"),
        ("Panic  attacks.", "panic attack"),
        ("he said self_harm", "self harm"),
        ("我想自杀了", "自杀"),  # no spaces in Chinese: found anywhere
        ("タバコを吸う", "タバコ"),
        ("มันเกี่ยวกับความตาย", "ความตาย"),  # Thai
        ("मृत्यु के बारे में", "मृत्यु"),  # Devanagari: vowel signs stay part of the word
        ("«grief», she said", "grief"),
    ],
)
def test_matches(body: str, boundary: str) -> None:
    assert matches_boundaries(body, [boundary]) == (boundary,)


@pytest.mark.parametrize(
    ("body", "boundary"),
    [
        ("first class", "ass"),  # never inside a word
        ("assess", "ass"),
        ("concatenate", "cat"),
        ("a broken heart", "art"),
        ("panic, then an attack", "panic attack"),  # words in a row only
        ("attack panic", "panic attack"),
        ("かんじ", "がん"),  # kana voicing marks are not accents
        ("मत", "मृत्यु"),
        ("class", "cla"),
        ("", "spider"),
        ("spiderman", "spider"),
    ],
)
def test_does_not_match(body: str, boundary: str) -> None:
    assert matches_boundaries(body, [boundary]) == ()


def test_results_in_the_order_given_once_each() -> None:
    matcher = compile_boundaries(["Spider", "snake", "SPIDERS", "  spider  ", "dogs"])
    assert matcher.texts == ("Spider", "snake", "dogs")
    assert matcher.match("a dog and a snake and spiders") == ("Spider", "snake", "dogs")
    assert matches_boundaries("nothing here", matcher) == ()


def test_variants() -> None:
    assert variants("spider") == {"spider", "spiders"}
    assert "parties" in variants("party") and "party" in variants("parties")
    assert variants("42") == {"42"}
    assert fold("Crème Brûlée") == "creme brulee"


@pytest.mark.parametrize(
    ("boundaries", "reason"),
    [
        (["x" * 101], Reason.OVERSIZE),
        (["!!!"], Reason.EMPTY),
        (["   "], Reason.EMPTY),
        ([f"word{i}" for i in range(MAX_BOUNDARIES + 1)], Reason.TOO_MANY),
        ([3], Reason.BAD_TYPE),
    ],
)
def test_unusable_boundaries(boundaries: list[object], reason: Reason) -> None:
    with pytest.raises(PersonalError) as info:
        compile_boundaries(boundaries)  # type: ignore[arg-type]
    assert info.value.reason is reason
    assert info.value.code == "bad_personal_setting"


word = st.text(alphabet=st.characters(categories=("Ll", "Lu")), min_size=2, max_size=12).filter(
    lambda w: w.isalpha() and len(fold(w)) >= 2 and fold(w).isalpha()
)


@settings(max_examples=200, deadline=None)
@given(w=word, before=word, after=word)
def test_any_word_matches_whole_and_never_inside(w: str, before: str, after: str) -> None:
    assert matches_boundaries(f"{before} {w}, {after}", [w]) == (w,)
    if fold(w.upper()) == fold(w):
        assert matches_boundaries(f"{before} {w.upper()}!", [w]) == (w,)
    glued = f"{before}{w}{after}"
    if fold(glued) not in variants(fold(w)):
        assert matches_boundaries(glued, [w]) == ()
