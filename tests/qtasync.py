"""Helpers for async GUI tests on the qasync loop (never qtbot.waitSignal: it nests a loop)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import SignalInstance

from messenger.events import Event
from messenger.facade import Messenger


async def await_signal(signal: SignalInstance, timeout: float = 5.0) -> tuple[Any, ...]:
    """Wait for the next emission of ``signal`` and return its arguments."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[tuple[Any, ...]] = loop.create_future()

    def fire(*args: Any) -> None:
        if not future.done():
            future.set_result(args)

    signal.connect(fire)
    try:
        return await asyncio.wait_for(future, timeout)
    finally:
        signal.disconnect(fire)


def signal_future(signal: SignalInstance) -> asyncio.Future[tuple[Any, ...]]:
    """A future for the next emission of ``signal`` (connected now: make it before whatever
    causes the emission, then await it)."""
    future: asyncio.Future[tuple[Any, ...]] = asyncio.get_running_loop().create_future()

    def fire(*args: Any) -> None:
        if not future.done():
            future.set_result(args)
            signal.disconnect(fire)

    signal.connect(fire)
    return future


async def until(check: Callable[[], object], limit: float = 20.0) -> object:
    """Poll a widget or core state, bounded in time (no nested event loop)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while True:
        value = check()
        if value:
            return value
        if loop.time() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.05)


def next_event(messenger: Messenger, match: Callable[[Event], bool]) -> asyncio.Future[Event]:
    """A future for the next event of ``messenger`` that ``match`` accepts."""
    future: asyncio.Future[Event] = asyncio.get_running_loop().create_future()

    def seen(event: Event) -> None:
        if match(event) and not future.done():
            future.set_result(event)

    messenger.subscribe(seen)
    return future
