"""Conversations: post-to-delivery latency, sustained posting, catch-up (issue 6)."""

from __future__ import annotations

import asyncio
import time

from messenger.views import CircleSettingsView
from network.channel import ChannelConfig
from network.noise import KeyPair
from network.stream import SecureStream, accept_channel, connect_channel

from .peers import Peer, close_all, star
from .report import Report, percentile

RECEIVERS = 10
LATENCY_POSTS = 200
SUSTAINED_POSTS = 1000
CATCH_UP = 10_000


async def _channel_pair() -> tuple[SecureStream, SecureStream, asyncio.Server]:
    psk = bytes(32)
    accepted: asyncio.Future[SecureStream] = asyncio.get_running_loop().create_future()

    async def on_client(r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        accepted.set_result(await accept_channel(r, w, ChannelConfig(KeyPair.generate(), psk)))

    server = await asyncio.start_server(on_client, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    r, w = await asyncio.open_connection("127.0.0.1", port)
    client = await connect_channel(r, w, ChannelConfig(KeyPair.generate(), psk))
    return client, await accepted, server


async def _bare_transfer(count: int, size: int) -> float:
    """Seconds to move ``count`` messages of ``size`` bytes over one bare secure channel."""
    a, b, server = await _channel_pair()

    async def send() -> None:
        for _ in range(count):
            await a.send(b"x" * size)

    async def receive() -> None:
        for _ in range(count):
            await b.recv()

    start = time.perf_counter()
    await asyncio.gather(send(), receive())
    elapsed = time.perf_counter() - start
    await a.close()
    await b.close()
    server.close()
    return elapsed


async def _bare_round_trip(samples: int) -> list[float]:
    """The baseline: one secure-channel message there and back, same loop, same loopback."""
    a, b, server = await _channel_pair()
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        await a.send(b"x" * 300)
        await b.send(await b.recv())
        await a.recv()
        times.append(time.perf_counter() - start)
    await a.close()
    await b.close()
    server.close()
    return times


async def _latency(report: Report) -> None:
    hub, members, circle = await star(RECEIVERS)
    try:
        loop = asyncio.get_running_loop()
        sent: dict[str, float] = {}
        samples: list[float] = []
        for k in range(LATENCY_POSTS):
            body = f"latency probe {k}"
            sent[body] = loop.time()
            await hub.messenger.post(circle, body)
            await asyncio.gather(*(m.until_posts(k + 1, 10) for m in members))
            samples += [m.arrivals[body] - sent[body] for m in members]
        bare = await _bare_round_trip(LATENCY_POSTS)
        report.compare(
            f"post to delivery, p50 ({RECEIVERS} receivers)",
            percentile(samples, 50) * 1000,
            "ms",
            "bare channel round trip p50",
            percentile(bare, 50) * 1000,
            higher_is_better=False,
        )
        report.compare(
            f"post to delivery, p99 ({RECEIVERS} receivers)",
            percentile(samples, 99) * 1000,
            "ms",
            "bare channel round trip p99",
            percentile(bare, 99) * 1000,
            higher_is_better=False,
            target="<= 50 ms",
        )

        base = [m.posts for m in members]
        start = time.perf_counter()
        for k in range(SUSTAINED_POSTS):
            await hub.messenger.post(circle, f"sustained {k}")
        await asyncio.gather(
            *(m.until_posts(b + SUSTAINED_POSTS, 60) for m, b in zip(members, base, strict=True))
        )
        elapsed = time.perf_counter() - start
        bare_rate = SUSTAINED_POSTS / await _bare_transfer(SUSTAINED_POSTS * RECEIVERS, 300)
        report.compare(
            f"posts/s one author sustains, all {RECEIVERS} received",
            SUSTAINED_POSTS / elapsed,
            "posts/s",
            f"bare channel, {RECEIVERS} copies of 300 B",
            bare_rate,
        )
    finally:
        await close_all(hub, *members)


async def _catch_up(report: Report) -> None:
    author, reader = Peer("author"), Peer("reader")
    await author.messenger.start()
    await reader.messenger.start()
    try:
        circle = await author.messenger.create_circle(
            "Catch-up", settings=CircleSettingsView(auto_approve=True)
        )
        await reader.messenger.join_link(circle.invite_link)
        for k in range(CATCH_UP):
            await author.messenger.post(circle.id, f"missed post number {k} " + "x" * 200)
        start = time.perf_counter()
        await reader.messenger.dial("127.0.0.1", author.port, circle.id)
        await reader.until_posts(CATCH_UP, 120)
        elapsed = time.perf_counter() - start
        bare = await _bare_transfer(CATCH_UP // 100, 300 * 100)
        report.compare(
            f"catch up {CATCH_UP:,} missed posts",
            elapsed,
            "s",
            "the same bytes over a bare channel",
            bare,
            higher_is_better=False,
            target="<= 3 s",
        )
    finally:
        await close_all(author, reader)


def run(report: Report) -> None:
    report.note("receive rate limits raised for capacity (app default: 20 posts / 10 s a member)")
    asyncio.run(_latency(report))
    asyncio.run(_catch_up(report))
