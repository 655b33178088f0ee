"""Spoken codes for tests."""

from __future__ import annotations

from messenger.joincode.code import words


def wrong(code: str) -> str:
    """The same channel number (so the guess reaches the host), the wrong words: real words,
    or the code would be refused before it reaches anyone."""
    channel, first, second = code.split("-")
    if first != second:
        return f"{channel}-{second}-{first}"
    other = next(w for w in words() if w != first)
    return f"{channel}-{first}-{other}"
