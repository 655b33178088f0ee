"""The :class:`Messenger` facade: the one object the desktop app and the headless peer drive."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from network.tasks import TaskSet
from network.transport import Listener, ListenError

from .errors import HearthError
from .events import Event
from .options import LaunchOptions

log = logging.getLogger(__name__)

Subscriber = Callable[[Event], None]


class StartError(HearthError):
    code = "start_failed"


class Messenger:
    """Owns the profile, the circles and the network node for one running peer."""

    def __init__(self, options: LaunchOptions) -> None:
        self.options = options
        self._subscribers: list[Subscriber] = []
        self._tasks = TaskSet(self._task_failed)
        self._listener = Listener(self._on_connection, options.interfaces)
        self._started = False

    # -- events ---------------------------------------------------------------------------
    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback`` with every event from now on; returns a function that unsubscribes."""
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback)

    def emit(self, event: Event) -> None:
        for callback in list(self._subscribers):
            callback(event)

    # -- life cycle -----------------------------------------------------------------------
    @property
    def profile_label(self) -> str:
        return "ephemeral" if self.options.ephemeral else str(self.options.profile)

    @property
    def listen_addresses(self) -> list[str]:
        return [str(a) for a in self._listener.bound]

    async def start(self) -> None:
        try:
            await self._listener.start()
        except ListenError as exc:
            raise StartError(str(exc)) from exc
        self._started = True
        log.info("peer started (%d listening socket(s))", len(self._listener.bound))

    async def close(self) -> None:
        await self._listener.close()
        await self._tasks.close()
        self._started = False

    # -- network --------------------------------------------------------------------------
    async def _on_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        # The node (issue 4) takes over incoming connections; until then none is served.
        writer.close()

    def _task_failed(self, task: asyncio.Task[object], exc: BaseException) -> None:
        log.error("background task %s failed", task.get_name(), exc_info=exc)
