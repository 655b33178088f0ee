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
        self.bound: list[ListenAddress] = []

    async def start(self) -> list[ListenAddress]:
        """Bind every address on one port (the first one's ephemeral port), so that one port
        can be announced for all of them."""
        port = 0
        for host in self._addresses:
            try:
                server = await asyncio.start_server(self._handler, host=host, port=port)
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

    async def close(self) -> None:
        servers, self._servers = self._servers, []
        for server in servers:
            server.close()
        for server in servers:
            await server.wait_closed()
