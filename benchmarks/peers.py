"""In-process peers for benchmarks: real Messengers on 127.0.0.1, real sockets, no discovery."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from messenger.conversation import RateLimits
from messenger.events import Event, PostEvent
from messenger.facade import Messenger
from messenger.options import parse_args
from messenger.views import CircleSettingsView
from network.node import NodeConfig

# Capacity is measured with the receive limits raised far above what people type; the app's
# defaults (20 posts / 10 s per member) would otherwise be what is measured.
BENCH_LIMITS = RateLimits(
    posts_per_window=100_000,
    posts_burst=100_000,
    messages_per_window=100_000,
    messages_burst=100_000,
)


class Peer:
    def __init__(self, name: str) -> None:
        options = parse_args(["--headless", "--ephemeral", "--interface", "127.0.0.1"])
        self.name = name
        self.messenger = Messenger(
            options,
            node_config=NodeConfig(interfaces=("127.0.0.1",), discovery=False),
            rate_limits=BENCH_LIMITS,
        )
        self.posts = 0
        self.arrivals: dict[str, float] = {}
        self.watch: Callable[[Event], None] | None = None
        self.changed = asyncio.Event()
        self.messenger.subscribe(self._on_event)

    def _on_event(self, event: Event) -> None:
        if isinstance(event, PostEvent) and not event.post.mine:
            self.posts += 1
            self.arrivals[event.post.body] = asyncio.get_running_loop().time()
            self.changed.set()
        if self.watch is not None:
            self.watch(event)

    async def until_posts(self, count: int, limit: float) -> None:
        async def wait() -> None:
            while self.posts < count:
                self.changed.clear()
                await self.changed.wait()

        await asyncio.wait_for(wait(), limit)

    @property
    def port(self) -> int:
        return int(self.messenger.listen_addresses[0].rsplit(":", 1)[1])


async def star(n: int, circle_name: str = "Bench") -> tuple[Peer, list[Peer], bytes]:
    """A hub that created a circle and ``n`` members who joined and dialed it."""
    hub = Peer("hub")
    await hub.messenger.start()
    circle = await hub.messenger.create_circle(
        circle_name, settings=CircleSettingsView(auto_approve=True)
    )
    members = []
    for i in range(n):
        peer = Peer(f"m{i}")
        await peer.messenger.start()
        await peer.messenger.join_link(circle.invite_link)
        await peer.messenger.dial("127.0.0.1", hub.port, circle.id)
        members.append(peer)
    for _ in range(200):
        if len(hub.messenger.members(circle.id)) > n and all(
            m.present for m in hub.messenger.members(circle.id)
        ):
            break
        await asyncio.sleep(0.05)
    return hub, members, circle.id


async def close_all(*peers: Peer) -> None:
    await asyncio.gather(*(p.messenger.close() for p in peers), return_exceptions=True)
