"""Issue 16 item 5: idle authenticated connections cannot lock a real ``hearth-rendezvous`` out.

The attacker opens connections from many loopback addresses (127.0.1.x and 127.0.3.x: two
/24 networks), completes the Noise handshake on each and then says nothing. One network gets
no more than its cap; when the server is full a real client from a third network still
registers and looks up; and every idle connection is closed after the (short, for the test)
unregistered timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path

import pytest

from network.framing import HEADER_SIZE
from network.rendezvous import RendezvousAddress, parse_address
from network.rendezvous.session import Session

from .helpers import LIMIT, fast_client
from .test_cli import Running

pytestmark = pytest.mark.timeout(90)

LIMITS = [
    "--max-connections", "64",
    "--max-connections-per-address", "16",
    "--max-connections-per-network", "40",
    "--unregistered-timeout", "3",
]  # fmt: skip

Idle = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def authenticated(address: RendezvousAddress, source: str) -> Idle | None:
    """A connection from ``source`` with the handshake done; None when the server refused it."""
    try:
        reader, writer = await asyncio.open_connection(
            address.host, address.port, local_addr=(source, 0)
        )
    except OSError:
        return None
    session = Session(server_key=address.public_key)
    writer.write(session.data_to_send())
    try:
        async with asyncio.timeout(LIMIT):
            size = int.from_bytes(await reader.readexactly(HEADER_SIZE), "big")
            session.receive_frame(await reader.readexactly(size))
    except (asyncio.IncompleteReadError, ConnectionError, TimeoutError):
        writer.close()
        return None
    return reader, writer


async def flood(address: RendezvousAddress, network: str, hosts: int, each: int) -> list[Idle]:
    tries = [
        authenticated(address, f"{network}.{host}")
        for host in range(1, hosts + 1)
        for _ in range(each)
    ]
    return [c for c in await asyncio.gather(*tries) if c is not None]


async def closed_by_server(conn: Idle) -> bool:
    reader, _ = conn
    with contextlib.suppress(ConnectionError):
        async with asyncio.timeout(15):
            while await reader.read(4096):
                pass
    return reader.at_eof() or reader.exception() is not None


async def attack(address: RendezvousAddress) -> None:
    held = await flood(address, "127.0.1", hosts=4, each=16)
    assert len(held) == 40, "one /24 got more than its cap"
    held += await flood(address, "127.0.3", hosts=2, each=12)
    assert len(held) == 64  # the server is full of idle, authenticated connections

    member, seeker = fast_client(address), fast_client(address)  # from 127.0.0.1
    try:
        tag_key = os.urandom(32)
        await member.register(tag_key, b"still here")
        found = await seeker.lookup(tag_key)
        assert [r.info for r in found] == [b"still here"]
        closed = await asyncio.gather(*(closed_by_server(c) for c in held))
        assert all(closed), f"{closed.count(False)} idle connection(s) were never closed"
        found = await seeker.lookup(tag_key)  # the registered member's connection stayed
        assert [r.info for r in found] == [b"still here"]
    finally:
        for _, writer in held:
            writer.close()
        await member.close()
        await seeker.close()


def test_idle_connections_from_many_addresses_do_not_lock_the_server_out(tmp_path: Path) -> None:
    server = Running(["--listen", "127.0.0.1:0", *LIMITS], tmp_path)
    try:
        address = parse_address(str(server.line()["address"]))
        asyncio.run(attack(address))
    finally:
        code, _, err = server.stop()
    assert code == 0, err
