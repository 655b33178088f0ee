"""Receive limits per peer: token buckets for posts and messages, notices, cool-down.

A peer's unsolicited new posts (live posts, not the catch-up we asked for) take one token each
from a bucket of 20 per 10 s (burst 20); every other message takes one from a larger bucket. What
does not fit is dropped and counted; the peer is told with a LIMITED notice, itself at most one per
``notice_interval_ms``; a peer that keeps flooding (``abuse_drops`` drops within
``abuse_window_ms``) is flagged once for a cool-down disconnect.
"""

from __future__ import annotations

from dataclasses import dataclass

from network.clock import Millis
from network.ratelimit import TokenBucket

from .wire import Limited


@dataclass(frozen=True)
class RateLimits:
    """Counts, and durations in milliseconds (the engine's clock)."""

    posts_per_window: int = 20
    posts_window_ms: Millis = Millis(10_000)
    posts_burst: int = 20
    messages_per_window: int = 100
    messages_window_ms: Millis = Millis(10_000)
    messages_burst: int = 100
    notice_interval_ms: Millis = Millis(10_000)
    abuse_drops: int = 200
    abuse_window_ms: Millis = Millis(60_000)
    cool_down_ms: Millis = Millis(60_000)


class PeerLimiter:
    """The limits for one connected peer."""

    def __init__(self, limits: RateLimits, now: int) -> None:
        self.limits = limits
        self.posts = TokenBucket.per_window(
            limits.posts_burst, limits.posts_per_window, limits.posts_window_ms, now
        )
        self.messages = TokenBucket.per_window(
            limits.messages_burst, limits.messages_per_window, limits.messages_window_ms, now
        )
        self._notices = TokenBucket.per_window(1, 1, limits.notice_interval_ms, now)
        self._abuse = TokenBucket.per_window(
            limits.abuse_drops, limits.abuse_drops, limits.abuse_window_ms, now
        )
        self.unreported = 0  # drops the peer has not been told about yet
        self.dropped = 0  # every drop, for counters
        self.flagged = False

    def allow_post(self, now: int) -> bool:
        if self.posts.take(now):
            return True
        self._drop(now)
        return False

    def allow_message(self, now: int) -> bool:
        if self.messages.take(now):
            return True
        self._drop(now)
        return False

    def _drop(self, now: int) -> None:
        self.dropped += 1
        self.unreported += 1
        if not self._abuse.take(now):
            self.flagged = True

    def take_notice(self, now: int) -> Limited | None:
        """The LIMITED notice to send now, if drops are unreported and a notice is allowed."""
        if not self.unreported or not self._notices.take(now):
            return None
        notice = Limited(dropped=self.unreported, retry_after_ms=self.posts.ticks_until(now))
        self.unreported = 0
        return notice
