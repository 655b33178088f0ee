"""Pseudonyms: generated ("Quiet Heron") or chosen, one per circle, checked before use.

A generated pseudonym is a calm adjective and a nature noun drawn with :mod:`secrets` from
``resources/words/adjectives.txt`` and ``nouns.txt`` (about 245 x 280 ≈ 68,000 combinations:
enough to avoid clashes in a small circle, and ``avoid`` makes sure of it).

A chosen pseudonym goes through :func:`validate`, which returns the canonical form (Unicode NFC,
trimmed, inner runs of spaces collapsed to one) or raises :class:`PseudonymError` with a
:class:`PseudonymProblem`. The same check runs on pseudonyms that arrive from other members.
"""

from __future__ import annotations

import random
import secrets
import unicodedata
from collections.abc import Collection
from enum import Enum

from .errors import HearthError
from .wordlist import load_words

MAX_LENGTH = 32
"""Most characters (Unicode code points, after normalisation) a pseudonym may have."""

MAX_BYTES = 4 * MAX_LENGTH
"""Most UTF-8 bytes a pseudonym may take (what a wire decoder may accept before validating)."""

MAX_MARKS_IN_A_ROW = 3
"""Combining marks allowed on one character (letters like "ệ" need two; "Zalgo" text needs more)."""

# Names that would let someone pass for the app, the host or the reader ("You") in the UI.
RESERVED = frozenset(
    {
        "admin",
        "administrator",
        "anonymous",
        "everyone",
        "hearth",
        "host",
        "me",
        "mod",
        "moderator",
        "moderators",
        "system",
        "you",
    }
)

_ZWJ = "\u200d"  # joins emoji sequences (👩‍🌾); the one invisible format character allowed
_VISIBLE_CATEGORIES = ("L", "N", "P", "S")


class PseudonymProblem(Enum):
    NOT_TEXT = "not_text"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    CONTROL = "control_characters"
    INVISIBLE = "invisible_characters"
    UNSUPPORTED = "unsupported_characters"
    MARKS = "too_many_marks"
    RESERVED = "reserved"


_MESSAGES = {
    PseudonymProblem.NOT_TEXT: "A pseudonym must be text.",
    PseudonymProblem.EMPTY: "Please choose a pseudonym with at least one visible character.",
    PseudonymProblem.TOO_LONG: f"A pseudonym can have at most {MAX_LENGTH} characters.",
    PseudonymProblem.CONTROL: "A pseudonym cannot contain line breaks, tabs or control codes.",
    PseudonymProblem.INVISIBLE: "A pseudonym cannot contain invisible or direction characters.",
    PseudonymProblem.UNSUPPORTED: "A pseudonym cannot contain unassigned or private characters.",
    PseudonymProblem.MARKS: "A pseudonym cannot stack that many accents on one character.",
    PseudonymProblem.RESERVED: "That name is reserved so nobody can pass for the host or the app.",
}


class PseudonymError(HearthError):
    """A pseudonym that cannot be used; ``problem`` says why, the text says it to a person."""

    code = "bad_pseudonym"

    def __init__(self, problem: PseudonymProblem) -> None:
        super().__init__(_MESSAGES[problem])
        self.problem = problem


def adjectives() -> tuple[str, ...]:
    return load_words("adjectives.txt")


def nouns() -> tuple[str, ...]:
    return load_words("nouns.txt")


def generate(avoid: Collection[str] = (), rng: random.Random | None = None) -> str:
    """A fresh "Adjective Noun" pseudonym, not equal (ignoring case) to any name in ``avoid``.

    ``rng`` is for tests only; by default the words come from :mod:`secrets`.
    """
    choose = rng.choice if rng is not None else secrets.choice
    taken = {comparison_key(name) for name in avoid}
    name = ""
    for _ in range(64):
        name = f"{choose(adjectives())} {choose(nouns())}"
        if comparison_key(name) not in taken:
            return name
    # 64 clashes in a row only happen when nearly every combination is taken: number it.
    for number in range(2, 1000):
        numbered = f"{name} {number}"
        if comparison_key(numbered) not in taken:
            return numbered
    raise PseudonymError(PseudonymProblem.RESERVED)  # pragma: no cover - a million names taken


def comparison_key(name: str) -> str:
    """How two pseudonyms are compared for "the same name": NFKC, case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def validate(text: object) -> str:
    """The canonical form of ``text`` as a pseudonym, or :class:`PseudonymError`."""
    if not isinstance(text, str):
        raise PseudonymError(PseudonymProblem.NOT_TEXT)
    name = unicodedata.normalize("NFC", text).strip()
    if len(name) > 4 * MAX_LENGTH:  # refuse huge inputs before looking at every character
        raise PseudonymError(PseudonymProblem.TOO_LONG)
    marks = 0
    for char in name:
        category = unicodedata.category(char)
        if char.isspace():
            if category != "Zs":  # tabs, line breaks, separators
                raise PseudonymError(PseudonymProblem.CONTROL)
        elif category == "Cc":
            raise PseudonymError(PseudonymProblem.CONTROL)
        elif category == "Cf" and char != _ZWJ:
            raise PseudonymError(PseudonymProblem.INVISIBLE)
        elif category in ("Cn", "Co", "Cs"):
            raise PseudonymError(PseudonymProblem.UNSUPPORTED)
        marks = marks + 1 if category in ("Mn", "Me") else 0
        if marks > MAX_MARKS_IN_A_ROW:
            raise PseudonymError(PseudonymProblem.MARKS)
    name = " ".join(name.split())
    if not any(unicodedata.category(c).startswith(_VISIBLE_CATEGORIES) for c in name):
        raise PseudonymError(PseudonymProblem.EMPTY)
    if len(name) > MAX_LENGTH or len(name.encode("utf-8")) > MAX_BYTES:
        raise PseudonymError(PseudonymProblem.TOO_LONG)
    bare = "".join(c for c in comparison_key(name) if unicodedata.category(c)[0] in "LN")
    if bare in RESERVED:
        raise PseudonymError(PseudonymProblem.RESERVED)
    return name


def is_valid(text: object) -> bool:
    try:
        validate(text)
    except PseudonymError:
        return False
    return True
