"""Token buckets, and a bounded map of them keyed by address or tag (sans-IO: ``now`` passed in)."""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

_EVICT_SCAN = 16


@dataclass(frozen=True)
class Rate:
    """``burst`` events at once, refilled at ``per_second``."""

    burst: float
    per_second: float

    def __post_init__(self) -> None:
        if self.burst < 1 or self.per_second <= 0:
            raise ValueError("a rate needs burst >= 1 and per_second > 0")


class TokenBucket:
    __slots__ = ("_stamp", "_tokens", "rate")

    def __init__(self, rate: Rate, now: float) -> None:
        self.rate = rate
        self._tokens = float(rate.burst)
        self._stamp = now

    def _refill(self, now: float) -> None:
        if now > self._stamp:
            gained = (now - self._stamp) * self.rate.per_second
            self._tokens = min(float(self.rate.burst), self._tokens + gained)
            self._stamp = now

    def take(self, now: float, cost: float = 1.0) -> bool:
        """Spend ``cost`` tokens if there are enough; False (nothing spent) otherwise."""
        self._refill(now)
        if self._tokens >= cost:
            self._tokens -= cost
            return True
        return False

    def full(self, now: float) -> bool:
        self._refill(now)
        return self._tokens >= self.rate.burst


class BucketMap:
    """One bucket per key, at most ``capacity`` of them: when full, the least recently used
    bucket is forgotten (full buckets first), so memory stays bounded whatever the input."""

    def __init__(self, rate: Rate, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.rate = rate
        self.capacity = capacity
        self._buckets: OrderedDict[Hashable, TokenBucket] = OrderedDict()

    def take(self, key: Hashable, now: float, cost: float = 1.0) -> bool:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self.capacity:
                self._evict(now)
            bucket = self._buckets[key] = TokenBucket(self.rate, now)
        else:
            self._buckets.move_to_end(key)
        return bucket.take(now, cost)

    def _evict(self, now: float) -> None:
        """Forget a full bucket among the 16 least recently used, else the least recent."""
        for key, bucket in itertools.islice(self._buckets.items(), _EVICT_SCAN):
            if bucket.full(now):
                del self._buckets[key]
                return
        self._buckets.popitem(last=False)

    def __len__(self) -> int:
        return len(self._buckets)
