"""A discovery peer for multi-process tests: runs :class:`Discovery`, prints JSON events.

Usage: ``python peer_script.py --address ADDR... --port N [--key HEX]... [--ttl S] [--lifetime S]``

Prints one JSON object per line: ``ready`` (with ``peer_id``), then ``found``/``updated``/
``gone`` (``peer_id``, ``addresses``, ``port``, ``matched``: hex keys), and ``bye`` at the end.
``--refuse-groups-after N`` makes the kernel refuse the mDNS group to every interface after the
first N (the namespace's membership limit drops to 0). Reads commands on stdin:
``circles HEX,HEX`` (re-announce) and ``quit`` (close with goodbye).
Exits by itself after ``--lifetime`` seconds, or when stdin closes.

Anything else it was given (extra argv, the environment) it ignores on purpose: privacy tests
pass distinctive names that must never reach the network.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from network.discovery import (
    Discovery,
    DiscoveryEvent,
    PeerFound,
    PeerGone,
    PeerUpdated,
)


def say(**fields: object) -> None:
    print(json.dumps(fields), flush=True)


def report(event: DiscoveryEvent) -> None:
    if isinstance(event, PeerGone):
        say(event="gone", peer_id=event.peer_id)
        return
    kind = "found" if isinstance(event, PeerFound) else "updated"
    assert isinstance(event, PeerFound | PeerUpdated)
    say(
        event=kind,
        peer_id=event.peer_id,
        addresses=list(event.addresses),
        port=event.port,
        matched=sorted(k.hex() for k in event.matched_keys),
    )


def refuse_groups_after(discovery: Discovery, joins: int) -> None:
    """After ``joins`` interfaces joined the mDNS group, this namespace lets no socket join any
    group (``net.ipv4.igmp_max_memberships=0``): the kernel refuses the next interface, as a
    driver without multicast or a host out of memberships does."""
    opened = 0
    real = discovery._open_interface

    def refuse_all() -> None:
        limit = subprocess.run(
            ["sysctl", "-w", "net.ipv4.igmp_max_memberships=0"], capture_output=True
        )
        assert limit.returncode == 0, limit.stderr

    async def open_interface(address: str) -> bool:
        nonlocal opened
        if opened == joins:
            refuse_all()
        opened += 1
        return await real(address)

    discovery._open_interface = open_interface  # type: ignore[method-assign]


async def main(args: argparse.Namespace) -> None:
    discovery = Discovery(report, ttl=args.ttl, sweep_interval=args.sweep)
    if args.refuse_groups_after is not None:
        refuse_groups_after(discovery, args.refuse_groups_after)
    await discovery.set_circles([bytes.fromhex(k) for k in args.key])
    await discovery.start(args.address, args.port)
    say(event="ready", peer_id=discovery.peer_id, senders=discovery.sender_addresses())
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    try:
        async with asyncio.timeout(args.lifetime):
            for _ in range(1000):
                line = (await reader.readline()).decode().strip()
                if not line or line == "quit":
                    break
                if line.startswith("circles"):
                    hexes = line.partition(" ")[2]
                    await discovery.set_circles([bytes.fromhex(h) for h in hexes.split(",") if h])
                    say(event="circles")
    except TimeoutError:
        pass
    finally:
        await discovery.close()
        say(event="bye")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--address", action="append", required=True)  # repeatable
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--key", action="append", default=[])
    parser.add_argument("--ttl", type=int, default=120)
    parser.add_argument("--sweep", type=float, default=20.0)
    parser.add_argument("--lifetime", type=float, default=20.0)
    parser.add_argument("--refuse-groups-after", type=int, default=None)
    known, _ignored = parser.parse_known_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    asyncio.run(main(known))
