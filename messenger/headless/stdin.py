"""Lines from standard input, delivered to the event loop without blocking it.

A daemon thread reads the stream (pipes, files and terminals alike) and hands each line to the
loop; ``None`` marks the end of input.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import TextIO


class LineReader:
    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._loop = asyncio.get_running_loop()
        self._thread = threading.Thread(target=self._pump, name="hearth-stdin", daemon=True)
        self._thread.start()

    def _pump(self) -> None:
        try:
            for line in self._stream:
                self._loop.call_soon_threadsafe(self._queue.put_nowait, line)
        except (OSError, ValueError):
            pass
        finally:
            # RuntimeError: the loop is already closed, nobody is listening.
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._queue.put_nowait, None)

    async def readline(self) -> str | None:
        return await self._queue.get()
