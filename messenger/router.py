"""The link router: the node's events, one at a time and in order, to the pump of their
circle (links up and down, messages), which hands each to the circle's protocol and performs
what it asks. One task drains the queue the node's callback fills."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from network.node import NodeEvent, PeerConnected, PeerLost, PeerMessage

from .errors import HearthError
from .pump import SessionPump
from .runtime import LinkedPeer, circle_of_tag
from .session import drops, sender

log = logging.getLogger(__name__)


class LinkRouter:
    def __init__(self, sessions: Callable[[bytes], SessionPump | None]) -> None:
        self._sessions = sessions
        self._inbox: asyncio.Queue[NodeEvent] = asyncio.Queue()

        self.put = self._inbox.put_nowait
        """The node's callback (on the loop)."""

    async def run(self) -> None:
        while True:
            event = await self._inbox.get()
            session = self._sessions(circle_of_tag(event.peer.circle))
            if session is None:
                continue
            try:
                if isinstance(event, PeerMessage):
                    await session.receive(event.peer, event.data)
                elif isinstance(event, PeerConnected):
                    if isinstance(event.identity, LinkedPeer):
                        await session.peer_connected(event.peer, event.identity)
                elif isinstance(event, PeerLost):
                    await session.peer_lost(event.peer)
            except HearthError as exc:
                drops.note(sender(event.peer) if isinstance(event, PeerMessage) else "?", exc.code)
            except Exception:
                log.exception("failed to handle a network event")
