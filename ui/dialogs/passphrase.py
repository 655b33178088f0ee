"""A rough passphrase strength estimate, in words a person can act on.

An estimate, not a guarantee: it counts length and the kinds of characters, and rewards several
words. Hearth never refuses a passphrase the person insists on beyond :data:`MIN_LENGTH`.
"""

from __future__ import annotations

import math
from enum import Enum

from PySide6.QtCore import QCoreApplication

from messenger.profile_open import MIN_PASSPHRASE_LENGTH

translate = QCoreApplication.translate
MIN_LENGTH = MIN_PASSPHRASE_LENGTH  # one minimum for the GUI and the headless core
WORD_BITS = 11.0


class Strength(Enum):
    EMPTY = "empty"
    TOO_SHORT = "too_short"
    WEAK = "weak"
    FAIR = "fair"
    STRONG = "strong"


def _class_bits(text: str) -> float:
    """Length times the log of the character pool, with repeats counted at most twice."""
    if not text:
        return 0.0
    pool = 0
    if any(c.islower() for c in text):
        pool += 26
    if any(c.isupper() for c in text):
        pool += 26
    if any(c.isdigit() for c in text):
        pool += 10
    if any(not c.isalnum() and not c.isspace() for c in text):
        pool += 33
    if any(ord(c) > 127 for c in text):
        pool += 50
    effective = min(len(text), 2 * len(set(text)))
    return effective * math.log2(max(pool, 2))


def _word_bits(word: str) -> float:
    if word.isdigit():
        return len(word) * math.log2(10)
    if word.isalpha():
        return WORD_BITS  # as if drawn from a list of a few thousand words
    return min(_class_bits(word), WORD_BITS + 5)


def estimate_bits(passphrase: str) -> float:
    """Several words count as words (about 11 bits each); one token by its characters."""
    words = passphrase.split()
    if len(words) >= 2:
        return sum(_word_bits(w) for w in words)
    return _class_bits(passphrase)


def strength(passphrase: str) -> Strength:
    if not passphrase:
        return Strength.EMPTY
    if len(passphrase) < MIN_LENGTH:
        return Strength.TOO_SHORT
    bits = estimate_bits(passphrase)
    if len(passphrase.split()) >= 2:
        strong, fair = 44.0, 33.0  # four words, three words
    else:  # one token: character classes overestimate what people type, ask for more
        strong, fair = 75.0, 50.0
    if bits >= strong:
        return Strength.STRONG
    if bits >= fair:
        return Strength.FAIR
    return Strength.WEAK


def strength_hint(value: Strength) -> str:
    return {
        Strength.EMPTY: "",
        Strength.TOO_SHORT: translate(
            "Passphrase", "Too short: use at least 8 characters — a few words work well."
        ),
        Strength.WEAK: translate(
            "Passphrase", "Weak: add a few more words — a sentence only you would think of."
        ),
        Strength.FAIR: translate("Passphrase", "Fair: one or two more words would make it strong."),
        Strength.STRONG: translate("Passphrase", "Strong."),
    }[value]
