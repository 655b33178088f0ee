"""Turning what a person typed into a safe FTS5 query.

User input is never FTS5 syntax: every word becomes a quoted phrase (inner quotes doubled), the
phrases are ANDed, and the last one matches as a prefix so results appear while typing. Words
with no letter or digit (``"!!"``, ``-``, ``*``) are dropped: the tokenizer would find nothing in
them. Operators typed by the user (``AND``, ``NEAR``, ``column:``) are just words.
"""

from __future__ import annotations

MAX_TERMS = 16
MAX_QUERY_CHARS = 512


def fts_query(text: str) -> str | None:
    """The FTS5 MATCH expression for ``text``, or None when there is nothing to search for."""
    words = [w for w in text[:MAX_QUERY_CHARS].replace("\x00", " ").split() if _searchable(w)]
    if not words:
        return None
    words = words[:MAX_TERMS]
    phrases = ['"' + word.replace('"', '""') + '"' for word in words]
    phrases[-1] += "*"
    return " ".join(phrases)


def _searchable(word: str) -> bool:
    return any(ch.isalnum() for ch in word)
