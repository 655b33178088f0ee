"""Token buckets and their bounded map (the clock passed in)."""

from __future__ import annotations

import pytest

from network.ratelimit import TokenBucket
from network.rendezvous.ratelimit import BucketMap, Rate


def test_bucket_spends_its_burst_then_refills_at_the_rate() -> None:
    bucket = TokenBucket(3, 2, now=0.0)  # seconds
    assert [bucket.take(0.0) for _ in range(4)] == [True, True, True, False]
    assert not bucket.take(0.4)  # 0.8 token
    assert bucket.take(0.5)
    assert bucket.take(100.0) and bucket.take(100.0) and bucket.take(100.0)  # capped at burst
    assert not bucket.take(100.0)


def test_time_going_backwards_gives_nothing() -> None:
    bucket = TokenBucket(1, 1, now=10.0)
    assert bucket.take(10.0)
    assert not bucket.take(5.0)
    assert not bucket.take(10.5) and bucket.take(11.0)


def test_bad_rates() -> None:
    with pytest.raises(ValueError):
        Rate(burst=0, per_second=1)
    with pytest.raises(ValueError):
        Rate(burst=1, per_second=0)
    with pytest.raises(ValueError):
        BucketMap(Rate(1, 1), 0)


def test_map_keeps_one_bucket_per_key_and_stays_bounded() -> None:
    buckets = BucketMap(Rate(burst=1, per_second=0.001), capacity=4)
    assert buckets.take("a", 0.0) and not buckets.take("a", 0.0)
    for i in range(1000):
        buckets.take(i, 0.0)
        assert len(buckets) <= 4
    # "a" was forgotten long ago: it comes back with a full bucket
    assert buckets.take("a", 0.0)


def test_map_forgets_full_buckets_before_busy_ones() -> None:
    buckets = BucketMap(Rate(burst=2, per_second=0.1), capacity=2)
    assert buckets.take("busy", 0.0) and buckets.take("busy", 0.0)  # empty now
    assert buckets.take("idle", 0.0, cost=0)  # seen, nothing spent: full
    buckets.take("new", 1.0)  # "busy" is the least recent, but "idle" is full: forget "idle"
    assert len(buckets) == 2
    assert not buckets.take("busy", 1.0)  # still remembered as spent
