"""A rough passphrase strength estimate, in words a person can act on.

An estimate, not a guarantee: it counts length and the kinds of characters, and rewards several
words. Hearth never refuses a passphrase the person insists on beyond :data:`MIN_LENGTH`.
"""

from __future__ import annotations

import math
from enum import Enum

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate
MIN_LENGTH = 8


class Strength(Enum):
    EMPTY = "empty"
    TOO_SHORT = "too_short"
    WEAK = "weak"
    FAIR = "fair"
    STRONG = "strong"


def estimate_bits(passphrase: str) -> float:
    if not passphrase:
        return 0.0
    pool = 0
    if any(c.islower() for c in passphrase):
        pool += 26
    if any(c.isupper() for c in passphrase):
        pool += 26
    if any(c.isdigit() for c in passphrase):
        pool += 10
    if any(not c.isalnum() for c in passphrase):
        pool += 33
    if any(ord(c) > 127 for c in passphrase):
        pool += 50
    distinct = len(set(passphrase))
    # Repeats add little: count the length as at most twice the distinct characters.
    effective = min(len(passphrase), 2 * distinct)
    return effective * math.log2(max(pool, 2))


def strength(passphrase: str) -> Strength:
    if not passphrase:
        return Strength.EMPTY
    if len(passphrase) < MIN_LENGTH:
        return Strength.TOO_SHORT
    bits = estimate_bits(passphrase)
    words = len([w for w in passphrase.split() if len(w) >= 3])
    if bits >= 75 or (words >= 4 and len(passphrase) >= 20):
        return Strength.STRONG
    if bits >= 50 or (words >= 3 and len(passphrase) >= 14):
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
