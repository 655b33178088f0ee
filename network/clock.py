"""Units of time, so a quantity's unit is in its type and not only in its name.

Two units are in use and each has its place:

- ``Millis`` (``int``): wall-clock milliseconds since the Unix epoch, as carried on the wire and
  stored (post timestamps, TTLs, expiries in the messenger's sans-IO cores). Integers, so they
  round-trip through msgpack and SQL exactly.
- ``Seconds`` (``float``): monotonic loop time and durations in the network cores (``now`` passed
  to channel/rendezvous ``tick``), and every configured timeout or interval.

Both are ``NewType``s: free at run time, checked by mypy. Convert only through the helpers here,
so a ``* 1000`` never hides in an expression.
"""

from __future__ import annotations

import time
from typing import NewType

__all__ = ["Millis", "Seconds", "millis", "seconds", "to_millis", "to_seconds", "wall_millis"]

Millis = NewType("Millis", int)
Seconds = NewType("Seconds", float)


def millis(value: int) -> Millis:
    """A literal or computed count of milliseconds."""
    return Millis(int(value))


def seconds(value: float) -> Seconds:
    """A literal or computed count of seconds."""
    return Seconds(float(value))


def to_millis(value: Seconds) -> Millis:
    """Seconds → milliseconds, rounded to the nearest millisecond."""
    return Millis(round(value * 1000))


def to_seconds(value: Millis) -> Seconds:
    """Milliseconds → seconds."""
    return Seconds(value / 1000)


def wall_millis() -> Millis:
    """The wall clock now, in milliseconds since the epoch (what posts and TTLs carry)."""
    return Millis(time.time_ns() // 1_000_000)
