"""Every timing and limit of the running peer in one place, and one unit per quantity.

Core engines count time in :data:`~network.clock.Millis` (ms since the Unix epoch, from the one
clock the messenger is given); durations people configure are :data:`~network.clock.Seconds`
(both defined once, in :mod:`network.clock`). Tests inject a
:class:`MessengerConfig` with short timings instead of sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from network.clock import Millis, Seconds
from network.node import NodeConfig

from .anonymous.rounds import RoundLimits
from .conversation import RateLimits
from .moderation import EngineLimits

__all__ = ["MessengerConfig", "Millis", "Seconds"]


@dataclass(frozen=True)
class MessengerConfig:
    tick: Seconds = Seconds(1.0)
    """The shortest gap between two rounds of due work (the engines' timers, reports due, old
    epochs expiring, spoken codes closing). Rounds run at the circles' deadlines
    (:mod:`messenger.schedule`), never while nothing is due."""
    purge_every: Seconds = Seconds(60.0)
    """How often posts past a circle's retention are deleted."""
    find_code_host: Seconds = Seconds(15.0)
    """How long a newcomer looks for the host of a spoken code on the LAN."""
    clock: Callable[[], float] = time.time
    """Seconds since the Unix epoch (the one clock; engines get it in :data:`Millis`)."""
    node: NodeConfig | None = None
    """The network's timings (handshake, keepalive, idle, dial, backoff, finding a code's
    host); None: the defaults on the launch's interfaces."""
    moderation: EngineLimits | None = None
    """The moderation engine's limits and delays (anonymous reports' random delay, the grace
    an old epoch is kept for members who were away ...)."""
    rate_limits: RateLimits | None = None
    """How much a member may send before their posts are dropped and they cool down."""

    anonymous: RoundLimits | None = None
    """How often anonymous rounds run, how long a participant may take, how many anonymous posts
    one member may make in a window (docs/ANONYMITY.md)."""

    def now_ms(self) -> Millis:
        return Millis(int(self.clock() * 1000))
