"""Boundaries: words or topics a person does not want to read about without warning.

A post that mentions one collapses behind a notice naming what matched (:mod:`.personal`).
Matching, in :func:`matches_boundaries`:

- **folded text**: Unicode compatibility-decomposed, accents dropped, case-folded,
  so "Café", "CAFE" and "café" are one word, as are full-width and ligature forms;
- **whole words**: the text is split into words (letters, digits); a boundary matches a run of
  whole words, never the inside of a word ("ass" does not hit "class");
  a boundary of several words ("panic attack") matches them in a row, whatever separates them
  ("panic-attack", "panic  attack");
- **simple plurals**, on the last word, both ways: s, es (after s, x, z, ch, sh), y → ies,
  f/fe → ves;
- **scripts written without spaces** (Chinese, Japanese, Thai, Lao, Khmer, Myanmar): a boundary
  in them matches anywhere, since there are no word breaks to respect.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import PersonalError, Reason

MAX_BOUNDARIES = 200
MAX_BOUNDARY_CHARS = 100
_WORD = re.compile(r"[^\W_]+")
_NO_SPACE_RANGES = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x2FA1F),  # CJK extensions B..
)


_DIACRITICS = (
    (0x0300, 0x036F),  # combining diacritical marks
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
)


_DROP_DIACRITICS: dict[int, None] = {
    code: None for lo, hi in _DIACRITICS for code in range(lo, hi + 1)
}


def fold(text: str) -> str:
    """Text for comparing: compatibility-decomposed, accents dropped, case-folded.

    Only the combining *diacritics* go (é → e, ñ → n, İ → i); marks that are letters' vowel
    signs in other scripts (Devanagari, Japanese kana voicing) stay, so words stay distinct.
    """
    if text.isascii():
        return text.lower()
    bare = unicodedata.normalize("NFKD", text).translate(_DROP_DIACRITICS)
    return unicodedata.normalize("NFKC", bare.casefold())


def words(text: str) -> list[str]:
    """The folded words of ``text``."""
    return _tokens(fold(text))


def _tokens(folded: str) -> list[str]:
    """Words: runs of letters, digits and the marks that belong to them."""
    if folded.isascii():
        return _WORD.findall(folded)
    out: list[str] = []
    start = -1
    for i, char in enumerate(folded):
        inside = char.isalnum() or unicodedata.category(char)[0] == "M"
        if inside and start < 0:
            start = i
        elif not inside and start >= 0:
            out.append(folded[start:i])
            start = -1
    if start >= 0:
        out.append(folded[start:])
    return out


def _no_space(text: str) -> bool:
    return any(lo <= ord(c) <= hi for c in text for lo, hi in _NO_SPACE_RANGES)


def _singulars(word: str) -> set[str]:
    out = set()
    if len(word) > 4 and word.endswith("ies"):
        out.add(word[:-3] + "y")
    if len(word) > 3 and word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh")):
        out.add(word[:-2])
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        out.add(word[:-1])
    if len(word) > 4 and word.endswith("ves"):
        out.update((word[:-3] + "f", word[:-3] + "fe"))
    return out


def _plurals(word: str) -> set[str]:
    out = {word + "s"}
    if word.endswith(("s", "x", "z", "ch", "sh")):
        out.add(word + "es")
    if len(word) > 1 and word.endswith("y") and word[-2] not in "aeiou":
        out.add(word[:-1] + "ies")
    if len(word) > 2 and word.endswith("fe"):
        out.add(word[:-2] + "ves")
    elif len(word) > 1 and word.endswith("f"):
        out.add(word[:-1] + "ves")
    return out


def variants(word: str) -> frozenset[str]:
    """The forms of a (folded) word that count as the same: itself, singular and plural."""
    if not word.isalpha():
        return frozenset({word})
    bases = {word, *_singulars(word)}
    return frozenset(bases.union(*(_plurals(b) for b in bases)))


@dataclass(frozen=True)
class Boundary:
    text: str  # as the person wrote it (trimmed)
    head: tuple[str, ...]  # folded words before the last
    last: frozenset[str]  # the forms of the last word
    substring: str | None  # for scripts without spaces: the folded text to find


@dataclass(frozen=True)
class BoundaryMatcher:
    """Compiled boundaries (:func:`compile_boundaries`): cheap to match many posts against."""

    boundaries: tuple[Boundary, ...] = ()

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(b.text for b in self.boundaries)

    def match(self, text: str) -> tuple[str, ...]:
        """The boundaries ``text`` mentions, in the order they were given."""
        if not self.boundaries or not text:
            return ()
        folded = fold(text)
        tokens = _tokens(folded)
        present = set(tokens)
        squashed: str | None = None
        found = []
        for boundary in self.boundaries:
            if boundary.substring is not None:
                if squashed is None:
                    squashed = "".join(folded.split())
                if boundary.substring in squashed:
                    found.append(boundary.text)
            elif _has_run(boundary, tokens, present):
                found.append(boundary.text)
        return tuple(found)


def _has_run(boundary: Boundary, tokens: list[str], present: set[str]) -> bool:
    if not boundary.head:
        return not boundary.last.isdisjoint(present)
    first = boundary.head[0]
    if first not in present:
        return False
    n = len(boundary.head)
    for i, token in enumerate(tokens[: len(tokens) - n]):
        if (
            token == first
            and tuple(tokens[i : i + n]) == boundary.head
            and tokens[i + n] in boundary.last
        ):
            return True
    return False


def compile_boundaries(texts: Iterable[str]) -> BoundaryMatcher:
    """Check and compile a person's boundaries; raises :class:`PersonalError` (``too_many``,
    ``oversize``, ``empty``). Boundaries that fold to the same words (or to a plural of them)
    are kept once, as first written."""
    compiled: list[Boundary] = []
    for raw in texts:
        if not isinstance(raw, str):
            raise PersonalError(Reason.BAD_TYPE, "a boundary must be text")
        text = " ".join(raw.split())
        if len(text) > MAX_BOUNDARY_CHARS:
            raise PersonalError(
                Reason.OVERSIZE, f"a boundary can have at most {MAX_BOUNDARY_CHARS} characters"
            )
        tokens = tuple(words(text))
        if not tokens:
            raise PersonalError(Reason.EMPTY, "a boundary needs at least one word")
        if any(b.head == tokens[:-1] and tokens[-1] in b.last for b in compiled):
            continue  # the same words, or a plural of them
        substring = "".join(fold(text).split()) if _no_space(text) else None
        compiled.append(Boundary(text, tokens[:-1], variants(tokens[-1]), substring))
        if len(compiled) > MAX_BOUNDARIES:
            raise PersonalError(Reason.TOO_MANY, f"at most {MAX_BOUNDARIES} boundaries")
    return BoundaryMatcher(tuple(compiled))


def matches_boundaries(body: str, boundaries: Iterable[str] | BoundaryMatcher) -> tuple[str, ...]:
    """The boundaries (as written) that ``body`` mentions, in the order given (see the module
    docstring for how words match)."""
    matcher = (
        boundaries if isinstance(boundaries, BoundaryMatcher) else compile_boundaries(boundaries)
    )
    return matcher.match(body)
