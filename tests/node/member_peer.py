"""A real node process in one test circle, for attacks from outside the process.

Usage: ``python member_peer.py --secret HEX --name NAME [--dial HOST:PORT] [--lifetime S]``

Listens on 127.0.0.1 (no discovery) and prints JSON lines: ``ready`` (``port``, ``static``: its
Noise static public key in hex, so a test can check an attacker never learns it), then
``connected`` (``identity``) for each link, and ``bye``. With ``--dial`` it connects to that
address for the circle. Exits after ``--lifetime`` seconds or when stdin closes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from network.node import Node, NodeConfig, NodeEvent, PeerConnected
from tests.node.helpers import binding


def say(**fields: object) -> None:
    print(json.dumps(fields), flush=True)


async def main(args: argparse.Namespace) -> None:
    def on_event(event: NodeEvent) -> None:
        if isinstance(event, PeerConnected):
            say(event="connected", identity=event.identity)

    node = Node(on_event, NodeConfig(interfaces=("127.0.0.1",), discovery=False))
    mine = binding(b"attack-circle---", bytes.fromhex(args.secret), args.name)
    await node.set_circles([mine])
    await node.start()
    say(event="ready", port=node.listen_addresses[0].port, static=mine.static.public.hex())
    if args.dial:
        host, _, port = args.dial.rpartition(":")
        await node.connect(host, int(port), mine.tag)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    try:
        async with asyncio.timeout(args.lifetime):
            while await reader.readline():
                pass
    except TimeoutError:
        pass
    finally:
        await node.close()
        say(event="bye")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--secret", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--dial", default="")
    parser.add_argument("--lifetime", type=float, default=60.0)
    asyncio.run(main(parser.parse_args()))
