"""Issue 16 item 4 at the node: join-point connections are capped, bounded in time, and closed
when their point is withdrawn (the invitation closed)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence

import pytest

from network.node import Node, hello

from .helpers import started

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(60)]

POINT = os.urandom(32)


async def _hold(node: Node, source: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A join-point connection from ``source`` that sends its hello and then nothing."""
    where = node.listen_addresses[0]
    reader, writer = await asyncio.open_connection(where.host, where.port, local_addr=(source, 0))
    await hello.dial(reader, writer, POINT, 5.0)
    return reader, writer


async def _closed(reader: asyncio.StreamReader, within: float = 10.0) -> bool:
    try:
        async with asyncio.timeout(within):
            while await reader.read(1024):
                pass
    except TimeoutError:
        return False
    except ConnectionError:
        pass
    return True


async def _served(node: Node, served: list[int], conns: Sequence[object]) -> None:
    async with asyncio.timeout(10):
        while len(served) + node.refused < len(conns):
            await asyncio.sleep(0.02)


async def test_one_address_gets_a_few_join_point_connections_others_still_get_in() -> None:
    served: list[int] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        served.append(1)
        await reader.read(1)  # holds the connection until the peer or the node ends it

    node, _ = await started([], discovery=False, max_point_connections_per_address=3)
    try:
        await node.set_join_points({POINT: handler})
        flood = [await _hold(node, "127.0.0.7") for _ in range(20)]
        await _served(node, served, flood)
        assert len(served) == 3 and node.refused == 17
        newcomer = await _hold(node, "127.0.0.8")
        await _served(node, served, [*flood, newcomer])
        assert len(served) == 4
        await node.set_join_points({})  # the invitation closed: so do its connections
        assert all(await asyncio.gather(*(_closed(r) for r, _ in [*flood, newcomer])))
        for _, writer in [*flood, newcomer]:
            writer.close()
    finally:
        await node.close()


async def test_a_join_point_connection_has_a_total_deadline() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while await reader.read(1):  # a trickler: one byte at a time, forever
            pass

    node, _ = await started([], discovery=False, point_deadline=1.0)
    try:
        await node.set_join_points({POINT: handler})
        reader, writer = await _hold(node, "127.0.0.9")
        for _ in range(10):
            writer.write(b"x")
            await asyncio.sleep(0.05)
        assert await _closed(reader)
        writer.close()
    finally:
        await node.close()


async def test_two_newcomers_seeking_one_code_find_its_host_not_each_other() -> None:
    """Both look for the code's key; only the host announces it. (A seeker used to announce
    it too, so a second newcomer could dial the first one instead of the host.)"""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    first, _ = await started([])
    second, _ = await started([])
    host: Node | None = None
    try:
        await first.set_join_points({POINT: None})
        await second.set_join_points({POINT: None})
        with pytest.raises(TimeoutError):  # nobody hosts the code yet: nobody is found
            async with asyncio.timeout(3):
                await second.find(POINT)
        host, _ = await started([])
        await host.set_join_points({POINT: handler})
        found = await asyncio.wait_for(second.find(POINT), 10)
        assert found.peer_id == host.label
        found = await asyncio.wait_for(first.find(POINT), 10)
        assert found.peer_id == host.label
    finally:
        for node in (first, second, host):
            if node is not None:
                await node.close()
