"""Discovery and connections: start to handshaken link on a namespaced LAN, accepts per second."""

from __future__ import annotations

import asyncio
import hashlib
import os
import subprocess
import sys
import time

from network.channel import ChannelConfig
from network.node import CircleBinding, Node, NodeConfig, hello
from network.noise import KeyPair
from network.stream import connect_channel

from .report import Report, percentile

RUNS = 10
ACCEPTS = 300


def _lan_start_to_link(report: Report) -> None:
    """A peer runs in one namespace; another starts, joins by link and connects, 10 times."""
    sys.path.insert(0, os.getcwd())
    from tests import netlab
    from tests.headless_peer import HeadlessPeer

    reason = netlab.can_build()
    if reason is not None:
        report.note(f"namespaced LAN skipped: {reason}")
        return
    with netlab.Netlab() as lab:
        a, b = lab.lan(2)
        # timings=None: the product's own timings, not the test suite's short ones
        host = HeadlessPeer(
            ["--ephemeral", "--interface", a.address()], popen=a.popen, name="a", timings=None
        )
        try:
            host.wait_event("ready", 20)
            link = host.command("/create Bench", "circle")["invite"]
            to_ready, to_link, joined_to_link = [], [], []
            for run in range(RUNS):
                started = time.monotonic()
                peer = HeadlessPeer(
                    ["--ephemeral", "--interface", b.address()],
                    popen=b.popen,
                    name=f"b{run}",
                    timings=None,
                )
                try:
                    peer.wait_event("ready", 20)
                    ready = time.monotonic()
                    peer.send(f"/join {link}")
                    peer.wait_event("circle", 20)
                    joined = time.monotonic()
                    peer.wait_event("peer_connected", 20)
                    linked = time.monotonic()
                finally:
                    peer.quit()
                to_ready.append(ready - started)
                to_link.append(linked - started)
                joined_to_link.append(linked - joined)
                host.wait_event("peer_lost", 20)
            baseline = _bare_process_connect(a, b)
        finally:
            host.quit()
    report.compare(
        "start to handshaken link, p50 (namespaced LAN)",
        percentile(to_link, 50),
        "s",
        "bare python process start + TCP connect",
        percentile(baseline, 50),
        higher_is_better=False,
        target="<= 1.5 s",
    )
    report.figure("start to handshaken link, p90", percentile(to_link, 90), "s")
    report.figure("  of which process start to ready, p50", percentile(to_ready, 50), "s")
    report.figure(
        "  of which join to link (mDNS + dial + XXpsk0), p50", percentile(joined_to_link, 50), "s"
    )


def _bare_process_connect(a: object, b: object) -> list[float]:
    """The floor: a fresh Python process on host b opening a TCP connection to host a."""
    from tests.netlab import Host

    assert isinstance(a, Host) and isinstance(b, Host)
    server = a.popen(
        [
            sys.executable,
            "-c",
            "import socket,sys;s=socket.socket();"
            "s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1);"
            f"s.bind(('{a.address()}',7100));s.listen(64);print('up',flush=True)\n"
            "while True:\n c,_=s.accept();c.close()",
        ],
        stdout=subprocess.PIPE,
    )
    assert server.stdout is not None and server.stdout.readline().strip() == b"up"
    times = []
    code = f"import socket;socket.create_connection(('{a.address()}',7100),timeout=5).close()"
    for _ in range(RUNS):
        start = time.monotonic()
        b.run([sys.executable, "-c", code])
        times.append(time.monotonic() - start)
    server.kill()
    return times


async def _accepts(report: Report) -> None:
    secret = os.urandom(32)
    disc = hashlib.blake2b(b"d", key=secret, digest_size=32).digest()
    psk = hashlib.blake2b(b"p", key=secret, digest_size=32).digest()
    binding = CircleBinding(
        b"bench-circle----", disc, KeyPair.generate(), b"server", lambda app, static: app, psk
    )
    node = Node(lambda event: None, NodeConfig(interfaces=("127.0.0.1",), discovery=False))
    await node.set_circles([binding])
    await node.start()
    port = node.listen_addresses[0].port
    client_key = KeyPair.generate()
    from network.node import payload as payload_mod

    config = ChannelConfig(
        client_key,
        psk,
        handshake_payload=payload_mod.wrap("a" * 12, b"c"),
        verify_peer=lambda peer: True,
    )

    async def one() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        clear = await hello.dial(reader, writer, disc, 5.0)
        stream = await connect_channel(reader, writer, config, cleartext=clear)
        await stream.close()

    start = time.perf_counter()
    for _ in range(ACCEPTS // 10):
        await asyncio.gather(*(one() for _ in range(10)))
    handshaken = ACCEPTS / (time.perf_counter() - start)
    await node.close()

    async def bare_server(r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        w.close()

    server = await asyncio.start_server(bare_server, "127.0.0.1", 0)
    bare_port = server.sockets[0].getsockname()[1]

    async def bare() -> None:
        _, w = await asyncio.open_connection("127.0.0.1", bare_port)
        w.close()

    start = time.perf_counter()
    for _ in range(ACCEPTS // 10):
        await asyncio.gather(*(bare() for _ in range(10)))
    raw = ACCEPTS / (time.perf_counter() - start)
    server.close()
    report.compare(
        "connections accepted and handshaken per second",
        handshaken,
        "conn/s",
        "bare TCP accepts (same loop)",
        raw,
    )


def run(report: Report) -> None:
    asyncio.run(_accepts(report))
    _lan_start_to_link(report)
