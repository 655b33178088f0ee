"""Small real nodes on 127.0.0.1 for tests: an event recorder and a circle binding maker."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from network.node import (
    CircleBinding,
    Node,
    NodeConfig,
    NodeEvent,
    PeerConnected,
    PeerLost,
    PeerMessage,
)
from network.noise import KeyPair


def circle_keys(secret: bytes) -> tuple[bytes, bytes]:
    """(discovery key, psk) for a test circle secret."""
    disc = hashlib.blake2b(b"discovery", key=secret, digest_size=32).digest()
    psk = hashlib.blake2b(b"psk", key=secret, digest_size=32).digest()
    return disc, psk


def verify_name(app: bytes, remote_static: bytes) -> str:
    if app == b"forged" or not app:
        raise ValueError("identity does not verify")
    return app.decode()


def binding(
    tag: bytes, secret: bytes, name: str, *, static: KeyPair | None = None, psk: bytes | None = None
) -> CircleBinding:
    disc, circle_psk = circle_keys(secret)
    return CircleBinding(
        tag=tag,
        discovery_key=disc,
        static=static or KeyPair.generate(),
        payload=name.encode(),
        verify=verify_name,
        psk=circle_psk if psk is None else psk,
    )


@dataclass
class Recorder:
    events: list[NodeEvent] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def __call__(self, event: NodeEvent) -> None:
        self.events.append(event)
        self.changed.set()

    def of(self, kind: type) -> list[NodeEvent]:
        return [e for e in self.events if isinstance(e, kind)]

    @property
    def connected(self) -> list[PeerConnected]:
        return [e for e in self.events if isinstance(e, PeerConnected)]

    @property
    def lost(self) -> list[PeerLost]:
        return [e for e in self.events if isinstance(e, PeerLost)]

    @property
    def messages(self) -> list[PeerMessage]:
        return [e for e in self.events if isinstance(e, PeerMessage)]

    async def until(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        async def wait() -> None:
            while not predicate():
                self.changed.clear()
                await self.changed.wait()

        await asyncio.wait_for(wait(), timeout)


HIGHER_LABEL_DELAY = 0.25
SETTLE = 4 * HIGHER_LABEL_DELAY
"""Long enough for a dialer that waited out the higher label's delay to have dialed."""


def loopback_config(**kw: object) -> NodeConfig:
    defaults: dict[str, object] = {
        "interfaces": ("127.0.0.1",),
        "higher_label_delay": HIGHER_LABEL_DELAY,
        "backoff_base": 0.25,
        "backoff_cap": 2.0,
    }
    defaults.update(kw)
    return NodeConfig(**defaults)  # type: ignore[arg-type]


async def started(bindings: list[CircleBinding], **kw: object) -> tuple[Node, Recorder]:
    rec = Recorder()
    node = Node(rec, loopback_config(**kw))
    await node.set_circles(bindings)
    await node.start()
    return node, rec


async def discovered(node: Node, *others: Node, timeout: float = 10.0) -> None:
    """Barrier: ``node``'s discovery has reported each of ``others`` (matching circles or not).
    A node decides at once, on the discovery event, whether to dial a peer; after this, any
    dial it wanted has started (see ``dialing``)."""

    await until(lambda: all(other.label in node._peers for other in others), timeout)


def dialing(node: Node, other: Node) -> bool:
    """``node`` runs a dialer towards ``other`` (in any circle)."""
    return any(label == other.label for label, _ in node._dialers)


async def until(check: Callable[[], bool], timeout: float = 10.0) -> None:
    """Until ``check()`` holds (looked at every 20 ms), at most ``timeout`` seconds."""

    async def wait() -> None:
        while not check():
            await asyncio.sleep(0.02)

    await asyncio.wait_for(wait(), timeout)
