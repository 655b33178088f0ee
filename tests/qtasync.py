"""Helpers for async GUI tests on the qasync loop (never qtbot.waitSignal: it nests a loop)."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import SignalInstance


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
