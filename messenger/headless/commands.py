"""Parsing one line of headless input into a command name and its argument text."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import HearthError


class UsageProblem(HearthError):
    code = "usage"


@dataclass(frozen=True)
class Command:
    name: str
    arg: str


def parse_line(line: str) -> Command | None:
    """``/name rest`` → Command(name, rest); a line without ``/`` is ``say``; blank → None."""
    text = line.strip("\r\n")
    if not text.strip():
        return None
    if not text.startswith("/"):
        return Command("say", text)
    head, _, rest = text[1:].partition(" ")
    return Command(head.lower(), rest.strip())


def need(arg: str, what: str) -> str:
    """``arg`` itself, or a :class:`UsageProblem` naming what is missing."""
    if not arg:
        raise UsageProblem(f"missing {what}")
    return arg
