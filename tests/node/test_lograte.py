"""RefusalLog: one line per peer and interval, then a count; no address in any line."""

from __future__ import annotations

import logging

import pytest

from network.lograte import RefusalLog


def test_a_flood_from_one_peer_is_one_line_then_a_count(caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    logger = logging.getLogger("test.lograte")
    refusals = RefusalLog(logger, "refused", interval=60.0, clock=lambda: now[0])
    caplog.set_level(logging.INFO, logger="test.lograte")
    for i in range(10_000):
        refusals.note("198.18.0.7", "bad magic")
        now[0] = i * 0.001
    refusals.note("198.18.0.8", "bad magic")
    assert len(caplog.records) == 2  # one per peer
    now[0] = 61.0
    refusals.note("198.18.0.7", "timed out")  # the next interval: the count, then this one
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 4 and "9999 more" in messages[2] and "timed out" in messages[3]
    refusals.flush()
    assert refusals.total == 10_002
    assert not any("198.18" in m for m in [r.getMessage() for r in caplog.records])


def test_the_peers_tracked_are_bounded(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.lograte.bounded")
    caplog.set_level(logging.INFO, logger="test.lograte.bounded")
    refusals = RefusalLog(logger, "refused", max_peers=8, clock=lambda: 0.0)
    for n in range(100):
        refusals.note(f"198.18.1.{n}", "x")
        refusals.note(f"198.18.1.{n}", "x")
    assert len(refusals._windows) == 8
    assert len(caplog.records) == 100 + 92  # a line each, and the count of each one evicted
