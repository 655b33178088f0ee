"""The sessions' :class:`~messenger.session.Wire` over the network node: send on a link (tagged
with its lane), close a link in the background, serve every circle's bindings again, and tell
open spoken codes of a new invite link; the node and the spoken codes attached while the peer
runs, and closed when it stops."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable

from network.errors import NetworkError
from network.node import CircleBinding, Node, PeerKey
from network.tasks import TaskSet

from .joining import Joining
from .mux import Lane, pack

log = logging.getLogger(__name__)


class NodeWire:
    """Set up with :meth:`attach` once the node exists; before that (and after close) sends
    go nowhere."""

    def __init__(self, tasks: TaskSet, bindings: Callable[[], list[CircleBinding]]) -> None:
        self._tasks = tasks
        self._bindings = bindings
        self.node: Node | None = None
        self.joining: Joining | None = None
        self.sent: Counter[str] = Counter()
        """Messages handed to the node, by lane (and bytes, as ``lane bytes``): what a peer
        sends, counted by kind (tests and measurements read it)."""

    def attach(self, node: Node | None, joining: Joining | None) -> None:
        self.node, self.joining = node, joining

    async def detach(self) -> None:
        """Leave the network: spoken codes closed, then the node (mDNS goodbye, links closed)."""
        node, joining = self.node, self.joining
        self.attach(None, None)
        if joining is not None:
            await joining.close()
        if node is not None:
            await node.close()

    @property
    def listen_addresses(self) -> list[str]:
        return [str(a) for a in self.node.listen_addresses] if self.node else []

    async def send(self, peer: PeerKey, lane: Lane, body: bytes) -> None:
        node = self.node
        if node is None:
            return
        self.sent[lane.name] += 1
        self.sent[f"{lane.name} bytes"] += len(body)
        log.debug("send %s (%d bytes)", lane.name, len(body))
        try:
            await node.send(peer, pack(lane, body))
        except NetworkError as exc:
            log.debug("send failed: %s", exc)

    def disconnect(self, peer: PeerKey) -> None:
        """Close a link in the background (what was sent on it before still goes first)."""
        if self.node is not None:
            self._tasks.spawn(self.node.disconnect(peer), "messenger-disconnect")

    async def rebind(self) -> None:
        if self.node is not None:
            await self.node.set_circles(self._bindings())

    def invite_changed(self, circle_id: bytes, link: str) -> None:
        if self.joining is not None:
            self.joining.set_invite(circle_id, link)
