"""Two or three real nodes in one process on 127.0.0.1: discovery, handshakes, links, bad input."""

from __future__ import annotations

import asyncio
import os

import pytest

from network.node import Node, PeerKey, hello
from tests.closing import close_all

from .helpers import SETTLE, binding, dialing, discovered, started, until

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(60)]

CIRCLE = b"circle-one------"
SECRET = os.urandom(32)


async def test_two_nodes_find_each_other_and_talk() -> None:
    a, ra = await started([binding(CIRCLE, SECRET, "Quiet Heron")])
    b, rb = await started([binding(CIRCLE, SECRET, "Gentle Fern")])
    try:
        await ra.until(lambda: len(ra.connected) >= 1)
        await rb.until(lambda: len(rb.connected) >= 1)
        assert ra.connected[0].identity == "Gentle Fern"
        assert rb.connected[0].identity == "Quiet Heron"
        peer_b = ra.connected[0].peer
        await a.send(peer_b, b"hello from a")
        await rb.until(lambda: len(rb.messages) >= 1)
        assert rb.messages[0].data == b"hello from a"
        await b.send(rb.connected[0].peer, b"and back")
        await ra.until(lambda: len(ra.messages) >= 1)
        assert ra.messages[0].data == b"and back"
        # Let both dialers settle: still exactly one link each way, no loss reported.
        await asyncio.sleep(SETTLE)
        assert a.links() == [peer_b] and len(b.links()) == 1
        assert not ra.lost and not rb.lost
    finally:
        await close_all(a, b)


async def test_closing_a_node_is_noticed_at_once() -> None:
    a, ra = await started([binding(CIRCLE, SECRET, "A")])
    b, rb = await started([binding(CIRCLE, SECRET, "B")])
    try:
        await ra.until(lambda: bool(ra.connected))
        await b.close()
        await ra.until(lambda: bool(ra.lost), timeout=5)
        assert ra.lost[0].identity == "B"
    finally:
        await a.close()


async def test_members_of_another_circle_do_not_connect() -> None:
    a, ra = await started([binding(CIRCLE, SECRET, "A")])
    b, rb = await started([binding(b"other-circle----", os.urandom(32), "B")])
    c, rc = await started([binding(CIRCLE, SECRET, "C")])
    try:
        await ra.until(lambda: bool(ra.connected))
        for node, others in ((a, (b, c)), (b, (a, c)), (c, (a, b))):
            await discovered(node, *others)  # every dial anyone wanted has started
        assert not any(dialing(x, y) for x, y in ((a, b), (b, a), (b, c), (c, b)))
        assert [e.identity for e in ra.connected] == ["C"]
        assert not rb.connected
    finally:
        await close_all(a, b, c)


async def test_simultaneous_dials_end_as_one_link() -> None:
    sa, sb = binding(CIRCLE, SECRET, "A"), binding(CIRCLE, SECRET, "B")
    a, ra = await started([sa], discovery=False)
    b, rb = await started([sb], discovery=False)
    try:
        pa, pb = a.listen_addresses[0], b.listen_addresses[0]
        results = await asyncio.gather(
            a.connect(pb.host, pb.port, CIRCLE),
            b.connect(pa.host, pa.port, CIRCLE),
            return_exceptions=True,
        )
        assert all(isinstance(r, PeerKey) for r in results), results
        await until(lambda: len(a.links()) == 1 and len(b.links()) == 1)  # the loser closed
        # Both kept the same TCP connection: a message crosses it.
        await a.send(a.links()[0], b"one link")
        await rb.until(lambda: any(m.data == b"one link" for m in rb.messages))
        assert not ra.lost and not rb.lost
    finally:
        await close_all(a, b)


async def test_wrong_psk_is_refused_and_good_peers_still_served() -> None:
    good = binding(CIRCLE, SECRET, "Good")
    a, ra = await started([binding(CIRCLE, SECRET, "A")], discovery=False)
    # Same discovery key (so the hint matches) but a different psk: the handshake must fail.
    impostor = binding(CIRCLE, SECRET, "Impostor", psk=os.urandom(32))
    m, rm = await started([impostor], discovery=False)
    g, rg = await started([good], discovery=False)
    try:
        pa = a.listen_addresses[0]
        with pytest.raises(Exception) as failure:
            await m.connect(pa.host, pa.port, CIRCLE)
        assert "could not reach" in str(failure.value)
        await g.connect(pa.host, pa.port, CIRCLE)
        await ra.until(lambda: bool(ra.connected))
        assert [e.identity for e in ra.connected] == ["Good"]
        assert a.refused >= 1
    finally:
        await close_all(a, m, g)


async def test_forged_identity_payload_is_refused() -> None:
    a, ra = await started([binding(CIRCLE, SECRET, "A")], discovery=False)
    f, rf = await started([binding(CIRCLE, SECRET, "forged")], discovery=False)
    try:
        pa = a.listen_addresses[0]
        with pytest.raises(Exception):
            await f.connect(pa.host, pa.port, CIRCLE)
        await until(lambda: a.refused >= 1)
        assert not ra.connected and a.refused == 1
    finally:
        await close_all(a, f)


async def _raw(host: str, port: int, data: bytes) -> bytes:
    """What the node says after its challenge when sent ``data``."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        challenge = await asyncio.wait_for(reader.readexactly(hello.CHALLENGE_MESSAGE_SIZE), 8)
        assert hello.read_challenge(challenge)
        writer.write(data)
        await writer.drain()
        return await asyncio.wait_for(reader.read(100), 8)
    finally:
        writer.close()


@pytest.mark.parametrize(
    "garbage",
    [b"GET / HTTP/1.1\r\n\r\n" + b"x" * 20, b"HRTH\x09" + bytes(32), b"\xff" * 37, b"HRTH\x02"],
    ids=["http", "bad-version", "noise", "truncated"],
)
async def test_garbage_before_the_handshake_is_dropped(garbage: bytes) -> None:
    a, ra = await started([binding(CIRCLE, SECRET, "A")], discovery=False, handshake_timeout=1.0)
    g, rg = await started([binding(CIRCLE, SECRET, "Good")], discovery=False)
    try:
        pa = a.listen_addresses[0]
        assert await _raw(pa.host, pa.port, garbage) == b""  # closed without a word
        await g.connect(pa.host, pa.port, CIRCLE)
        await ra.until(lambda: bool(ra.connected))
        assert a.refused == 1
    finally:
        await close_all(a, g)


async def test_two_hundred_half_open_connections_do_not_stop_good_peers() -> None:
    a, ra = await started(
        [binding(CIRCLE, SECRET, "A")],
        discovery=False,
        handshake_timeout=1.0,
        max_pending_handshakes=32,
    )
    g, rg = await started([binding(CIRCLE, SECRET, "Good")], discovery=False)
    pa = a.listen_addresses[0]
    writers = []
    try:
        for _ in range(200):
            _, writer = await asyncio.open_connection(pa.host, pa.port)
            writer.write(b"HRTH")  # a slow sender: never finishes its hello
            writers.append(writer)
        await asyncio.sleep(0.1)
        # Over the cap, connections are dropped at once; the rest time out.
        await asyncio.wait_for(_until_pending_clear(a), 10)
        await g.connect(pa.host, pa.port, CIRCLE)
        await ra.until(lambda: bool(ra.connected))
        assert a.refused >= 200
    finally:
        for writer in writers:
            writer.close()
        await close_all(a, g)


async def _until_pending_clear(node: Node) -> None:
    while node.pending_handshakes:
        await asyncio.sleep(0.1)


async def test_changing_one_circle_keeps_the_links_of_the_others() -> None:
    other = b"other-circle----"
    shared_a, shared_b = binding(CIRCLE, SECRET, "A"), binding(CIRCLE, SECRET, "B")
    a, ra = await started([shared_a], discovery=False)
    b, rb = await started([shared_b], discovery=False)
    try:
        pb = b.listen_addresses[0]
        await a.connect(pb.host, pb.port, CIRCLE)
        await ra.until(lambda: bool(ra.connected))
        # A joins a second circle: its first circle's binding is the same object, so the
        # link stays.
        await a.set_circles([shared_a, binding(other, os.urandom(32), "A2")])
        await a.send(a.links()[0], b"still linked")  # barrier: crosses the link after the change
        await rb.until(lambda: any(m.data == b"still linked" for m in rb.messages))
        assert not ra.lost and not rb.lost and len(a.links()) == 1
    finally:
        await close_all(a, b)
