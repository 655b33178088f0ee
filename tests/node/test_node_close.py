"""Closing ends even with connections open (Python 3.12.1+ ``Server.wait_closed`` waits for
every accepted connection, which once made quitting hang)."""

from __future__ import annotations

import asyncio
import os

import pytest

from network.node import hello
from network.transport import Listener

from .helpers import binding, started

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(60)]

CIRCLE = b"circle-close----"
CLOSE_BOUND = 20.0  # a hang guard, not a speed check: closing takes milliseconds


async def test_a_listener_closes_a_connection_its_handler_still_holds() -> None:
    started_handling: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    ended: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        started_handling.set_result(None)
        ended.set_result(await reader.read())  # waits for the peer, which never writes

    listener = Listener(handler, ["127.0.0.1"])
    [address] = await listener.start()
    reader, writer = await asyncio.open_connection(address.host, address.port)
    try:
        await asyncio.wait_for(started_handling, CLOSE_BOUND)
        await asyncio.wait_for(listener.close(), CLOSE_BOUND)
        assert await asyncio.wait_for(ended, CLOSE_BOUND) == b""
        assert await asyncio.wait_for(reader.read(), CLOSE_BOUND) == b""  # the client sees EOF
    finally:
        writer.close()


@pytest.mark.parametrize("first", ["a", "b"])
async def test_linked_nodes_close_whichever_goes_first(first: str) -> None:
    secret = os.urandom(32)
    a, ra = await started([binding(CIRCLE, secret, "A")], handshake_timeout=600.0)
    b, rb = await started([binding(CIRCLE, secret, "B")], handshake_timeout=600.0)
    nodes = {"a": a, "b": b}
    try:
        await ra.until(lambda: bool(ra.connected))
        await rb.until(lambda: bool(rb.connected))
        await asyncio.wait_for(nodes.pop(first).close(), CLOSE_BOUND)
    finally:
        for node in nodes.values():
            await asyncio.wait_for(node.close(), CLOSE_BOUND)
    assert ra.connected and rb.connected


async def test_a_node_closes_with_a_stranger_connected_mid_handshake() -> None:
    node, _ = await started([binding(CIRCLE, os.urandom(32), "A")], handshake_timeout=600.0)
    [address] = node.listen_addresses
    reader, writer = await asyncio.open_connection(address.host, address.port)
    try:
        writer.write(b"\x00")  # one byte of a hello that never completes
        await writer.drain()
        for _ in range(400):  # until the node is handling it (bounded: 400 turns of 50 ms)
            if node.pending_handshakes:
                break
            await asyncio.sleep(0.05)
        assert node.pending_handshakes == 1
        await asyncio.wait_for(node.close(), CLOSE_BOUND)
        said = await asyncio.wait_for(reader.read(), CLOSE_BOUND)  # up to EOF
        assert len(said) == hello.CHALLENGE_MESSAGE_SIZE  # its challenge, and nothing more
    finally:
        writer.close()
