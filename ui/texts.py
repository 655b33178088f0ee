"""Editable texts shipped in ``resources/``: starters, introductions, help elsewhere, the FAQ.

Each has a plain-text file a community can edit or translate: ``starters.txt`` (or
``starters.<lang>.txt``), one entry a line, ``#`` starts a comment.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLocale

from messenger.paths import resource

log = logging.getLogger(__name__)


def _language(locale: QLocale | None) -> str:
    name = (locale or QLocale()).name()  # e.g. "de_DE"
    return name.split("_")[0].lower()


def localised(folder: Path, stem: str, suffix: str, locale: QLocale | None = None) -> Path:
    """``stem.<lang>.suffix`` when it exists, else ``stem.suffix`` (in ``folder``)."""
    candidate = folder / f"{stem}.{_language(locale)}{suffix}"
    return candidate if candidate.exists() else folder / f"{stem}{suffix}"


def read_entries(path: Path) -> list[str]:
    """Non-empty, non-comment lines of ``path``; an empty list (logged) if it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("cannot read %s: %s", path.name, exc)
        return []
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def starters(locale: QLocale | None = None) -> list[str]:
    """Open-ended questions for the composer's "conversation starters" menu."""
    return read_entries(localised(resource(), "starters", ".txt", locale))


def intro_templates(locale: QLocale | None = None) -> list[str]:
    """Short introductions a newcomer may edit and send when joining a circle."""
    return read_entries(localised(resource(), "intro_templates", ".txt", locale))


@dataclass(frozen=True)
class SupportEntry:
    title: str
    detail: str
    contact: str = ""


def support_file(locale: QLocale | None = None) -> Path:
    return localised(resource("support"), "resources", ".json", locale)


def support_entries(locale: QLocale | None = None, path: Path | None = None) -> list[SupportEntry]:
    """Places to find help outside Hearth; entries with a missing title or detail are skipped."""
    path = path or support_file(locale)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        log.warning("cannot read %s: %s", path.name, exc)
        return []
    items = raw.get("entries", []) if isinstance(raw, dict) else []
    entries = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        title, detail = item.get("title"), item.get("detail")
        contact = item.get("contact", "")
        if isinstance(title, str) and isinstance(detail, str) and title and detail:
            entries.append(SupportEntry(title, detail, contact if isinstance(contact, str) else ""))
    return entries


def faq_markdown(locale: QLocale | None = None) -> str:
    path = localised(resource(), "faq", ".md", locale)
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("cannot read %s: %s", path.name, exc)
        return ""
