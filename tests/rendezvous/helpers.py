"""A real rendezvous server on 127.0.0.1 for tests, a wiretap proxy, and small waiting helpers."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from network.noise import KeyPair
from network.rendezvous import (
    ClientConfig,
    RendezvousAddress,
    RendezvousClient,
    RendezvousServer,
    ServerConfig,
)
from network.rendezvous.client import IncomingHandler
from network.rendezvous.ratelimit import Rate

LIMIT = 10.0  # seconds: a bound on every wait, never a speed assertion
LOOSE = Rate(burst=10_000, per_second=10_000)


def test_config(**kw: object) -> ServerConfig:
    """Loose rate limits (tests make many requests from 127.0.0.1) unless a test sets them."""
    base: dict[str, object] = {
        "connection_rate": LOOSE, "request_rate": LOOSE, "tag_rate": LOOSE,
        "sweep_interval": 0.05,
    }  # fmt: skip
    base.update(kw)
    return ServerConfig(**base)  # type: ignore[arg-type]


test_config.__test__ = False  # type: ignore[attr-defined]  # not a test, whatever its name


@contextlib.asynccontextmanager
async def running_server(
    key: KeyPair | None = None,
    *,
    port: int = 0,
    clock: Callable[[], float] | None = None,
    **kw: object,
) -> AsyncIterator[RendezvousServer]:
    extra = {"clock": clock} if clock is not None else {}
    server = RendezvousServer(key or KeyPair.generate(), test_config(**kw), **extra)
    await server.start([("127.0.0.1", port)])
    try:
        yield server
    finally:
        await server.close()


def fast_client(
    address: RendezvousAddress,
    on_incoming: IncomingHandler | None = None,
    clock: Callable[[], float] | None = None,
    **kw: object,
) -> RendezvousClient:
    base: dict[str, object] = {
        "connect_timeout": LIMIT, "request_timeout": LIMIT, "relay_timeout": LIMIT,
        "retry_base": 0.05, "retry_cap": 0.2,
    }  # fmt: skip
    base.update(kw)
    extra = {"clock": clock} if clock is not None else {}
    return RendezvousClient(
        address,
        on_incoming=on_incoming,
        config=ClientConfig(**base),  # type: ignore[arg-type]
        **extra,
    )


async def until(predicate: Callable[[], bool], timeout: float = LIMIT) -> None:
    async def wait() -> None:
        while not predicate():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(wait(), timeout)


@dataclass
class Wiretap:
    """A TCP proxy on 127.0.0.1 that records every byte passing in either direction: what a
    network observer (or the server, which forwards the same bytes) gets to see."""

    target_host: str
    target_port: int
    seen: bytearray = field(default_factory=bytearray)
    server: asyncio.Server | None = None
    tasks: set[asyncio.Task[None]] = field(default_factory=set)

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return int(self.server.sockets[0].getsockname()[1])

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(self.target_host, self.target_port)

        async def copy(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    self.seen += data
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                dst.close()

        for task in (
            asyncio.create_task(copy(reader, up_writer)),
            asyncio.create_task(copy(up_reader, writer)),
        ):
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()
        for task in list(self.tasks):
            task.cancel()
        if self.tasks:
            await asyncio.wait(self.tasks, timeout=LIMIT)
