"""The reactions' words on screen (the core's fixed set, in the person's language)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from messenger.views import REACTION_LABELS

translate = QCoreApplication.translate


def reaction_label(name: str) -> str:
    """ "I hear you", "Thank you", "Sending care", "Me too" (translated), or the name itself."""
    words = {
        "hear": translate("Reactions", "I hear you"),
        "thanks": translate("Reactions", "Thank you"),
        "care": translate("Reactions", "Sending care"),
        "same": translate("Reactions", "Me too"),
    }
    return words.get(name, REACTION_LABELS.get(name, name))


def reaction_names() -> tuple[str, ...]:
    return tuple(REACTION_LABELS)
