"""Reconnect delays: exponential with jitter, from about 1 s up to 60 s, reset by success."""

from __future__ import annotations

import random

from network.node.backoff import Backoff


def test_delays_grow_to_the_cap_with_jitter_and_reset() -> None:
    backoff = Backoff(rng=random.Random(7))
    delays = [backoff.next_delay() for _ in range(12)]
    assert 0.5 <= delays[0] <= 1.0
    for n, delay in enumerate(delays):
        ceiling = min(60.0, 2.0**n)
        assert ceiling / 2 <= delay <= ceiling
    assert delays[-1] > 30.0  # reached the cap's range
    assert len(set(delays)) == len(delays)  # jittered, not in lockstep with the peer
    backoff.reset()
    assert backoff.next_delay() <= 1.0


def test_two_peers_do_not_retry_in_lockstep() -> None:
    a, b = Backoff(rng=random.Random(1)), Backoff(rng=random.Random(2))
    assert [a.next_delay() for _ in range(5)] != [b.next_delay() for _ in range(5)]
