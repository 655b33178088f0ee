"""Rates, and a bounded map of token buckets keyed by address or tag (sans-IO: ``now`` passed in,
in seconds)."""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from ..ratelimit import TokenBucket

_EVICT_SCAN = 16


@dataclass(frozen=True)
class Rate:
    """``burst`` events at once, refilled at ``per_second``."""

    burst: float
    per_second: float

    def __post_init__(self) -> None:
        if self.burst < 1 or self.per_second <= 0:
            raise ValueError("a rate needs burst >= 1 and per_second > 0")


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
            bucket = self._buckets[key] = TokenBucket(self.rate.burst, self.rate.per_second, now)
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
