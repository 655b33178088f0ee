"""Rendezvous: registrations per second, and relayed throughput beside a direct channel.

Everything runs on 127.0.0.1. Registrations: REGISTER round trips over one connection beside
PING round trips over the same connection (the cost of the signature check and bookkeeping),
fresh connections that handshake and register beside fresh connections that only handshake,
and the sans-IO core beside bare Ed25519 verification. Throughput: 64 KiB messages over a
Noise XXpsk0 channel relayed by the server beside the same over a direct loopback connection,
in alternating rounds (the best round of each is kept); once with the server in this process
and event loop (so its work counts against the figure) and once as a separate
``hearth-rendezvous`` process.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import nacl.signing

from benchmarks.report import Report, rate
from network.channel import ChannelConfig
from network.noise import KeyPair
from network.rendezvous import (
    ClientConfig,
    EpochKeys,
    RendezvousAddress,
    RendezvousClient,
    RendezvousServer,
    ServerConfig,
    ServerLink,
    codec,
    epoch_of,
    parse_address,
)
from network.rendezvous.core import ServerCore
from network.rendezvous.ratelimit import Rate
from network.stream import SecureStream, accept_channel, connect_channel

ROUND_TIME = 0.3
ROUNDS = 5
MESSAGE = 64 * 1024
MESSAGES_PER_ROUND = 256  # 16 MiB a round
LOOSE = Rate(burst=1_000_000, per_second=1_000_000)


def _config() -> ServerConfig:
    return ServerConfig(connection_rate=LOOSE, request_rate=LOOSE, tag_rate=LOOSE)


async def _arate(fn: Callable[[], Awaitable[object]], min_time: float = ROUND_TIME) -> float:
    await fn()
    n, start = 0, time.perf_counter()
    while True:
        await fn()
        n += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_time or n >= 1_000_000:
            return n / elapsed


async def _best(fns: dict[str, Callable[[], Awaitable[object]]]) -> dict[str, float]:
    best = dict.fromkeys(fns, 0.0)
    for _ in range(ROUNDS):
        for name, fn in fns.items():
            best[name] = max(best[name], await _arate(fn))
    return best


# -- registrations ------------------------------------------------------------------------


async def bench_registrations(report: Report) -> None:
    server = RendezvousServer(KeyPair.generate(), _config())
    [address] = await server.start([("127.0.0.1", 0)])
    keys = EpochKeys.derive(os.urandom(32), epoch_of(time.time()))
    sealed = keys.seal(b"contact details")
    link = await ServerLink.open(address)
    link.start()

    async def register() -> None:
        await link.register(keys, sealed, int(time.time()), 600)

    async def handshake_only() -> None:
        fresh = await ServerLink.open(address)
        await fresh.close()

    async def handshake_and_register() -> None:
        fresh = await ServerLink.open(address)
        fresh.start()
        await fresh.register(keys, sealed, int(time.time()), 600)
        await fresh.close()

    try:
        best = await _best(
            {
                "register": register,
                "ping": link.ping,
                "fresh": handshake_and_register,
                "handshake": handshake_only,
            }
        )
    finally:
        await link.close()
        await server.close()
    report.compare(
        "REGISTER round trips/s (one connection)",
        best["register"],
        "req/s",
        "PING round trips/s",
        best["ping"],
    )
    report.compare(
        "connect + NK handshake + REGISTER /s",
        best["fresh"],
        "reg/s",
        "connect + NK handshake /s",
        best["handshake"],
    )
    _bench_core(report)


def _bench_core(report: Report) -> None:
    """The server's own work per registration, without sockets."""
    core = ServerCore(_config())
    now = time.time()
    core.open_connection(1, "a", now)
    binding = os.urandom(64)
    core.handshake_done(1, binding)
    keys = EpochKeys.derive(os.urandom(32), epoch_of(now))
    sealed = keys.seal(b"contact")
    issued = int(now)
    request = codec.Register(
        1, keys.tag, keys.verify_key, issued, 600, sealed, keys.sign(binding, issued, 600, sealed)
    )
    verify_key = nacl.signing.VerifyKey(keys.verify_key)
    signed = keys.signing_key.sign(b"x" * 400)
    core_rate = max(rate(lambda: core.handle(1, request, now)) for _ in range(3))
    verify_rate = max(rate(lambda: verify_key.verify(signed)) for _ in range(3))
    report.compare(
        "server core REGISTER/s (sans-IO, checks included)",
        core_rate,
        "reg/s",
        "bare Ed25519 verify/s",
        verify_rate,
        target="the most reachable is 1.0x",
    )


# -- throughput ---------------------------------------------------------------------------


async def _pair_direct(
    psk: bytes,
) -> tuple[SecureStream, SecureStream, Callable[[], Awaitable[None]]]:
    accepted: asyncio.Future[SecureStream] = asyncio.get_running_loop().create_future()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.set_result(
            await accept_channel(reader, writer, ChannelConfig(KeyPair.generate(), psk=psk))
        )

    listener = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    dialer = await connect_channel(reader, writer, ChannelConfig(KeyPair.generate(), psk=psk))
    acceptor = await accepted

    async def close() -> None:
        await dialer.close()
        await acceptor.close()
        listener.close()

    return dialer, acceptor, close


async def _pair_relayed(
    address: RendezvousAddress, psk: bytes
) -> tuple[SecureStream, SecureStream, Callable[[], Awaitable[None]]]:
    accepted: asyncio.Future[SecureStream] = asyncio.get_running_loop().create_future()

    async def on_incoming(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.set_result(
            await accept_channel(reader, writer, ChannelConfig(KeyPair.generate(), psk=psk))
        )

    tag_key = os.urandom(32)
    member = RendezvousClient(address, on_incoming=on_incoming, config=ClientConfig())
    seeker = RendezvousClient(address)
    await member.register(tag_key)
    [registration] = await seeker.lookup(tag_key)
    reader, writer = await seeker.connect(registration)
    dialer = await connect_channel(reader, writer, ChannelConfig(KeyPair.generate(), psk=psk))
    acceptor = await accepted

    async def close() -> None:
        await dialer.close()
        await acceptor.close()
        await member.close()
        await seeker.close()

    return dialer, acceptor, close


async def _throughput(sender: SecureStream, receiver: SecureStream) -> float:
    """MB/s of one round: MESSAGES_PER_ROUND messages of 64 KiB, sent and all received."""
    message = os.urandom(MESSAGE)

    async def send() -> None:
        for _ in range(MESSAGES_PER_ROUND):
            await sender.send(message)

    start = time.perf_counter()
    task = asyncio.create_task(send())
    for _ in range(MESSAGES_PER_ROUND):
        await receiver.recv()
    await task
    return MESSAGE * MESSAGES_PER_ROUND / (time.perf_counter() - start) / 1e6


async def _compare_throughput(report: Report, address: RendezvousAddress, where: str) -> None:
    psk = os.urandom(32)
    direct = await _pair_direct(psk)
    relayed = await _pair_relayed(address, psk)
    best = {"direct": 0.0, "relayed": 0.0}
    try:
        for _ in range(ROUNDS):
            best["direct"] = max(best["direct"], await _throughput(direct[0], direct[1]))
            best["relayed"] = max(best["relayed"], await _throughput(relayed[0], relayed[1]))
    finally:
        await direct[2]()
        await relayed[2]()
    report.compare(
        f"relayed 64 KiB messages, {where}",
        best["relayed"],
        "MB/s",
        "direct loopback channel",
        best["direct"],
    )


async def bench_throughput_in_process(report: Report) -> None:
    server = RendezvousServer(KeyPair.generate(), _config())
    [address] = await server.start([("127.0.0.1", 0)])
    try:
        await _compare_throughput(report, address, "server in this loop")
    finally:
        await server.close()


@contextlib.asynccontextmanager
async def _server_process() -> AsyncIterator[RendezvousAddress]:
    script = Path(sys.executable).parent / "hearth-rendezvous"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "network.rendezvous.cli"]
    proc = await asyncio.create_subprocess_exec(
        *command, "--listen", "127.0.0.1:0",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = await asyncio.wait_for(proc.stdout.readline(), 30)
        yield parse_address(json.loads(line)["address"])
    finally:
        if proc.returncode is None:
            proc.terminate()
        await asyncio.wait_for(proc.wait(), 30)


async def bench_throughput_process(report: Report) -> None:
    async with _server_process() as address:
        await _compare_throughput(report, address, "server in its own process")


async def _main(report: Report) -> None:
    await bench_registrations(report)
    await bench_throughput_in_process(report)
    await bench_throughput_process(report)


def run(report: Report) -> None:
    asyncio.run(_main(report))


if __name__ == "__main__":
    run(Report())
