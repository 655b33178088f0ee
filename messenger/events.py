"""Events the core emits to its front ends. Frozen dataclasses; ``name`` is the JSON event name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class Event:
    name: ClassVar[str] = "event"


@dataclass(frozen=True)
class Ready(Event):
    """The peer is up: listening on ``listen`` with the profile ``profile``."""

    name: ClassVar[str] = "ready"
    listen: str
    profile: str


@dataclass(frozen=True)
class ErrorEvent(Event):
    """Something went wrong; ``code`` is stable, ``message`` is for people."""

    name: ClassVar[str] = "error"
    code: str
    message: str


@dataclass(frozen=True)
class Info(Event):
    """A line of information for the person at the terminal (help text, confirmations)."""

    name: ClassVar[str] = "info"
    message: str


@dataclass(frozen=True)
class Bye(Event):
    """The last event before the peer exits."""

    name: ClassVar[str] = "bye"
