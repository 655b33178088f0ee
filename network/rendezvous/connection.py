"""One client connection to a rendezvous server: the asyncio adapter around :class:`Session`.

A :class:`ServerLink` is used in one of two ways:

* **control**: :meth:`ServerLink.start` runs a reader task; requests (:meth:`ping`,
  :meth:`register`, :meth:`unregister`, :meth:`lookup`) are answered by req_id, and INCOMING
  notifications go to a callback;
* **relay**: :meth:`splice` sends CONNECT or ACCEPT and reads frames one by one (never past the
  SPLICED answer), then hands over the bare stream pair, now joined to the other member's.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import Callable
from typing import TypeVar

from ..framing import HEADER_SIZE
from . import codec
from .address import RendezvousAddress
from .errors import MalformedMessage, ProtocolError, Refused, Unavailable
from .session import Session
from .tags import EpochKeys

log = logging.getLogger(__name__)

CLOSE_TIMEOUT = 2.0

IncomingCallback = Callable[[codec.Incoming], None]
_R = TypeVar("_R", bound=codec.Response)


async def _read_frame(reader: asyncio.StreamReader, session: Session) -> bytes:
    header = await reader.readexactly(HEADER_SIZE)
    size = int.from_bytes(header, "big")
    session.check_length(size)
    return await reader.readexactly(size)


class ServerLink:
    """A Noise NK connection to a rendezvous server. Build it with :meth:`open`."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        session: Session,
        request_timeout: float = 10.0,
    ) -> None:
        self.request_timeout = request_timeout
        self._reader = reader
        self._writer = writer
        self._session = session
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[codec.Response]] = {}
        self._task: asyncio.Task[None] | None = None
        self._closed = asyncio.Event()
        self._error: Exception | None = None
        self._detached = False

    @classmethod
    async def open(
        cls,
        address: RendezvousAddress,
        *,
        connect_timeout: float = 10.0,
        request_timeout: float = 10.0,
    ) -> ServerLink:
        """Connect and run the handshake (:class:`Unavailable` when the server cannot be
        reached, :class:`~.errors.HandshakeFailed` when it does not hold the address's key)."""
        writer: asyncio.StreamWriter | None = None
        try:
            async with asyncio.timeout(connect_timeout):
                reader, writer = await asyncio.open_connection(address.host, address.port)
                session = Session(server_key=address.public_key)
                writer.write(session.data_to_send())
                session.receive_frame(await _read_frame(reader, session))
        except (OSError, TimeoutError, asyncio.IncompleteReadError) as exc:
            if writer is not None:
                writer.close()
            what = "no answer" if isinstance(exc, TimeoutError) else type(exc).__name__
            raise Unavailable(f"cannot reach the rendezvous server ({what})") from exc
        except ProtocolError:
            writer.close()  # type: ignore[union-attr]  # the handshake ran: writer is set
            raise
        return cls(reader, writer, session, request_timeout)

    @property
    def handshake_hash(self) -> bytes:
        return self._session.handshake_hash

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    async def wait_closed(self) -> None:
        await self._closed.wait()

    def _send(self, message: codec.Request) -> None:
        if self._closed.is_set() or self._writer.is_closing():
            raise Unavailable("the connection to the rendezvous server is closed")
        self._session.send(message)
        self._writer.write(self._session.data_to_send())

    # -- control mode -------------------------------------------------------------------

    def start(self, on_incoming: IncomingCallback | None = None) -> None:
        """Run the reader task (control mode)."""
        if self._task is not None or self._detached:
            raise RuntimeError("the link is already started or detached")
        self._task = asyncio.get_running_loop().create_task(
            self._read_loop(on_incoming), name="rendezvous-link-reader"
        )

    async def _read_loop(self, on_incoming: IncomingCallback | None) -> None:
        error: Exception = Unavailable("the rendezvous server closed the connection")
        try:
            while True:
                message = self._session.receive_frame(
                    await _read_frame(self._reader, self._session)
                )
                if isinstance(message, codec.Incoming):
                    if on_incoming is not None:
                        on_incoming(message)
                    continue
                if isinstance(message, codec.Error) and message.req_id == 0:
                    error = Refused(message.code, message.reason)
                    break
                req_id = getattr(message, "req_id", None)
                waiter = self._waiting.pop(req_id, None) if isinstance(req_id, int) else None
                if waiter is None:
                    error = MalformedMessage("an answer to no request")
                    break
                if not waiter.done():
                    waiter.set_result(message)  # type: ignore[arg-type]
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            pass
        except ProtocolError as exc:
            error = exc
        finally:
            self._error = error
            self._fail_waiters(error)
            self._writer.close()
            self._closed.set()

    def _fail_waiters(self, error: Exception) -> None:
        waiting, self._waiting = self._waiting, {}
        for waiter in waiting.values():
            if not waiter.done():
                waiter.set_exception(error)

    async def call(self, make: Callable[[int], codec.Request]) -> codec.Response:
        """Send the request ``make(req_id)`` and return its answer (ERROR raises
        :class:`Refused`; no answer within ``request_timeout`` raises :class:`Unavailable`)."""
        if self._task is None:
            raise RuntimeError("start() the link before sending requests")
        if self._closed.is_set():
            raise self._error or Unavailable("the connection is closed")
        req_id = next(self._ids) & codec.MAX_REQ_ID or 1
        waiter: asyncio.Future[codec.Response] = asyncio.get_running_loop().create_future()
        self._waiting[req_id] = waiter
        try:
            self._send(make(req_id))
            async with asyncio.timeout(self.request_timeout):
                answer = await waiter
        except TimeoutError:
            raise Unavailable("the rendezvous server did not answer in time") from None
        finally:
            self._waiting.pop(req_id, None)
        if isinstance(answer, codec.Error):
            raise Refused(answer.code, answer.reason)
        return answer

    async def ping(self) -> None:
        answer = await self.call(codec.Ping)
        _expect(answer, codec.Ok)

    async def register(
        self, keys: EpochKeys, sealed_info: bytes, issued: int, ttl: int
    ) -> codec.Registered:
        signature = keys.sign(self.handshake_hash, issued, ttl, sealed_info)

        def make(req_id: int) -> codec.Request:
            return codec.Register(
                req_id, keys.tag, keys.verify_key, issued, ttl, sealed_info, signature
            )

        answer = await self.call(make)
        return _expect(answer, codec.Registered)

    async def unregister(self, token: bytes) -> None:
        answer = await self.call(lambda r: codec.Unregister(r, token))
        _expect(answer, codec.Ok)

    async def lookup(self, tag: bytes) -> codec.Found:
        answer = await self.call(lambda r: codec.Lookup(r, tag))
        return _expect(answer, codec.Found)

    # -- relay mode ---------------------------------------------------------------------

    async def splice(
        self, request: codec.Connect | codec.Accept
    ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """Send CONNECT or ACCEPT and wait for SPLICED: returns the stream pair, which from now
        on carries the other member's bytes (the link itself is done with). The server bounds
        the wait (its accept timeout); a caller wanting less wraps this in ``asyncio.timeout``.
        """
        if self._task is not None or self._detached:
            raise RuntimeError("splice() needs a fresh link")
        self._detached = True
        try:
            self._send(request)
            message = self._session.receive_frame(await _read_frame(self._reader, self._session))
        except BaseException as exc:
            self._writer.close()
            if isinstance(exc, asyncio.IncompleteReadError | ConnectionError | OSError):
                raise Unavailable("the rendezvous server closed the connection") from exc
            raise
            self._writer.close()
            raise Unavailable("the rendezvous server closed the connection") from exc
        if isinstance(message, codec.Error):
            self._writer.close()
            raise Refused(message.code, message.reason)
        if not isinstance(message, codec.Spliced) or message.req_id != request.req_id:
            self._writer.close()
            raise MalformedMessage(f"expected SPLICED, got {type(message).__name__}")
        self._closed.set()
        return self._reader, self._writer

    async def close(self) -> None:
        if self._detached and self._task is None:
            return
        self._writer.close()
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.wait({self._task}, timeout=CLOSE_TIMEOUT)
        with contextlib.suppress(ConnectionError, OSError, TimeoutError):
            async with asyncio.timeout(CLOSE_TIMEOUT):
                await self._writer.wait_closed()
        self._closed.set()


def _expect(answer: codec.Response, kind: type[_R]) -> _R:
    if not isinstance(answer, kind):
        raise MalformedMessage(f"expected {kind.__name__}, got {type(answer).__name__}")
    return answer
