"""Honest words about how anonymous an anonymous post is in a circle of ``n`` members
(docs/ANONYMITY.md, "Words in the app"): shown where the setting is turned on and by the
composer when posting anonymously."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

WEAK_BELOW = 5
"""Under this many members, the words say plainly that anonymity is weak."""


def setting_words() -> str:
    """For the switch that turns anonymous posting on (the circle's size is not known yet)."""
    return QCoreApplication.translate(
        "Anonymity",
        "Anonymous posts show no name, and nobody, not even the host, can tell who wrote one: "
        "it could be any member. That is only as strong as the circle is big: among 3 or 4 "
        "people others may well guess; with fewer than 3, nothing is sent.",
    )


def crowd_words(n: int) -> str:
    """For a circle with ``n`` people here now (me included): a post goes out in a round of
    the people present, and hides among them (the header's "N people here" is the same N)."""
    if n < 3:
        return QCoreApplication.translate(
            "Anonymity",
            "Posts here are anonymous, but that takes at least 3 people here at once: "
            "yours waits until then.",
        )
    if n < WEAK_BELOW:
        return QCoreApplication.translate(
            "Anonymity",
            "Anonymous among the {n} people here: weak. In a circle this small, people may well "
            "guess who wrote it.",
        ).format(n=n)
    return QCoreApplication.translate(
        "Anonymity",
        "Anonymous among the {n} people here. People may still guess from what you write; anyone "
        "you talk to outside the circle can too. It appears within about a minute.",
    ).format(n=n)
