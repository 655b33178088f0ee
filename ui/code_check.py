"""The word check on a spoken code as it is typed: a finished word that join codes never use is
pointed out at once (with the likely word), before anyone waits for a host that cannot answer."""

from __future__ import annotations

import difflib
import re

from PySide6.QtCore import QCoreApplication

from messenger.joincode import words

translate = QCoreApplication.translate
_SPLIT = re.compile(r"[\s\-_.·,]+")


def unknown_word(text: str) -> tuple[str, tuple[str, ...]] | None:
    """The first finished word of ``text`` that no code uses, with close words; else None.

    A word counts as finished once something follows it (a space or a hyphen); the last word
    is checked only when the code has all its words, so typing is never interrupted early.
    """
    parts = _SPLIT.split(text.strip().casefold())
    if not parts or not parts[0].isdigit():
        return None
    known = frozenset(words())
    spoken = parts[1:]
    finished = spoken if len(spoken) >= 2 or _SPLIT.search(text[-1:] or "x") else spoken[:-1]
    for word in finished:
        if word and word not in known:
            return word, tuple(difflib.get_close_matches(word, words(), n=2, cutoff=0.7))
    return None


def word_check_text(text: str) -> str:
    """What to say under the field about ``text`` ("" when nothing is wrong so far)."""
    found = unknown_word(text)
    if found is None:
        return ""
    word, close = found
    said = translate("CodeCheck", "“{word}” is not a word join codes use.").format(word=word)
    if close:
        said += " " + translate("CodeCheck", "Did you mean “{close}”?").format(
            close="” / “".join(close)
        )
    return said
