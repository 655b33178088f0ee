"""Issue 16 item 6: a flood of bad input writes a bounded number of log lines.

- Refused connections: thousands of garbage connections to a real headless peer give a couple
  of INFO lines (one, then a count), not one line each.
- Bad messages from a member: thousands of undecodable messages over a real link to the real
  core give one line per member and interval, with a count.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Iterator

import pytest

from tests.headless.inprocess import Peer, circle_of
from tests.headless.test_join_point_flood import listening_port
from tests.headless_peer import HeadlessPeer

pytestmark = pytest.mark.timeout(120)

FLOOD = 3000


@pytest.fixture
def peers() -> Iterator[list[HeadlessPeer]]:
    made: list[HeadlessPeer] = []
    yield made
    for peer in made:
        peer.close()


async def garbage(port: int, count: int) -> None:
    async def one() -> None:
        with contextlib.suppress(OSError):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"GET / HTTP/1.1\r\n\r\n" + os.urandom(32))
            with contextlib.suppress(OSError):
                await asyncio.wait_for(reader.read(), 10)
            writer.close()

    for start in range(0, count, 100):
        await asyncio.gather(*(one() for _ in range(min(100, count - start))))


def test_a_connection_flood_writes_a_few_log_lines(peers: list[HeadlessPeer]) -> None:
    host = HeadlessPeer(["--ephemeral", "--interface", "127.0.0.1"], name="host")
    peers.append(host)
    host.wait_event("ready", 20)
    host.command("/create Circle", "circle")
    asyncio.run(garbage(listening_port(host.proc.pid), FLOOD))
    assert host.quit() == 0
    lines = [line for line in host.stderr if "refused an incoming connection" in line]
    assert 1 <= len(lines) <= 3, f"{len(lines)} log lines for {FLOOD} refused connections"
    assert any(f"{FLOOD - 1} more" in line or "more in" in line for line in lines), lines
    assert not any("127.0.0.1" in line for line in lines)  # no address at INFO


@pytest.mark.asyncio
async def test_a_member_flooding_bad_messages_writes_a_few_log_lines(
    caplog: pytest.LogCaptureFixture,
) -> None:
    host, member = await Peer().start(), await Peer().start()
    try:
        await circle_of(host, [member])
        node = member.messenger._wire.node
        assert node is not None
        [link] = node.links()
        caplog.set_level(logging.INFO, logger="messenger.session")
        for _ in range(FLOOD):
            await node.send(link, b"\xff" + os.urandom(40))  # no such lane
        await node.send(link, b"\xff")
        before = len(host.events)
        await host.do("/members")  # the host's inbox is in order: the flood has been read
        await host.until(lambda: len(host.events) > before)
        await asyncio.sleep(0.5)
    finally:
        await member.close()
        await host.close()
    lines = [r for r in caplog.records if r.name == "messenger.session" and r.levelno >= 20]
    assert 1 <= len(lines) <= 2, f"{len(lines)} log lines for {FLOOD} bad messages"
