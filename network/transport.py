"""TCP listening for the node: one listener on an ephemeral port per bound address."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from .errors import NetworkError

ConnectionHandler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


class ListenError(NetworkError):
    """The listener could not be bound (the address is not on this machine, or is taken)."""


@dataclass(frozen=True)
class ListenAddress:
    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


class Listener:
    """Accepts TCP connections on each given address (loopback only when none is given: never
    the wildcard, which would take connections on interfaces nobody chose)."""

    def __init__(self, handler: ConnectionHandler, addresses: Sequence[str] = ()) -> None:
        self._handler = handler
        self._addresses = list(addresses) or ["127.0.0.1"]
        self._servers: list[asyncio.Server] = []
        self._writers: set[asyncio.StreamWriter] = set()
        self.bound: list[ListenAddress] = []

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            await self._handler(reader, writer)
        finally:
            self._writers.discard(writer)

    async def start(self) -> list[ListenAddress]:
        """Bind every address on one port (the first one's ephemeral port), so that one port
        can be announced for all of them."""
        port = 0
        for host in self._addresses:
            try:
                server = await asyncio.start_server(self._serve, host=host, port=port)
            except OSError as exc:
                await self.close()
                raise ListenError(f"cannot listen on {host}: {exc.strerror or exc}") from exc
            self._servers.append(server)
            for sock in server.sockets:
                name = sock.getsockname()
                self.bound.append(ListenAddress(name[0], name[1]))
                port = name[1]
        return self.bound

    @property
    def port(self) -> int:
        return self.bound[0].port if self.bound else 0

    def stop(self) -> None:
        """Accept no more connections; those already accepted stay open."""
        for server in self._servers:
            server.close()

    async def close(self) -> None:
        """Stop, close every connection still being handled, and wait until all are closed.

        Since Python 3.12.1 ``Server.wait_closed`` also waits for every connection the server
        accepted, so an accepted connection left open (a handshake in progress, a join point's
        stream) would make closing wait forever: callers close their links gracefully first,
        and what is left is closed here.
        """
        servers, self._servers = self._servers, []
        for server in servers:
            server.close()
        for writer in list(self._writers):
            writer.close()
        for server in servers:
            await server.wait_closed()
