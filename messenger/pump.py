"""The one asyncio piece of a circle: :class:`SessionPump` feeds its protocol
(:class:`~messenger.session.CircleSession`) what happens and performs what it asks, in order.

Inputs come from the link router (messages, links up and lost), the scheduler (``tick`` when
the protocol's deadline is due) and the facade (commands: the caller calls the protocol, then
awaits :meth:`SessionPump.drain`: nothing else drains, so every caller of the protocol does).
Outputs (:mod:`messenger.outputs`) are performed one at a
time, by one drainer at a time: sends on the :class:`Wire`, database work on the database
thread (a read's answer handed back to the protocol), events to the front ends. A front end
that fails, or a send that fails, is logged; the outputs after it still run.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Protocol

from network.lograte import RefusalLog
from network.node import PeerKey

from .errors import HearthError
from .events import Event
from .mux import Lane
from .outputs import (
    Disconnect,
    InviteChanged,
    Output,
    Read,
    Rebind,
    Send,
    SendLater,
    Show,
    Write,
)
from .runtime import LinkedPeer
from .session import CircleSession
from .storage import AsyncStore

log = logging.getLogger(__name__)
refusals = RefusalLog(log, "refused what a circle asked")
failures = RefusalLog(log, "could not do what a circle asked")
"""Per kind of output, a line a minute at most: a flood of bad messages cannot flood the log."""


class Wire(Protocol):
    """What a circle needs of the network: provided by the facade over the node."""

    async def send(self, peer: PeerKey, lane: Lane, body: bytes) -> None: ...
    def disconnect(self, peer: PeerKey) -> None: ...
    async def rebind(self) -> None: ...
    def invite_changed(self, circle_id: bytes, link: str) -> None: ...


class SessionPump:
    """Drives one circle's protocol: its inputs in, its outputs performed."""

    def __init__(
        self,
        session: CircleSession,
        *,
        store: AsyncStore,
        wire: Wire,
        emit: Callable[[Event], None],
        wake: Callable[[], None] = lambda: None,
    ) -> None:
        self.session = session
        self.store = store
        self.wire = wire
        self.emit = emit
        self._wake = wake  # the scheduler looks at next_deadline() again
        self._lock = asyncio.Lock()
        self._later: set[asyncio.TimerHandle] = set()

    # -- inputs ------------------------------------------------------------------------------
    async def receive(self, peer: PeerKey, data: bytes) -> None:
        self.session.receive(peer, data)
        await self.drain()

    async def peer_connected(self, peer: PeerKey, linked: LinkedPeer) -> None:
        self.session.peer_connected(peer, linked)
        await self.drain()

    async def peer_lost(self, peer: PeerKey) -> None:
        self.session.peer_lost(peer)
        await self.drain()

    async def tick(self) -> None:
        self.session.tick()
        await self.drain()

    def next_deadline(self) -> int | None:
        return self.session.next_deadline()

    # -- outputs -----------------------------------------------------------------------------
    async def drain(self) -> None:
        """Perform every queued output, in order (and what performing them queues)."""
        async with self._lock:
            queue = self.session.out.queue
            while queue:
                output = queue.popleft()
                try:
                    if isinstance(output, Send):  # most of them
                        await self.wire.send(output.peer, output.lane, output.body)
                    elif isinstance(output, Show):
                        self.emit(output.event)
                    elif isinstance(output, Write):  # a step's posts, say
                        await self.store.run(output.work)
                    else:
                        await self._perform(output)
                except asyncio.CancelledError:
                    raise
                except HearthError as exc:  # refused (bad input): counted, logged at most 1/min
                    refusals.note(type(output).__name__, exc.code)
                except Exception:
                    failures.note(type(output).__name__, "an unexpected error")
                    log.debug("a circle's %s failed", type(output).__name__, exc_info=True)
        if self.session.take_deadline_moved():
            self._wake()

    async def _perform(self, output: Output) -> None:
        if isinstance(output, Read):
            answer = await self.store.run(output.work)
            self.session.out.resume(output.then, answer)
        elif isinstance(output, Disconnect):
            self.wire.disconnect(output.peer)
        elif isinstance(output, SendLater):
            self._send_later(output)
        elif isinstance(output, Rebind):
            await self.wire.rebind()
        elif isinstance(output, InviteChanged):
            self.wire.invite_changed(output.circle_id, output.link)

    def _send_later(self, output: SendLater) -> None:
        loop = asyncio.get_running_loop()
        delay = max(0.0, (output.at_ms - self.session.now_ms()) / 1000)
        handle: asyncio.TimerHandle

        def due() -> None:
            self._later.discard(handle)
            task = loop.create_task(self.wire.send(output.peer, output.lane, output.body))
            task.add_done_callback(_quiet)

        handle = loop.call_later(delay, due)
        self._later.add(handle)

    @property
    def sending_later(self) -> bool:
        """Whether a message waits for its moment (an anonymous answer)."""
        return bool(self._later)

    def close(self) -> None:
        """The circle is closing: what waits to be sent later is dropped."""
        for handle in self._later:
            handle.cancel()
        self._later.clear()


def _quiet(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.debug("a message sent later was not sent: %s", type(task.exception()).__name__)
