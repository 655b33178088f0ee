"""A token bucket (sans-IO: ``now`` passed in), the one used everywhere in Hearth.

The bucket does not care about the unit of ``now``; its ``rate`` is in tokens per that unit. The
network cores pass loop time in seconds (``network.clock.Seconds``), the messenger's sans-IO
cores wall-clock milliseconds (``network.clock.Millis``).
"""

from __future__ import annotations

__all__ = ["TokenBucket"]


class TokenBucket:
    """``burst`` tokens at most, refilled at ``rate`` tokens per unit of ``now``."""

    __slots__ = ("burst", "rate", "tokens", "updated")

    def __init__(self, burst: float, rate: float, now: float) -> None:
        self.burst = float(burst)
        self.rate = float(rate)
        self.tokens = float(burst)
        self.updated = now

    @classmethod
    def per_window(cls, burst: float, count: float, window: float, now: float) -> TokenBucket:
        """``count`` tokens every ``window`` units of ``now``, ``burst`` at once."""
        return cls(burst, count / window, now)

    def _refill(self, now: float) -> None:
        if now > self.updated:
            self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
            self.updated = now

    def take(self, now: float, cost: float = 1.0) -> bool:
        """Spend ``cost`` tokens if there are enough; False (nothing spent) otherwise."""
        self._refill(now)
        if self.tokens >= cost:
            self.tokens -= cost
            return True
        return False

    def full(self, now: float) -> bool:
        self._refill(now)
        return self.tokens >= self.burst

    def available(self, now: float) -> int:
        """Whole tokens there are now."""
        self._refill(now)
        return int(self.tokens)

    def take_up_to(self, now: float, n: int) -> int:
        """Take as many whole tokens as there are, up to ``n``; how many were taken."""
        granted = min(n, self.available(now))
        self.tokens -= granted
        return granted

    def ticks_until(self, now: float, cost: float = 1.0) -> int:
        """Whole units of ``now`` until ``cost`` tokens are there (0: there are now)."""
        self._refill(now)
        missing = cost - self.tokens
        return 0 if missing <= 0 else int(missing / self.rate) + 1
