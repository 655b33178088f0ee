"""Load the small text resources bundled in ``resources/``: word lists and template lines.

A line starting with ``#`` is a comment; blank lines are skipped; surrounding spaces are trimmed.
Lists are read once and cached (they are small and never change while the app runs).
"""

from __future__ import annotations

from functools import cache

from .errors import HearthError
from .paths import resource


class ResourceError(HearthError):
    """A bundled resource is missing or empty: the installation is broken."""

    code = "resource_missing"


@cache
def load_lines(*parts: str) -> tuple[str, ...]:
    """The non-comment, non-blank lines of ``resources/<parts...>``, trimmed, in file order."""
    path = resource(*parts)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ResourceError(f"cannot read the bundled resource {'/'.join(parts)}") from exc
    lines = tuple(
        stripped
        for stripped in (line.strip() for line in text.splitlines())
        if stripped and not stripped.startswith("#")
    )
    if not lines:
        raise ResourceError(f"the bundled resource {'/'.join(parts)} is empty")
    return lines


def load_words(name: str) -> tuple[str, ...]:
    """The word list ``resources/words/<name>``."""
    return load_lines("words", name)
