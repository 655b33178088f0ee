"""The node's rendezvous side: circles that span more than one network.

For each circle whose binding names a rendezvous server (``CircleBinding.rendezvous``), a
watcher registers this node under the circle's rotating tag (with its discovery label and direct
addresses, sealed for members only), then looks the circle up every
``NodeConfig.rendezvous_lookup_interval`` seconds. For each member found that has no link yet
(LAN discovery may have made one already), it dials the member's direct addresses first and
goes through the server's relay when none answers. Relayed connections other members open to
us arrive through the rendezvous client and take the node's normal accept path; relayed or not,
a link is the same Noise XXpsk0 channel, end to end between the two members.

Logs at INFO never carry addresses, keys or labels.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Iterable, Sequence
from typing import Protocol

from ..errors import NetworkError
from ..interfaces import default_interfaces
from ..rendezvous import AddressError, Registration, RendezvousClient, parse_address
from ..rendezvous.contact import Contact, decode_contact, direct_addresses
from ..stream import SecureStream
from ..tasks import TaskSet
from ..transport import ListenAddress
from .config import CircleBinding, NodeConfig

log = logging.getLogger(__name__)

DIRECT_DIAL_TIMEOUT = 3.0


class RelayPort(Protocol):
    """What the relay needs from its node (a port, so this module does not import the node)."""

    @property
    def label(self) -> str: ...

    @property
    def listen_addresses(self) -> list[ListenAddress]: ...

    async def accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Take an incoming connection (relayed to us) through the node's accept path."""
        ...

    def has_link(self, label: str, tag: bytes) -> bool: ...

    def dialing(self, label: str, tag: bytes) -> bool:
        """The node's own (LAN) dialer for this member and circle is running."""
        ...

    async def connect(self, hosts: Sequence[str], port: int, binding: CircleBinding) -> None:
        """Dial the member directly and bring the link up; a ``NetworkError`` if none answers."""
        ...

    async def secure(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, binding: CircleBinding
    ) -> SecureStream:
        """Say hello for the circle and run the dialer's handshake over an open stream."""
        ...

    def adopt(self, binding: CircleBinding, stream: SecureStream) -> None:
        """Make a stream this side dialed one of the node's links."""
        ...


class NodeRelay:
    """Rendezvous registrations, lookups and relayed dials for one node."""

    def __init__(self, node: RelayPort, config: NodeConfig) -> None:
        self._node = node
        self._config = config
        self._bindings: dict[bytes, CircleBinding] = {}
        self._watchers: dict[bytes, tuple[tuple[str, bytes], asyncio.Task[None]]] = {}
        self._clients: dict[str, RendezvousClient] = {}
        self._dials: dict[tuple[str, bytes], asyncio.Task[None]] = {}
        self._tasks = TaskSet()
        self._started = False
        self._closed = False
        self.relayed_dials = 0
        """Links this node dialed through a relay."""

    # -- life cycle ---------------------------------------------------------------------

    async def start(self) -> None:
        self._started = True
        self._sync()

    async def set_circles(self, bindings: Iterable[CircleBinding]) -> None:
        self._bindings = {b.tag: b for b in bindings if _usable(b)}
        if self._started:
            self._sync()
        await self._drop_unused_clients()

    async def close(self) -> None:
        self._closed = True
        await self._tasks.close()
        self._watchers.clear()
        self._dials.clear()
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.close()

    def _sync(self) -> None:
        """One watcher per circle; restarted only when its server or tag key changes (other
        changes to a binding are picked up at the next dial)."""
        for tag, (where, task) in list(self._watchers.items()):
            binding = self._bindings.get(tag)
            if binding is None or _where(binding) != where:
                task.cancel()
                del self._watchers[tag]
        for tag, binding in self._bindings.items():
            if tag not in self._watchers and not self._closed:
                task = self._tasks.spawn(self._watch(binding), "node-rendezvous-watch")
                self._watchers[tag] = (_where(binding), task)

    async def _drop_unused_clients(self) -> None:
        wanted = {b.rendezvous for b in self._bindings.values()}
        for text in [t for t in self._clients if t not in wanted]:
            await self._clients.pop(text).close()

    def _client(self, binding: CircleBinding) -> RendezvousClient:
        assert binding.rendezvous is not None
        client = self._clients.get(binding.rendezvous)
        if client is None:
            client = RendezvousClient(
                parse_address(binding.rendezvous), on_incoming=self._node.accept
            )
            self._clients[binding.rendezvous] = client
        return client

    def _contact(self) -> bytes:
        node = self._node
        if not self._config.rendezvous_direct:
            return Contact(node.label).encode()
        bound = [(a.host, a.port) for a in node.listen_addresses]
        wildcard = any(host in ("0.0.0.0", "::") for host, _ in bound)
        interfaces = default_interfaces() if wildcard else []
        return Contact(node.label, tuple(direct_addresses(bound, interfaces))).encode()

    # -- per circle ---------------------------------------------------------------------

    async def _watch(self, binding: CircleBinding) -> None:
        assert binding.rendezvous_tag_key is not None
        interval = self._config.rendezvous_lookup_interval
        client = self._client(binding)
        handle = None
        failures = 0
        try:
            while True:
                try:
                    if handle is None:
                        handle = await client.register(binding.rendezvous_tag_key, self._contact())
                        log.info("registered a circle with its rendezvous server")
                    for registration in await client.lookup(binding.rendezvous_tag_key):
                        self._consider(binding, client, registration)
                    failures = 0
                except (NetworkError, OSError) as exc:
                    failures += 1
                    log.debug("rendezvous unavailable: %s", type(exc).__name__)
                delay = interval if not failures else min(interval * 4, 2.0**failures)
                await asyncio.sleep(delay * (0.75 + random.random() / 2))
        finally:
            if handle is not None:
                await handle.close()

    def _consider(
        self, binding: CircleBinding, client: RendezvousClient, registration: Registration
    ) -> None:
        node = self._node
        contact = decode_contact(registration.info)
        if contact is None or contact.label == node.label:
            return
        slot = (contact.label, binding.tag)
        if node.has_link(*slot) or node.dialing(*slot):
            return
        running = self._dials.get(slot)
        if running is not None and not running.done():
            return
        self._dials[slot] = self._tasks.spawn(
            self._dial(binding, client, registration, contact), "node-rendezvous-dial"
        )

    async def _dial(
        self,
        binding: CircleBinding,
        client: RendezvousClient,
        registration: Registration,
        contact: Contact,
    ) -> None:
        node = self._node
        slot = (contact.label, binding.tag)
        try:
            if contact.label < node.label:  # the higher label lets the other side dial first
                await asyncio.sleep(self._config.higher_label_delay)
                if node.has_link(*slot):
                    return
            current = self._bindings.get(binding.tag)  # the newest version of the circle
            if current is None:
                return
            binding = current
            direct = contact.addresses if self._config.rendezvous_direct else ()
            for host, port in direct:
                try:
                    async with asyncio.timeout(
                        DIRECT_DIAL_TIMEOUT + self._config.handshake_timeout
                    ):
                        await node.connect([host], port, binding)
                    return
                except (NetworkError, TimeoutError):
                    continue
            if node.has_link(*slot):
                return
            await self._dial_relay(binding, client, registration)
        except (NetworkError, OSError) as exc:
            log.debug("rendezvous dial failed: %s", type(exc).__name__)
        finally:
            if self._dials.get(slot) is asyncio.current_task():
                del self._dials[slot]

    async def _dial_relay(
        self, binding: CircleBinding, client: RendezvousClient, registration: Registration
    ) -> None:
        reader, writer = await client.connect(registration)
        stream = await self._node.secure(reader, writer, binding)
        self.relayed_dials += 1  # before the link's PeerConnected goes out
        self._node.adopt(binding, stream)
        log.info("member link through the rendezvous relay")


def _where(binding: CircleBinding) -> tuple[str, bytes]:
    assert binding.rendezvous is not None and binding.rendezvous_tag_key is not None
    return binding.rendezvous, binding.rendezvous_tag_key


def _usable(binding: CircleBinding) -> bool:
    if binding.rendezvous is None or binding.rendezvous_tag_key is None:
        return False
    try:
        parse_address(binding.rendezvous)
    except AddressError:
        log.info("a circle's rendezvous address is not valid: not using it")
        return False
    return True
