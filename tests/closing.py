"""Close several nodes or peers at once: each close says its mDNS goodbye (about 0.25 s), so
closing them one after another adds up over the suite."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Protocol


class Closable(Protocol):
    def close(self) -> Awaitable[None]: ...


async def close_all(*things: Closable) -> None:
    """Close all of them together; every one is closed even if another fails (the first
    failure is raised after)."""
    results = await asyncio.gather(*(thing.close() for thing in things), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
