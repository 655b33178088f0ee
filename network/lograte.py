"""Refusals logged per peer with a count, so a flood of bad input cannot flood the log.

The first refusal from a peer in an interval is logged at once (INFO); the rest of that
interval only count, and the count is logged with the peer's next refusal after the interval
(or by :meth:`RefusalLog.flush`). A flood of any size from one peer thus writes at most one
line per interval. Peers are named by a short per-process pseudonym, never by address.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

_SALT = secrets.token_bytes(16)


def peer_name(address: str) -> str:
    """A short name for ``address`` that is stable within this process and says nothing."""
    return hashlib.blake2b(address.encode(), key=_SALT, digest_size=3).hexdigest()


@dataclass
class _Window:
    started: float
    count: int = 0
    last: str = ""


class RefusalLog:
    """``note(peer, reason)`` for each refusal; INFO lines stay bounded per peer and interval."""

    def __init__(
        self,
        logger: logging.Logger,
        what: str,
        *,
        interval: float = 60.0,
        max_peers: int = 1024,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._log = logger
        self._what = what
        self._interval = interval
        self._max_peers = max_peers
        self._clock = clock
        self._windows: OrderedDict[str, _Window] = OrderedDict()
        self.total = 0
        """Every refusal noted (logged or only counted)."""

    def note(self, peer: str, reason: str) -> None:
        self.total += 1
        now = self._clock()
        window = self._windows.get(peer)
        if window is not None and now - window.started < self._interval:
            window.count += 1
            window.last = reason
            return
        if window is not None:
            self._summarise(peer, window)
            del self._windows[peer]
        self._log.info("%s from peer %s: %s", self._what, peer_name(peer), reason)
        self._windows[peer] = _Window(now)
        while len(self._windows) > self._max_peers:
            old_peer, old = self._windows.popitem(last=False)
            self._summarise(old_peer, old)

    def flush(self) -> None:
        """Log the counts still pending (at close)."""
        for peer, window in self._windows.items():
            self._summarise(peer, window)
        self._windows.clear()

    def _summarise(self, peer: str, window: _Window) -> None:
        if window.count:
            self._log.info(
                "%s from peer %s: %d more in %.0f s (last: %s)",
                self._what,
                peer_name(peer),
                window.count,
                max(self._clock() - window.started, 0.0),
                window.last,
            )
