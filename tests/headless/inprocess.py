"""Real headless sessions in this process (for what a subprocess cannot be told: no delay for
anonymous reports, a profile with a fast key derivation), each with its own Messenger, on
127.0.0.1. Events are kept as the JSON fields the headless peer would print."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from messenger.anonymous.rounds import RoundLimits
from messenger.config import MessengerConfig
from messenger.events import Event
from messenger.facade import Messenger
from messenger.headless.commands import parse_line
from messenger.headless.output import event_fields
from messenger.headless.session import Session
from messenger.moderation import EngineLimits
from messenger.options import parse_args
from messenger.storage import MINIMUM
from network.clock import Seconds
from network.node import NodeConfig

# Short redials, as for the suite's headless processes (tests/headless_peer.py). Liveness keeps
# the product's timings: these peers share one event loop, which a busy step can hold up.
FAST_NODE = NodeConfig(interfaces=("127.0.0.1",), backoff_base=0.25, backoff_cap=2.0)


FAST = MessengerConfig(
    tick=Seconds(0.2),  # due work (reports, retries) five times as often
    find_code_host=Seconds(8.0),
    node=FAST_NODE,
    moderation=EngineLimits(report_delay_ms=0),
    anonymous=RoundLimits(
        round_every_ms=300, quiet_every_ms=300, round_timeout_ms=5000, per_window=100
    ),
)


class Peer:
    def __init__(self, profile: Path | None = None, config: MessengerConfig = FAST) -> None:
        where = ["--ephemeral"] if profile is None else ["--profile", str(profile)]
        options = parse_args([*where, "--interface", "127.0.0.1", "--headless"])
        self.messenger = Messenger(options, kdf=MINIMUM, config=config)
        self.events: list[dict[str, Any]] = []
        self.changed = asyncio.Event()
        self.messenger.subscribe(self._seen)
        self.session: Session | None = None

    def _seen(self, event: Event) -> None:
        self.events.append(event_fields(event))
        self.changed.set()

    async def start(self, passphrase: str | None = None) -> Peer:
        await self.messenger.start(passphrase)
        self.session = Session(self.messenger, self._seen)
        return self

    async def do(self, line: str) -> None:
        command = parse_line(line)
        assert command is not None and self.session is not None
        await self.session.handle(command)

    def of(self, name: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["event"] == name]

    async def until(self, check: Callable[[], object], timeout: float = 20.0) -> None:
        """Until ``check()`` holds: looked at on each event, and at least every 0.1 s (for
        state no event announces); at most ``timeout`` seconds."""

        async def wait() -> None:
            while not check():
                self.changed.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.changed.wait(), 0.1)

        await asyncio.wait_for(wait(), timeout)

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
        await self.messenger.close()

    def last(self, name: str) -> dict[str, Any]:
        return self.of(name)[-1]


async def circle_of(host: Peer, members: Sequence[Peer], name: str = "Harbour Circle") -> str:
    """The host creates a circle, the members join by its link; returns the link once all are
    linked to all."""
    await host.do(f"/create {name}")
    link = str(host.last("circle")["invite"])
    for member in members:
        await member.do(f"/join {link}")
    want = len(members)
    for peer in (host, *members):
        await peer.until(lambda p=peer: len({e["key"] for e in p.of("peer_connected")}) >= want)  # type: ignore[misc]
    return link
