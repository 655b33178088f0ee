"""Thin asyncio adapters: drive a join session over a connected stream (reader, writer).

They add only what a socket needs: reading, flushing, timeouts and closing. Finding the host
(the discovery hint) and connecting belong to the caller.

Host::

    connection = HostConnection(invitation.new_session(), reader, writer, clock, on_event)
    task = asyncio.create_task(connection.run())          # keep a reference
    ... on JoinRequested: invitation.request(id).approve()   (flushed at once)

Newcomer::

    outcome = await join_over_stream(reader, writer, code, pseudonym, on_event=show)
    # Welcomed, Refused or JoinFailed
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable

from .code import JoinCode
from .events import FailureReason, JoinEvent, JoinFailed, Refused, Welcomed
from .host import HostSession, HostState
from .newcomer import NewcomerSession, NewcomerState

STEP_TIMEOUT = 20.0
"""Longest wait for the other side's next message while the exchange runs by itself."""
DECISION_TIMEOUT = 600.0
"""Longest wait for the host to approve or deny."""
READ_SIZE = 4096
MAX_READS = 1000  # a join exchange takes a handful of reads; more is someone trickling bytes

Clock = Callable[[], float]
EventSink = Callable[[JoinEvent], None]


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(ConnectionError, OSError):
        await writer.wait_closed()


class HostConnection:
    """Runs one :class:`HostSession` over a stream until it finishes, then closes it."""

    def __init__(
        self,
        session: HostSession,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        clock: Clock = time.time,
        on_event: EventSink | None = None,
        *,
        step_timeout: float = STEP_TIMEOUT,
        decision_timeout: float = DECISION_TIMEOUT,
        on_engaged: Callable[[], None] | None = None,
    ) -> None:
        """``on_engaged`` is called once, when the newcomer's SPAKE2 message was taken (see
        :attr:`HostSession.engaged`): the node's cue that this connection is no idle squatter."""
        self.session = session
        self._reader = reader
        self._writer = writer
        self._clock = clock
        self._on_event = on_event or (lambda event: None)
        self._step_timeout = step_timeout
        self._decision_timeout = decision_timeout
        self._on_engaged = on_engaged
        session.on_output = self._flush

    def _flush(self) -> None:
        data = self.session.data_to_send()
        if data and not self._writer.is_closing():
            self._writer.write(data)

    def _emit(self, events: list[JoinEvent]) -> None:
        for event in events:
            self._on_event(event)

    async def run(self) -> None:
        try:
            for _ in range(MAX_READS):
                if self.session.finished:
                    break
                waiting = self.session.state is HostState.AWAITING_DECISION
                timeout = self._decision_timeout if waiting else self._step_timeout
                try:
                    data = await asyncio.wait_for(self._reader.read(READ_SIZE), timeout)
                except (TimeoutError, ConnectionError, OSError):
                    data = b""
                if self.session.finished:  # decided while we were reading
                    break
                if not data:
                    self._emit(self.session.connection_lost())
                    break
                engaged = self.session.engaged
                self._emit(self.session.receive_data(data, self._clock()))
                self._flush()
                if not engaged and self.session.engaged and self._on_engaged is not None:
                    self._on_engaged()
            else:
                self._emit(self.session.connection_lost())
            self._flush()
            with contextlib.suppress(ConnectionError, OSError):
                await self._writer.drain()
        finally:
            self.session.on_output = None
            await _close(self._writer)


async def join_over_stream(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    code: JoinCode,
    pseudonym: str,
    *,
    on_event: EventSink | None = None,
    step_timeout: float = STEP_TIMEOUT,
    decision_timeout: float = DECISION_TIMEOUT,
) -> Welcomed | Refused | JoinFailed:
    """Run the newcomer's side over a connected stream; return how it ended."""
    session = NewcomerSession(code, pseudonym)
    sink = on_event or (lambda event: None)
    outcome: Welcomed | Refused | JoinFailed = JoinFailed(FailureReason.ABANDONED)
    try:
        writer.write(session.data_to_send())
        for _ in range(MAX_READS):
            if session.finished:
                break
            accepted = session.state is NewcomerState.AWAITING_ANSWER
            timeout = decision_timeout if accepted else step_timeout
            try:
                await writer.drain()
                data = await asyncio.wait_for(reader.read(READ_SIZE), timeout)
            except (TimeoutError, ConnectionError, OSError):
                data = b""
            events = session.receive_data(data) if data else session.connection_lost()
            for event in events:
                sink(event)
                if isinstance(event, Welcomed | Refused | JoinFailed):
                    outcome = event
            if not data:
                break
            writer.write(session.data_to_send())
        else:
            session.connection_lost()
        with contextlib.suppress(ConnectionError, OSError):
            writer.write(session.data_to_send())
            await writer.drain()
    finally:
        await _close(writer)
    return outcome
