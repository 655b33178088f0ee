"""The rendezvous client: register a circle's presence, look members up, reach them via relay.

::

    client = RendezvousClient(parse_address(text), on_incoming=accept)   # accept(reader, writer)
    handle = await client.register(tag_key, info=b"my contact details")  # kept fresh until closed
    for reg in await client.lookup(tag_key):                            # other members, live now
        reader, writer = await client.connect(reg)                      # spliced to that member
    await client.close()

A relayed stream pair behaves like a TCP connection to the member: the dialer writes its hello
and runs the Noise handshake over it, the member's ``on_incoming`` handler accepts it like any
incoming connection. The server only ever sees the members' Noise ciphertext.

Privacy: every registration has its own connection, registered under the tag of the current
epoch only; at an epoch change a new connection registers under the new tag before the old one
closes, and lookups of different epochs use different connections, so the server is not told
that two tags belong together. (It does see the client's IP address.)
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from ..tasks import TaskSet
from . import codec
from .address import RendezvousAddress, parse_address
from .connection import ServerLink
from .errors import RendezvousError, Unavailable
from .tags import EPOCH_LENGTH, EpochKeys, epoch_of

log = logging.getLogger(__name__)

IncomingHandler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@dataclass(frozen=True)
class ClientConfig:
    connect_timeout: float = 10.0
    request_timeout: float = 10.0
    relay_timeout: float = 20.0
    """How long :meth:`RendezvousClient.connect` waits for the member to accept."""
    ttl: int = 600
    """The TTL asked for (the server clamps it); registrations are refreshed at half of it."""
    epoch_length: int = EPOCH_LENGTH
    epoch_overlap: float = 600.0
    """Within this many seconds of an epoch boundary, lookups also ask under the neighbouring
    epoch's tag (members' clocks differ)."""
    retry_base: float = 1.0
    retry_cap: float = 60.0

    def __post_init__(self) -> None:
        if self.ttl < 2:
            raise ValueError("ttl must be at least 2 seconds")
        if not 0 <= self.epoch_overlap < self.epoch_length:
            raise ValueError("epoch_overlap must be within [0, epoch_length)")


@dataclass(frozen=True)
class Registration:
    """A live registration found by :meth:`RendezvousClient.lookup`."""

    token: bytes = field(repr=False)
    info: bytes = field(repr=False)
    """The contact info the member registered (decrypted; the server saw it sealed)."""
    ttl: int
    epoch: int


class _Retry:
    def __init__(self, base: float, cap: float) -> None:
        self.base, self.cap, self.attempts = base, cap, 0

    def next_delay(self) -> float:
        ceiling = min(self.cap, self.base * 2.0 ** min(self.attempts, 32))
        self.attempts += 1
        return ceiling / 2 + random.random() * ceiling / 2


class RegistrationHandle:
    """A registration kept alive in the background: refreshed at half its TTL, moved to the
    new tag at each epoch, re-made after a lost connection, until :meth:`close`."""

    def __init__(self, client: RendezvousClient, tag_key: bytes, info: bytes) -> None:
        self._client = client
        self._tag_key = tag_key
        self._info = info
        self._task: asyncio.Task[None] | None = None
        self.token: bytes | None = None
        """The current registration's token (None while not registered)."""
        self.epoch: int | None = None
        self.ttl: int | None = None
        self.registrations = 0
        """How many REGISTER requests succeeded (first registration, refreshes, new epochs)."""

    @property
    def registered(self) -> bool:
        return self.token is not None

    async def _establish(self) -> tuple[ServerLink, EpochKeys]:
        c = self._client
        keys = EpochKeys.derive(self._tag_key, epoch_of(c.clock(), c.config.epoch_length))
        link = await c.open_link()
        link.start(c._on_incoming_message)
        try:
            await self._register(link, keys)
        except BaseException:
            await link.close()
            raise
        return link, keys

    async def _register(self, link: ServerLink, keys: EpochKeys) -> None:
        c = self._client
        issued = int(c.clock())
        answer = await link.register(keys, keys.seal(self._info), issued, c.config.ttl)
        old = self.token
        self.token, self.epoch, self.ttl = answer.token, keys.epoch, answer.ttl
        c._own.add(answer.token)
        if old is not None and old != answer.token:
            c._own.discard(old)
        self.registrations += 1

    def _forget(self) -> None:
        if self.token is not None:
            self._client._own.discard(self.token)
        self.token = self.epoch = self.ttl = None

    async def _run(self, first: asyncio.Future[None]) -> None:
        c = self._client
        retry = _Retry(c.config.retry_base, c.config.retry_cap)
        link: ServerLink | None = None
        keys: EpochKeys | None = None
        try:
            while True:
                try:
                    if link is None or keys is None:
                        link, keys = await self._establish()
                        if not first.done():
                            first.set_result(None)
                        retry.attempts = 0
                    await self._wait(link, keys)
                    if link.closed:
                        raise Unavailable("lost the connection to the rendezvous server")
                    if epoch_of(c.clock(), c.config.epoch_length) != keys.epoch:
                        new_link, new_keys = await self._establish()  # make before break
                        old, link, keys = link, new_link, new_keys
                        await old.close()
                    else:
                        await self._register(link, keys)  # refresh: same token
                except (RendezvousError, OSError) as exc:
                    if link is not None:
                        await link.close()
                    link = keys = None
                    self._forget()
                    if not first.done():
                        first.set_exception(exc)
                        return
                    log.debug("rendezvous registration lost: %s", type(exc).__name__)
                    await asyncio.sleep(retry.next_delay())
        finally:
            if link is not None:
                await link.close()
            self._forget()

    async def _wait(self, link: ServerLink, keys: EpochKeys) -> None:
        """Until it is time to refresh, the epoch ends, or the link closes."""
        c = self._client
        now = c.clock()
        epoch_end = (keys.epoch + 1) * c.config.epoch_length - now
        delay = max(0.0, min((self.ttl or c.config.ttl) / 2, epoch_end + 0.001))
        try:
            async with asyncio.timeout(delay):
                await link.wait_closed()
        except TimeoutError:
            pass

    async def close(self) -> None:
        """Stop refreshing and drop the registration (its connection closes)."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            await asyncio.wait({task}, timeout=5)
        self._client._handles.discard(self)


class RendezvousClient:
    """A client of one rendezvous server. ``on_incoming`` receives relayed connections that
    other members opened to us (it owns the stream pair it is given)."""

    def __init__(
        self,
        address: RendezvousAddress | str,
        *,
        on_incoming: IncomingHandler | None = None,
        config: ClientConfig | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.address = parse_address(address) if isinstance(address, str) else address
        self.config = config or ClientConfig()
        self.clock = clock
        self._on_incoming = on_incoming
        self._tasks = TaskSet()
        self._handles: set[RegistrationHandle] = set()
        self._own: set[bytes] = set()
        self._closed = False
        self.incoming_refused = 0

    async def open_link(self) -> ServerLink:
        """A new connection to the server (Noise handshake done)."""
        if self._closed:
            raise Unavailable("the rendezvous client is closed")
        return await ServerLink.open(
            self.address,
            connect_timeout=self.config.connect_timeout,
            request_timeout=self.config.request_timeout,
        )

    # -- registrations ------------------------------------------------------------------

    async def register(self, tag_key: bytes, info: bytes = b"") -> RegistrationHandle:
        """Register under the circle's current tag; returns once registered (raises
        :class:`~.errors.Refused` or :class:`~.errors.Unavailable` otherwise), then keeps the
        registration alive in the background until the handle or the client is closed."""
        EpochKeys.derive(tag_key, 0)  # checks the key's size now, not in the background
        if len(info) > 256:
            raise ValueError("contact info is at most 256 bytes")
        handle = RegistrationHandle(self, tag_key, info)
        first: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        handle._task = self._tasks.spawn(handle._run(first), "rendezvous-registration")
        self._handles.add(handle)
        try:
            await first
        except BaseException:
            await handle.close()
            raise
        return handle

    def is_own(self, token: bytes) -> bool:
        return token in self._own

    # -- lookups ------------------------------------------------------------------------

    def lookup_epochs(self) -> list[int]:
        """The epochs a lookup asks about now: the current one, and a neighbour near a boundary."""
        now, overlap, length = self.clock(), self.config.epoch_overlap, self.config.epoch_length
        return sorted(
            {
                epoch_of(now - overlap, length),
                epoch_of(now, length),
                epoch_of(now + overlap, length),
            }
        )

    async def lookup(self, tag_key: bytes) -> list[Registration]:
        """Other members' live registrations under the circle's tag (ours left out)."""
        epochs = self.lookup_epochs()
        results = await asyncio.gather(
            *(self._lookup_epoch(EpochKeys.derive(tag_key, e)) for e in epochs),
            return_exceptions=True,
        )
        found: list[Registration] = []
        errors: list[BaseException] = []
        for result in results:
            if isinstance(result, BaseException):
                if not isinstance(result, RendezvousError | OSError):
                    raise result
                errors.append(result)
            else:
                found += result
        if errors and len(errors) == len(results):
            raise errors[0]
        return found

    async def _lookup_epoch(self, keys: EpochKeys) -> list[Registration]:
        link = await self.open_link()
        try:
            link.start()
            answer = await link.lookup(keys.tag)
        finally:
            await link.close()
        found = []
        for entry in answer.entries:
            if entry.token in self._own:
                continue
            info = keys.open(entry.info)
            if info is None:  # not sealed with the circle's key: not from a member
                continue
            found.append(Registration(entry.token, info, entry.ttl, keys.epoch))
        return found

    # -- relays -------------------------------------------------------------------------

    async def connect(
        self, registration: Registration
    ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """A stream pair spliced to the member behind ``registration`` (it accepted)."""
        link = await self.open_link()
        try:
            async with asyncio.timeout(self.config.relay_timeout):
                return await link.splice(codec.Connect(1, registration.token))
        except TimeoutError:
            raise Unavailable("the member did not accept the relay in time") from None

    def _on_incoming_message(self, message: codec.Incoming) -> None:
        if self._closed or self._on_incoming is None:
            self.incoming_refused += 1
            return
        self._tasks.spawn(self._accept(message.relay_token), "rendezvous-accept")

    async def _accept(self, relay_token: bytes) -> None:
        assert self._on_incoming is not None
        try:
            link = await self.open_link()
            async with asyncio.timeout(self.config.relay_timeout):
                reader, writer = await link.splice(codec.Accept(1, relay_token))
        except (RendezvousError, OSError, TimeoutError) as exc:
            log.debug("could not accept a relayed connection: %s", type(exc).__name__)
            return
        await self._on_incoming(reader, writer)

    # -- life cycle ---------------------------------------------------------------------

    async def close(self) -> None:
        self._closed = True
        for handle in list(self._handles):
            await handle.close()
        await self._tasks.close()
