"""network.clock: the two units of time and the only conversions between them."""

from __future__ import annotations

import time

from network.clock import Millis, Seconds, millis, seconds, to_millis, to_seconds, wall_millis


def test_conversions_round_trip() -> None:
    assert to_millis(Seconds(1.5)) == 1500
    assert to_millis(Seconds(0.0004)) == 0
    assert to_millis(Seconds(0.0006)) == 1
    assert to_seconds(Millis(2500)) == 2.5
    assert to_millis(to_seconds(Millis(123456789))) == 123456789


def test_constructors_normalise_the_number_type() -> None:
    assert isinstance(millis(3), int) and millis(3) == 3
    assert isinstance(seconds(2), float) and seconds(2) == 2.0


def test_wall_millis_is_the_epoch_clock_in_milliseconds() -> None:
    before = time.time_ns() // 1_000_000
    now = wall_millis()
    after = time.time_ns() // 1_000_000
    assert before <= now <= after
