"""The asyncio adapter for :mod:`network.channel`: a secure channel over a stream pair.

::

    reader, writer = await asyncio.open_connection(host, port)
    writer.write(hello)                       # optional bytes in clear, e.g. the node's hello
    stream = await connect_channel(reader, writer, config, cleartext=hello)
    await stream.send(b"...")
    data = await stream.recv()                # ChannelClosedError once the peer closed
    await stream.close(CloseCode.NORMAL)

The responder reads whatever clear bytes it expects itself, then calls :func:`accept_channel`
with the same ``cleartext``. Both calls return only once the channel is open (handshake done,
peer verified by ``config.verify_peer``), or raise a :class:`~network.channel.ChannelError`
(:class:`~network.channel.HandshakeTimeout` after ``config.handshake_timeout``). Timers (the
handshake timeout, keepalives, the idle timeout) run on the event loop's clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque

from .channel import (
    ChannelClosed,
    ChannelClosedError,
    ChannelConfig,
    ChannelError,
    ChannelEvent,
    CloseCode,
    HandshakeComplete,
    MessageReceived,
    PongReceived,
    SecureChannel,
    TruncatedError,
    describe_code,
)

log = logging.getLogger(__name__)

READ_SIZE = 256 * 1024
MAX_QUEUED_MESSAGES = 64
"""Messages received but not yet taken by :meth:`SecureStream.recv`; past this the stream
stops reading from the socket, so TCP pushes back on the sender."""
CLOSE_FLUSH_TIMEOUT = 2.0


class SecureStream:
    """An open secure channel on an asyncio stream pair. Build it with :func:`connect_channel`
    or :func:`accept_channel`."""

    def __init__(
        self,
        channel: SecureChannel,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        self._channel = channel
        self._reader = reader
        self._writer = writer
        self._loop = asyncio.get_running_loop()
        self._messages: deque[bytes] = deque()
        self._readable = asyncio.Event()
        self._room = asyncio.Event()
        self._room.set()
        self._opened: asyncio.Future[None] = self._loop.create_future()
        self._closed = asyncio.Event()
        self._timer: asyncio.TimerHandle | None = None
        self._timer_when: float | None = None
        self.last_rtt: float | None = None
        """The round trip of the latest PONG (keepalives included), in seconds."""
        self._pong_waiters: list[asyncio.Future[float]] = []
        self._flush()
        self._arm_timer()
        self._task = self._loop.create_task(self._read_loop(), name="secure-stream-reader")
        self._task.add_done_callback(_report_failure)

    # -- what the peer showed ---------------------------------------------------------

    @property
    def remote_static(self) -> bytes:
        assert self._channel.remote_static is not None
        return self._channel.remote_static

    @property
    def handshake_hash(self) -> bytes:
        assert self._channel.handshake_hash is not None
        return self._channel.handshake_hash

    @property
    def peer_payload(self) -> bytes:
        return self._channel.peer_payload

    @property
    def peer_early_payload(self) -> bytes:
        return self._channel.peer_early_payload

    @property
    def peer_identity(self) -> object:
        """What ``config.verify_peer`` returned for this peer."""
        return self._channel.peer_identity

    @property
    def initiator(self) -> bool:
        return self._channel.initiator

    @property
    def protocol_name(self) -> str:
        return self._channel.protocol_name

    @property
    def closed(self) -> bool:
        return self._channel.closed

    @property
    def close_code(self) -> int | None:
        return self._channel.close_code

    @property
    def closed_by_peer(self) -> bool:
        return self._channel.closed_by_peer

    @property
    def error(self) -> ChannelError | None:
        """Why the channel failed (None while open, or after a clean close)."""
        return self._channel.error

    def get_extra_info(self, name: str, default: object = None) -> object:
        """The transport's extra info (``peername``, ``sockname``, ...)."""
        return self._writer.get_extra_info(name, default)

    # -- use --------------------------------------------------------------------------

    async def send(self, data: bytes | bytearray | memoryview) -> None:
        """Send one message (fragmented as needed); waits while the socket's buffer is full."""
        self._channel.send_message(data, self._loop.time())
        self._flush()
        self._arm_timer()
        try:
            await self._writer.drain()
        except (ConnectionError, OSError) as exc:
            self._lost(exc)
            raise self._closed_error() from exc

    async def recv(self) -> bytes:
        """The next message. Messages already received are delivered before the close; then
        :class:`ChannelClosedError` (clean close, ``code`` and ``by_peer`` say why) or the
        channel's error is raised."""
        while not self._messages:
            if self._channel.closed:
                raise self._closed_error()
            self._readable.clear()
            await self._readable.wait()
        data = self._messages.popleft()
        if len(self._messages) < MAX_QUEUED_MESSAGES:
            self._room.set()
        return data

    async def ping(self) -> float:
        """Send a PING and wait for its PONG; returns the round trip in seconds."""
        waiter: asyncio.Future[float] = self._loop.create_future()
        self._channel.ping(self._loop.time())
        self._pong_waiters.append(waiter)
        self._flush()
        self._arm_timer()
        try:
            return await waiter
        finally:
            if waiter in self._pong_waiters:
                self._pong_waiters.remove(waiter)

    def __aiter__(self) -> SecureStream:
        return self

    async def __anext__(self) -> bytes:
        """Iterate messages until a clean close (an error is raised)."""
        try:
            return await self.recv()
        except ChannelClosedError as exc:
            raise StopAsyncIteration from exc

    async def close(self, code: int = CloseCode.NORMAL) -> None:
        """Send a CLOSE record with ``code``, then close the connection."""
        if not self._channel.closed:
            self._channel.close(code, self._loop.time())
            self._flush()
        await self._shutdown()

    async def wait_closed(self) -> None:
        await self._closed.wait()

    # -- internals --------------------------------------------------------------------

    def _closed_error(self) -> ChannelError:
        channel = self._channel
        if channel.error is not None:
            return channel.error
        code = channel.close_code if channel.close_code is not None else CloseCode.NORMAL
        who = "peer" if channel.closed_by_peer else "we"
        return ChannelClosedError(
            f"{who} closed the channel ({describe_code(code)})",
            code,
            by_peer=channel.closed_by_peer,
        )

    def _flush(self) -> None:
        data = self._channel.data_to_send()
        if data and not self._writer.is_closing():
            self._writer.write(data)

    def _arm_timer(self) -> None:
        deadline = self._channel.next_deadline()
        if deadline is None:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
                self._timer_when = None
            return
        if self._timer is not None and self._timer_when is not None:
            if self._timer_when <= deadline:
                return  # fires early at worst: _on_timer re-arms
            self._timer.cancel()
        self._timer = self._loop.call_at(deadline, self._on_timer)
        self._timer_when = deadline

    def _on_timer(self) -> None:
        self._timer = None
        self._timer_when = None
        self._handle(self._channel.tick(self._loop.time()))
        self._flush()
        if self._channel.closed:  # timed out: hang up, which also ends the read loop
            self._writer.close()
        else:
            self._arm_timer()

    def _lost(self, exc: BaseException | None) -> None:
        if not self._channel.closed:
            log.debug("connection lost: %s", type(exc).__name__ if exc else "eof")
            self._handle(self._channel.receive_eof(self._loop.time()))

    def _handle(self, events: list[ChannelEvent]) -> None:
        for event in events:
            if isinstance(event, MessageReceived):
                self._messages.append(event.data)
                self._readable.set()
                if len(self._messages) >= MAX_QUEUED_MESSAGES:
                    self._room.clear()
            elif isinstance(event, HandshakeComplete):
                if not self._opened.done():
                    self._opened.set_result(None)
            elif isinstance(event, PongReceived):
                self.last_rtt = event.rtt
                waiters, self._pong_waiters = self._pong_waiters, []
                for waiter in waiters:
                    if not waiter.done():
                        waiter.set_result(event.rtt)
            elif isinstance(event, ChannelClosed):
                self._readable.set()
                self._room.set()  # let the read loop see the close and end
                self._fail_pings()
                if not self._opened.done():
                    self._opened.set_exception(self._closed_error())
                    self._opened.exception()  # retrieved here: awaited by the opener anyway

    def _fail_pings(self) -> None:
        waiters, self._pong_waiters = self._pong_waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_exception(self._closed_error())

    async def _read_loop(self) -> None:
        channel = self._channel
        try:
            while not channel.closed:
                await self._room.wait()
                if channel.closed:
                    break
                try:
                    data = await self._reader.read(READ_SIZE)
                except (ConnectionError, OSError) as exc:
                    self._lost(exc)
                    break
                if not data:
                    self._lost(None)
                    break
                self._handle(channel.receive_data(data, self._loop.time()))
                self._flush()
                self._arm_timer()
        finally:
            if not channel.closed:  # cancelled from outside
                channel.close(CloseCode.GOING_AWAY, self._loop.time())
                self._flush()
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            self._readable.set()
            self._fail_pings()
            if not self._opened.done():
                self._opened.set_exception(self._closed_error())
                self._opened.exception()
            self._writer.close()
            self._closed.set()

    async def _shutdown(self) -> None:
        with contextlib.suppress(ConnectionError, OSError, TimeoutError):
            async with asyncio.timeout(CLOSE_FLUSH_TIMEOUT):
                await self._writer.drain()
        self._writer.close()
        if not self._task.done():
            self._task.cancel()
            await asyncio.wait({self._task}, timeout=CLOSE_FLUSH_TIMEOUT)
        with contextlib.suppress(ConnectionError, OSError, TimeoutError):
            async with asyncio.timeout(CLOSE_FLUSH_TIMEOUT):
                await self._writer.wait_closed()

    async def _wait_open(self) -> None:
        try:
            await asyncio.shield(self._opened)
        except asyncio.CancelledError:
            await self._shutdown()
            raise
        except ChannelError:
            await self._shutdown()
            raise


def _report_failure(task: asyncio.Task[None]) -> None:
    """The read loop never raises on purpose: anything it does raise is a bug, logged here."""
    if not task.cancelled() and task.exception() is not None:
        log.error("secure stream reader failed", exc_info=task.exception())


async def connect_channel(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    config: ChannelConfig,
    *,
    cleartext: bytes = b"",
    ephemeral: bytes | None = None,
) -> SecureStream:
    """Run the handshake as initiator; returns once the responder confirmed the channel.

    ``cleartext``: every byte exchanged in clear on this connection before the handshake
    (already written or read by the caller); it goes into the prologue.
    """
    return await _open(reader, writer, config, True, cleartext, ephemeral)


async def accept_channel(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    config: ChannelConfig,
    *,
    cleartext: bytes = b"",
) -> SecureStream:
    """Run the handshake as responder; returns once the initiator is verified."""
    return await _open(reader, writer, config, False, cleartext, None)


async def _open(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    config: ChannelConfig,
    initiator: bool,
    cleartext: bytes,
    ephemeral: bytes | None,
) -> SecureStream:
    loop = asyncio.get_running_loop()
    channel = SecureChannel(
        config, initiator=initiator, now=loop.time(), cleartext=cleartext, ephemeral=ephemeral
    )
    stream = SecureStream(channel, reader, writer)
    await stream._wait_open()
    return stream


__all__ = [
    "ChannelClosedError",
    "ChannelError",
    "SecureStream",
    "TruncatedError",
    "accept_channel",
    "connect_channel",
]
