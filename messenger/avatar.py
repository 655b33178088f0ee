"""Avatars without pictures: a colour chosen by the member's key and initials from the pseudonym.

The colour comes from a fixed palette of muted, warm hues, every one of which keeps white
initials readable (WCAG contrast at least 4.5:1, checked by the tests). It is picked by hashing
the member key, so it is stable for a member and says nothing a key does not already say.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

PALETTE: tuple[str, ...] = (
    "#b4532a",  # rust
    "#8a5a44",  # clay
    "#5f7a4e",  # moss
    "#4e7a7a",  # teal
    "#5a6a9a",  # slate blue
    "#7a5a8a",  # heather
    "#9a4e6a",  # plum
    "#6b6b2a",  # olive
    "#2e6f8e",  # lake
    "#3f7d5c",  # fern
    "#a6466b",  # rose
    "#7d5a3c",  # walnut
)
TEXT_COLOUR = "#ffffff"
ANONYMOUS_COLOUR = "#6e655d"  # a neutral warm grey for anonymous posts
AVATAR_PERSON = b"hearth-avatar"


@dataclass(frozen=True)
class Avatar:
    colour: str  # "#rrggbb" background
    initials: str  # one or two characters, or "?"
    text_colour: str = TEXT_COLOUR


def colour_for(member_key: bytes) -> str:
    digest = hashlib.blake2b(member_key, person=AVATAR_PERSON, digest_size=8).digest()
    return PALETTE[int.from_bytes(digest, "big") % len(PALETTE)]


def _first_upper(char: str) -> str:
    return char.upper()[:1]


def _is_letter(char: str) -> bool:
    return unicodedata.category(char)[0] in "LN"


def initials(pseudonym: str) -> str:
    """The first letters of the first two words ("Quiet Heron" → "QH"), the first two letters
    of a single word ("Heron" → "HE"), a symbol for names without letters, or "?"."""
    words = [word for word in pseudonym.replace("-", " ").replace("_", " ").split() if word]
    firsts = [next((c for c in word if _is_letter(c)), "") for word in words]
    firsts = [c for c in firsts if c]
    if len(firsts) >= 2:
        return _first_upper(firsts[0]) + _first_upper(firsts[1])
    if len(firsts) == 1:
        word = next(w for w in words if firsts[0] in w)
        letters = [c for c in word if _is_letter(c)]
        return "".join(_first_upper(c) for c in letters[:2])
    symbol = next((c for c in pseudonym if unicodedata.category(c).startswith("S")), "")
    return symbol or "?"


def avatar_for(pseudonym: str, member_key: bytes) -> Avatar:
    return Avatar(colour_for(member_key), initials(pseudonym))


def anonymous() -> Avatar:
    """The avatar of a post whose author is not shown."""
    return Avatar(ANONYMOUS_COLOUR, "?")
