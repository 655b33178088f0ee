"""Avatars: palette contrast, stable colours, initials."""

from __future__ import annotations

import os

import pytest

from messenger.avatar import (
    ANONYMOUS_COLOUR,
    PALETTE,
    TEXT_COLOUR,
    anonymous,
    avatar_for,
    colour_for,
    initials,
)


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("colour", [*PALETTE, ANONYMOUS_COLOUR])
def test_every_colour_keeps_initials_readable(colour: str) -> None:
    assert _contrast(colour, TEXT_COLOUR) >= 4.5


def test_palette_is_distinct() -> None:
    assert len(set(PALETTE)) == len(PALETTE) >= 8


def test_colour_is_stable_per_key_and_spread_over_keys() -> None:
    key = bytes(range(32))
    assert colour_for(key) == colour_for(key) and colour_for(key) in PALETTE
    used = {colour_for(os.urandom(32)) for _ in range(400)}
    assert len(used) >= len(PALETTE) - 1


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Quiet Heron", "QH"),
        ("quiet heron wren", "QH"),
        ("Heron", "HE"),
        ("R", "R"),
        ("Ana-María", "AM"),
        ("élan vital", "ÉV"),
        ("🌿 Fern", "FE"),
        ("🌿", "🌿"),
        ("...", "?"),
        ("", "?"),
        ("straße", "ST"),
        ("ßig", "SI"),
    ],
)
def test_initials(name: str, expected: str) -> None:
    assert initials(name) == expected


def test_avatar_for_and_anonymous() -> None:
    avatar = avatar_for("Quiet Heron", bytes(32))
    assert avatar.initials == "QH" and avatar.colour in PALETTE
    assert anonymous().colour == ANONYMOUS_COLOUR and anonymous().initials == "?"
