"""Spoken join codes: ``7-amber-lantern`` — a channel number and two words from a 1024-word list.

Strength, in plain numbers. The channel (1-99) is *not* secret: it picks the discovery hint
(:func:`discovery_key`) so the newcomer's app finds the host's invitation on the LAN, and anyone
on the LAN can try all 99. The secret is the two words: 1024 x 1024 = 2^20 ≈ one million codes.
That is enough because the code is only ever used as a SPAKE2 password:

* an eavesdropper who records a whole exchange learns nothing that lets them test guesses
  offline (that is what a PAKE is for);
* an active attacker gets one guess per exchange with the host, and the host's invitation closes
  after three exchanges that did not confirm the key, so the odds of guessing in are
  3 / 2^20 ≈ 1 in 350,000; and the invitation expires after ten minutes anyway.

Parsing forgives case, extra spaces, hyphens or underscores or dots between the parts, and a
leading zero ("07 Amber  Lantern").
"""

from __future__ import annotations

import difflib
import hashlib
import random
import re
import secrets
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

from ..wordlist import load_words
from .errors import JoinCodeError, JoinCodeProblem

CHANNEL_MIN = 1
CHANNEL_MAX = 99
WORDS_PER_CODE = 2
LIFETIME_SECONDS = 600.0
"""How long an invitation opened with a code stays open."""
DISCOVERY_PERSON = b"hearth-joincode"
PASSWORD_PREFIX = b"hearth-joincode-v1:"
MAX_CODE_TEXT = 200

_SEPARATORS = re.compile(r"[\s\-_.,:;/·‐‑‒–—]+")
_TOKEN = re.compile(r"\d+|[a-z]+")
_LOOKS_LIKE = re.compile(r"^\s*\d{1,2}[\s\-_.]*[A-Za-z]+[\s\-_.]+[A-Za-z]+\s*$")


def words() -> tuple[str, ...]:
    """The code word list (1024 words, lowercase)."""
    return load_words("joincode.txt")


def _word_set() -> frozenset[str]:
    return frozenset(words())


def discovery_key(channel: int) -> bytes:
    """``BLAKE2b-256(message=the channel in ASCII decimal, person=b"hearth-joincode")``.

    Hints for it are computed like a circle's
    (``BLAKE2b(key=discovery_key, msg=nonce)[:4]``), so a host advertising an open invitation
    on channel 7 looks, on the wire, like any other circle hint."""
    if not CHANNEL_MIN <= channel <= CHANNEL_MAX:
        raise JoinCodeError(JoinCodeProblem.BAD_CHANNEL)
    return hashlib.blake2b(
        str(channel).encode("ascii"), person=DISCOVERY_PERSON, digest_size=32
    ).digest()


@dataclass(frozen=True)
class JoinCode:
    channel: int
    words: tuple[str, ...]

    def __post_init__(self) -> None:
        if isinstance(self.channel, bool) or not isinstance(self.channel, int):
            raise JoinCodeError(JoinCodeProblem.MALFORMED)
        if not CHANNEL_MIN <= self.channel <= CHANNEL_MAX:
            raise JoinCodeError(JoinCodeProblem.BAD_CHANNEL)
        if len(self.words) != WORDS_PER_CODE:
            raise JoinCodeError(JoinCodeProblem.MALFORMED)
        known = _word_set()
        for word in self.words:
            if word not in known:
                raise JoinCodeError(JoinCodeProblem.UNKNOWN_WORD, word=str(word)[:40])

    def __str__(self) -> str:
        return "-".join((str(self.channel), *self.words))

    def spoken(self) -> str:
        """How the host reads it out: "7, amber, lantern"."""
        return ", ".join((str(self.channel), *self.words))

    @property
    def password(self) -> bytes:
        """The SPAKE2 password: a versioned prefix and the canonical code."""
        return PASSWORD_PREFIX + str(self).encode("ascii")

    @property
    def discovery_key(self) -> bytes:
        return discovery_key(self.channel)


def generate(avoid_channels: Collection[int] = (), rng: random.Random | None = None) -> JoinCode:
    """A fresh code, on a channel not in ``avoid_channels`` when one is free.

    ``rng`` is for tests only; by default everything comes from :mod:`secrets`.
    """
    choose = rng.choice if rng is not None else secrets.choice
    free = [c for c in range(CHANNEL_MIN, CHANNEL_MAX + 1) if c not in avoid_channels]
    channel = choose(free or list(range(CHANNEL_MIN, CHANNEL_MAX + 1)))
    return JoinCode(channel, tuple(choose(words()) for _ in range(WORDS_PER_CODE)))


def parse(text: object) -> JoinCode:
    """The join code in ``text``, or :class:`JoinCodeError` saying what is wrong."""
    if not isinstance(text, str):
        raise JoinCodeError(JoinCodeProblem.MALFORMED)
    if len(text) > MAX_CODE_TEXT:
        raise JoinCodeError(JoinCodeProblem.MALFORMED)
    lowered = unicodedata.normalize("NFKC", text).casefold().strip()
    if not lowered:
        raise JoinCodeError(JoinCodeProblem.EMPTY)
    spaced = _SEPARATORS.sub(" ", lowered)
    tokens = _TOKEN.findall(spaced)
    if "".join(tokens) != spaced.replace(" ", ""):  # something that is neither digit nor letter
        raise JoinCodeError(JoinCodeProblem.MALFORMED)
    if len(tokens) != 1 + WORDS_PER_CODE or not tokens[0].isdigit():
        raise JoinCodeError(JoinCodeProblem.MALFORMED)
    if any(token.isdigit() for token in tokens[1:]):
        raise JoinCodeError(JoinCodeProblem.MALFORMED)
    channel = int(tokens[0]) if len(tokens[0]) <= 3 else 0
    if not CHANNEL_MIN <= channel <= CHANNEL_MAX:
        raise JoinCodeError(JoinCodeProblem.BAD_CHANNEL)
    known = _word_set()
    for word in tokens[1:]:
        if word not in known:
            close = tuple(difflib.get_close_matches(word, words(), n=3, cutoff=0.75))
            raise JoinCodeError(JoinCodeProblem.UNKNOWN_WORD, word=word[:40], suggestions=close)
    return JoinCode(channel, tuple(tokens[1:]))


def looks_like_code(text: str) -> bool:
    """Whether ``text`` is shaped like a join code (to tell ``/join CODE`` from a link)."""
    return len(text) <= MAX_CODE_TEXT and _LOOKS_LIKE.match(text) is not None


def expires_at(opened: float) -> float:
    return opened + LIFETIME_SECONDS
