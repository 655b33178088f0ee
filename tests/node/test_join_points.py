"""Issue 16 item 4 at the node: join-point connections are capped, bounded in time, and closed
when their point is withdrawn (the invitation closed)."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Sequence

import pytest

from messenger.circle import create_circle
from messenger.invite_link import InviteLink
from messenger.joincode import (
    HostConnection,
    Invitation,
    JoinEvent,
    JoinRequested,
    Welcomed,
    generate,
    join_over_stream,
)
from network.discovery import service as discovery_service
from network.node import Node, hello
from tests.discovery.stale import current_txt, send_stale

from .helpers import discovered, started, until

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(60)]

POINT = os.urandom(32)


async def _hold(
    node: Node, source: str, key: bytes = POINT
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A join-point connection from ``source`` that sends its hello and then nothing."""
    where = node.listen_addresses[0]
    reader, writer = await asyncio.open_connection(where.host, where.port, local_addr=(source, 0))
    await hello.dial(reader, writer, key, 5.0)
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


async def test_a_full_house_of_idle_connections_still_lets_a_newcomer_join_by_code() -> None:
    """32 addresses hold all 128 places (4 each: a hello, then silence). A newcomer from another
    address still joins by the code: its connection takes the place of the oldest held one from
    the busiest address. Once its SPAKE2 message is in, it keeps its place while the flood
    reconnects from 32 fresh addresses and displaces only its own idle connections."""
    code = generate()
    link = InviteLink.for_circle(create_circle("Tuesday evening", "Quiet Heron")[0])
    invitation = Invitation(code, link.to_text(), now=time.time())
    asked: list[JoinRequested] = []
    node, _ = await started([], discovery=False)

    def noted(event: JoinEvent) -> None:
        if isinstance(event, JoinRequested):
            asked.append(event)

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connection = HostConnection(
            invitation.new_session(),
            reader,
            writer,
            time.time,
            noted,
            step_timeout=60.0,  # the flood's silence is not what frees the places here
            on_engaged=lambda: node.point_progressed(writer),
        )
        await connection.run()

    held: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    try:
        await node.set_join_points({code.discovery_key: handler})
        flood = [f"127.0.1.{n}" for n in range(1, 33)]
        for source in flood:
            for _ in range(4):
                held.append(await _hold(node, source, code.discovery_key))
        await until(lambda: node.point_connections == 128)
        held.append(await _hold(node, flood[0], code.discovery_key))  # over its share
        await until(lambda: node.refused == 1)
        assert node.point_connections == 128

        where = node.listen_addresses[0]
        reader, writer = await asyncio.open_connection(
            where.host, where.port, local_addr=("127.0.2.1", 0)
        )
        await hello.dial(reader, writer, code.discovery_key, 5.0)
        joining = asyncio.create_task(join_over_stream(reader, writer, code, "Hopeful Finch"))
        await until(lambda: bool(asked) or joining.done())
        assert asked and asked[0].pseudonym == "Hopeful Finch"  # the host was asked

        for source in [f"127.0.3.{n}" for n in range(1, 33)]:  # the flood comes back
            for _ in range(4):
                held.append(await _hold(node, source, code.discovery_key))
        await until(lambda: node.point_connections == 128)
        assert not joining.done()  # still waiting for the host, in its place
        session = invitation.request(asked[0].request_id)
        assert session is not None
        session.approve()
        outcome = await asyncio.wait_for(joining, 20)
        assert isinstance(outcome, Welcomed) and outcome.invite.to_text() == link.to_text()
    finally:
        for _, w in held:
            w.close()
        await node.close()


async def test_a_seeker_finds_an_open_point_past_a_stale_announcement(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A late answer left the seeker holding the host's TXT from before the code opened (seen
    in a scenario run: three tries, each "no invitation with that code is open"). The search
    asks the LAN again instead of waiting for the record to expire."""
    monkeypatch.setattr(discovery_service, "REANNOUNCE_AFTER", 600.0)  # the host stays quiet

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    host, _ = await started([])
    seeker, _ = await started([])
    try:
        await discovered(seeker, host)
        before = await current_txt(host.label)
        await host.set_join_points({POINT: handler})
        await seeker.set_join_points({POINT: None})
        await until(lambda: POINT in seeker._peers[host.label].matched_keys)
        await send_stale(before)
        await until(lambda: POINT not in seeker._peers[host.label].matched_keys)
        found = await asyncio.wait_for(seeker.find(POINT), 10)
        assert found.peer_id == host.label and POINT in found.matched_keys
    finally:
        await seeker.close()
        await host.close()
