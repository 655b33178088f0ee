"""The scheduler runs a circle's due work at its deadline, once, and sleeps when nothing is
due; a session that gains work wakes it (issue 14: deadlines instead of a 1 Hz ticker).

The circles here are small stand-ins for sessions (the scheduler's ``Due`` port); a barrier
circle, due last, ends each check, so nothing is asserted about time.
"""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from messenger.config import MessengerConfig, Seconds
from messenger.schedule import Scheduler

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(30)]


class Circle:
    """Due once at ``deadline`` (ms on the config's clock); then nothing is due."""

    def __init__(self, deadline: int | None) -> None:
        self.deadline = deadline
        self.ticks = 0
        self.ticked = asyncio.Event()

    def next_deadline(self) -> int | None:
        return self.deadline

    async def tick(self) -> None:
        self.ticks += 1
        self.deadline = None
        self.ticked.set()


CONFIG = MessengerConfig(tick=Seconds(0.01), purge_every=Seconds(3600.0))


async def _purge() -> int:
    return 0


@contextlib.asynccontextmanager
async def running(circles: list[Circle]):  # type: ignore[no-untyped-def]
    scheduler = Scheduler(CONFIG, lambda: circles, lambda: None, _purge)
    task = asyncio.create_task(scheduler.run())
    try:
        yield scheduler
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_due_work_runs_once_at_its_deadline_and_idle_circles_never() -> None:
    now = CONFIG.now_ms()
    soon, idle, barrier = Circle(now + 50), Circle(None), Circle(now + 300)
    async with running([soon, idle, barrier]) as scheduler:
        await asyncio.wait_for(barrier.ticked.wait(), 10)
    assert (soon.ticks, idle.ticks, barrier.ticks) == (1, 0, 1)
    assert scheduler.rounds == 2  # one round per deadline, none in between


async def test_a_circle_that_gains_work_wakes_the_scheduler() -> None:
    late = Circle(None)
    async with running([late]) as scheduler:
        await asyncio.sleep(0)  # the scheduler is asleep with nothing due (no timeout at all)
        late.deadline = CONFIG.now_ms()
        scheduler.wake()
        await asyncio.wait_for(late.ticked.wait(), 10)
    assert late.ticks == 1 and scheduler.rounds == 1
