"""Due work without polling: the loop sleeps until the earliest thing that is due.

Each circle's session knows when its engines next have time-driven work
(:meth:`~messenger.session.CircleSession.next_deadline`: a gap to ask about again, a report whose
delay ends, an old epoch's grace ending ...), or that nothing waits on time (None). The
scheduler sleeps until the earliest of those deadlines, the next retention purge, and, while a
spoken code is open, the next second; a session whose state changes wakes it (:meth:`wake`) so
it looks again. Nothing wakes when nothing is due: an idle circle costs no wakeups here. Rounds
of due work are at least ``tick`` apart (so work due "now" again and again, such as posts dropped
for a peer's rate and asked for again, runs about once a second, as before).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterable
from typing import Protocol

from .config import MessengerConfig


class Due(Protocol):
    """A circle's session as the scheduler sees it."""

    def next_deadline(self) -> int | None: ...
    async def tick(self) -> None: ...


class Expiring(Protocol):
    """Spoken codes: open ones are checked when the earliest may have expired."""

    def seconds_to_expiry(self) -> float | None: ...
    async def expire(self) -> None: ...


class Scheduler:
    def __init__(
        self,
        config: MessengerConfig,
        sessions: Callable[[], Iterable[Due]],
        joining: Callable[[], Expiring | None],
        purge: Callable[[], Awaitable[object]],
    ) -> None:
        self._config = config
        self._sessions = sessions
        self._joining = joining
        self._purge = purge
        self._wake = asyncio.Event()
        self.rounds = 0
        """Rounds of due work run so far."""
        self.purges = 0
        """Retention purges run so far."""

    def wake(self) -> None:
        """Something changed: look at the deadlines again."""
        self._wake.set()

    def _due(self) -> tuple[float | None, list[Due], Expiring | None]:
        """Seconds until the earliest deadline (None: nothing due), the sessions due now, and
        the spoken codes when one may have expired."""
        now = self._config.now_ms()
        joining = self._joining()
        expiry = None if joining is None else joining.seconds_to_expiry()
        earliest: int | None = None if expiry is None else now + int(expiry * 1000)
        codes_due = joining if expiry is not None and expiry <= 0 else None
        due_now: list[Due] = []
        for session in self._sessions():
            deadline = session.next_deadline()
            if deadline is None:
                continue
            if deadline <= now:
                due_now.append(session)
            earliest = deadline if earliest is None else min(earliest, deadline)
        return (None if earliest is None else (earliest - now) / 1000), due_now, codes_due

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        config = self._config
        next_purge = loop.time() + config.purge_every
        next_round = loop.time()
        while True:
            now = loop.time()
            if now >= next_purge:
                next_purge = now + config.purge_every
                self.purges += 1
                await self._purge()
                continue
            until, due_now, codes_due = self._due()
            if until is not None and until <= 0 and now >= next_round:
                next_round = now + config.tick
                self.rounds += 1
                if codes_due is not None:
                    await codes_due.expire()
                for session in due_now:
                    await session.tick()
                continue
            wait = next_purge - now
            if until is not None:
                wait = min(wait, max(until, next_round - now))
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max(0.0, wait)):
                    await self._wake.wait()
