"""Reconnect delays: exponential backoff with full jitter, 1 s up to 60 s (sans-IO)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    base: float = 1.0
    cap: float = 60.0
    factor: float = 2.0
    rng: random.Random = field(default_factory=random.SystemRandom)
    attempts: int = 0

    def next_delay(self) -> float:
        """The delay before the next attempt: a random point in [ceiling/2, ceiling]."""
        ceiling = min(self.cap, self.base * self.factor**self.attempts)
        self.attempts += 1
        return ceiling / 2 + self.rng.random() * ceiling / 2

    def reset(self) -> None:
        self.attempts = 0
