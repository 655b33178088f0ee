"""A node for multi-host rendezvous tests: one circle with a rendezvous server, JSON events.

Usage: ``python node_peer.py --interface ADDR --name NAME --secret HEX --tag-key HEX
--rendezvous ADDRESS [--lifetime S]``

Prints one JSON object per line: ``ready`` (``label``), ``connected`` (``identity``, ``relayed``:
how many links this node dialed through the relay so far), ``message`` (``text``), ``lost``,
and ``bye`` at the end. Reads ``send TEXT`` and ``quit`` on stdin. Exits by itself after
``--lifetime`` seconds, or when stdin closes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from network.node import (
    CircleBinding,
    Node,
    NodeConfig,
    NodeEvent,
    PeerConnected,
    PeerKey,
    PeerLost,
    PeerMessage,
)
from network.noise import KeyPair


def say(**fields: object) -> None:
    print(json.dumps(fields), flush=True)


def verify(app: bytes, remote_static: bytes) -> str:
    if not app:
        raise ValueError("no identity")
    return app.decode()


async def main(args: argparse.Namespace) -> None:
    secret = bytes.fromhex(args.secret)
    peers: list[PeerKey] = []
    node: Node | None = None

    def on_event(event: NodeEvent) -> None:
        if isinstance(event, PeerConnected):
            peers.append(event.peer)
            assert node is not None
            say(event="connected", identity=event.identity, relayed=node._relay.relayed_dials)
        elif isinstance(event, PeerMessage):
            say(event="message", text=event.data.decode())
        elif isinstance(event, PeerLost):
            say(event="lost", identity=event.identity)

    node = Node(
        on_event,
        NodeConfig(interfaces=(args.interface,), rendezvous_lookup_interval=0.5),
    )
    binding = CircleBinding(
        tag=b"netns-circle----",
        discovery_key=hashlib.blake2b(b"discovery", key=secret, digest_size=32).digest(),
        static=KeyPair.generate(),
        payload=args.name.encode(),
        verify=verify,
        psk=hashlib.blake2b(b"psk", key=secret, digest_size=32).digest(),
        rendezvous=args.rendezvous,
        rendezvous_tag_key=bytes.fromhex(args.tag_key),
    )
    await node.set_circles([binding])
    await node.start()
    say(event="ready", label=node.label)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    try:
        async with asyncio.timeout(args.lifetime):
            while line := (await reader.readline()).decode().strip():
                if line == "quit":
                    break
                if line.startswith("send ") and peers:
                    with contextlib.suppress(Exception):
                        await node.send(peers[-1], line[5:].encode())
    except TimeoutError:
        pass
    finally:
        await node.close()
        say(event="bye")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--interface", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--tag-key", required=True)
    parser.add_argument("--rendezvous", required=True)
    parser.add_argument("--lifetime", type=float, default=40.0)
    asyncio.run(main(parser.parse_args()))
