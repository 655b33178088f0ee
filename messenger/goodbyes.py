"""Goodbye lines a member may send on leaving a circle (``resources/goodbyes.txt``)."""

from __future__ import annotations

import random
import secrets

from .wordlist import load_lines

MAX_GOODBYE = 200


def goodbyes() -> tuple[str, ...]:
    """Every template, in file order."""
    return tuple(line for line in load_lines("goodbyes.txt") if len(line) <= MAX_GOODBYE)


def default_goodbye() -> str:
    """The first template: the one offered when the person does not pick."""
    return goodbyes()[0]


def random_goodbye(rng: random.Random | None = None) -> str:
    choose = rng.choice if rng is not None else secrets.choice
    return choose(goodbyes())
