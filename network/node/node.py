"""The node: one listener, discovery, and one verified secure link per (member, circle).

- Incoming: read the clear hello, pick the circle whose key the hint matches, run the circle's
  Noise handshake as responder (at most ``max_pending_handshakes`` at once; the rest are dropped).
- Outgoing: for each discovered peer that shares a circle, a dialer task connects, runs the
  handshake as initiator, waits while the link lives, then redials with backoff and jitter while
  the peer is still announced. The peer whose label sorts higher waits a moment first, so that
  usually only one side dials.
- Duplicates (both sides dialed at once): the link dialed by the side with the smaller Noise
  static key survives (:mod:`.tiebreak`); both sides reach the same answer.
- Keepalives and the idle timeout live in the channel; an mDNS goodbye closes the peer's links
  at once.

Logs at INFO never carry addresses, keys or labels.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import socket
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from .. import sockopts
from ..channel import ChannelConfig, ChannelError, CloseCode, PeerHandshake, describe_code
from ..discovery import Discovery, PeerFound, PeerGone, PeerUpdated
from ..discovery.events import DiscoveryEvent
from ..discovery.labels import random_label
from ..errors import NetworkError
from ..interfaces import default_interfaces, validate_interfaces
from ..lograte import RefusalLog
from ..noise import KeyPair
from ..stream import SecureStream, accept_channel, connect_channel
from ..tasks import TaskSet
from ..transport import ListenAddress, Listener
from . import hello as hello_mod
from . import payload as payload_mod
from .backoff import Backoff
from .config import CircleBinding, NodeConfig
from .events import NodeEvent, PeerConnected, PeerKey, PeerLost, PeerMessage
from .points import PointPlaces, RawHandler
from .relay import NodeRelay
from .tiebreak import keep_outgoing

log = logging.getLogger(__name__)

FIND_REFRESH_FIRST = 1.0
FIND_REFRESHES = 5
""":meth:`Node.find` asks the LAN for announcements at once, then after 1, 2, 4 and 8 s."""


DiscoveredPeer = PeerFound | PeerUpdated


class NodeError(NetworkError):
    """A request the node cannot serve (no such link, not started, closed)."""


class ConnectError(NodeError):
    """No address of the peer accepted a connection."""


@dataclass(frozen=True)
class _Verified:
    identity: object
    label: str


@dataclass
class _Link:
    key: PeerKey
    stream: SecureStream
    identity: object
    label: str
    initiator: bool
    done: asyncio.Event = field(default_factory=asyncio.Event)


class Node:
    def __init__(self, on_event: Callable[[NodeEvent], None], config: NodeConfig | None = None):
        self._on_event = on_event
        self._config = config or NodeConfig()
        self._bindings: dict[bytes, CircleBinding] = {}
        self._points: dict[bytes, RawHandler | None] = {}
        self._seekers: dict[bytes, list[asyncio.Future[DiscoveredPeer]]] = {}
        self._listener = Listener(self._accept, self._config.interfaces)
        self._discovery = Discovery(self._on_discovery) if self._config.discovery else None
        self.label = self._discovery.peer_id if self._discovery else random_label()
        self._tasks = TaskSet()
        self._links: dict[PeerKey, _Link] = {}
        self._dialers: dict[tuple[str, bytes], asyncio.Task[None]] = {}
        self._peers: dict[str, PeerFound | PeerUpdated] = {}
        self._pending = 0
        self._closing = False
        self._relay = NodeRelay(_RelayPort(self), self._config)
        self._refusals = RefusalLog(log, "refused an incoming connection")
        self._point_places = PointPlaces(self._config, self._refusals)
        self._decoy_static: KeyPair | None = None

    @property
    def refused(self) -> int:
        """Incoming connections refused before a link came up (garbage, wrong circle, ...)."""
        return self._refusals.total

    # -- life cycle ---------------------------------------------------------------------

    @property
    def pending_handshakes(self) -> int:
        return self._pending

    @property
    def listen_addresses(self) -> list[ListenAddress]:
        return list(self._listener.bound)

    async def start(self) -> list[ListenAddress]:
        """Listen on the chosen interfaces only (``--interface``, else the default discovery
        interfaces; loopback when there are none), never on every address: a VPN or container
        address that discovery skips does not take connections either."""
        interfaces = validate_interfaces(self._config.interfaces)
        if not interfaces and self._discovery is not None:
            interfaces = default_interfaces()
        self._listener = Listener(self._accept, interfaces)
        bound = await self._listener.start()
        if self._discovery is not None:
            await self._discovery.set_circles(self._discovery_keys(), quiet=self._quiet_keys())
            await self._discovery.start(interfaces, self._listener.port)
        await self._relay.start()
        log.info("node listening (%d socket(s))", len(bound))
        return bound

    async def close(self) -> None:
        self._closing = True
        await self._relay.close()
        for task in list(self._dialers.values()):
            task.cancel()
        self._dialers.clear()
        if self._discovery is not None:
            await self._discovery.close()
        # Links before the listener: since Python 3.12.1 the listener's close waits for every
        # connection it accepted, and an accepted link only closes here.
        self._listener.stop()
        links = list(self._links.values())
        await asyncio.gather(
            *(link.stream.close(CloseCode.GOING_AWAY) for link in links), return_exceptions=True
        )
        await self._tasks.close()
        await self._listener.close()
        self._refusals.flush()

    # -- circles ------------------------------------------------------------------------

    def _discovery_keys(self) -> list[bytes]:
        announced = [b.discovery_key for b in self._bindings.values() if b.announce]
        return announced + [key for key, handler in self._points.items() if handler is not None]

    def _quiet_keys(self) -> list[bytes]:
        """Keys we match but do not announce: circles we answer and dial for quietly
        (``CircleBinding.announce``), and join points we only look for (a newcomer seeking a
        code must not look like its host to another newcomer typing the same code)."""
        quiet = [b.discovery_key for b in self._bindings.values() if not b.announce]
        return quiet + [key for key, handler in self._points.items() if handler is None]

    # -- join points --------------------------------------------------------------------

    async def set_join_points(self, points: Mapping[bytes, RawHandler | None]) -> None:
        """Announce these extra discovery keys. An incoming connection whose hello names one
        with a handler goes to that handler (raw, no Noise); ``None`` announces nothing: it
        lets :meth:`find` recognise whoever announces the key (the host of a spoken code)."""
        self._points = dict(points)
        served = [key for key, handler in self._points.items() if handler is not None]
        for writer in self._point_places.withdraw(served):  # the invitation closed: so do they
            writer.close()
        if self._discovery is not None:
            await self._discovery.set_circles(self._discovery_keys(), quiet=self._quiet_keys())

    async def find(self, key: bytes) -> DiscoveredPeer:
        """The first peer announcing ``key`` (one already known, or the next one to appear);
        bound it with ``asyncio.wait_for``."""
        for peer in self._peers.values():
            if key in peer.matched_keys:
                return peer
        future: asyncio.Future[DiscoveredPeer] = asyncio.get_running_loop().create_future()
        self._seekers.setdefault(key, []).append(future)
        try:
            # What discovery holds may be stale: ask the LAN again now, then less and less often.
            wait = FIND_REFRESH_FIRST
            for _ in range(FIND_REFRESHES):
                if self._discovery is not None:
                    self._discovery.refresh()
                done, _pending = await asyncio.wait({future}, timeout=wait)
                if done:
                    return future.result()
                wait *= 2
            return await future
        finally:
            waiting = self._seekers.get(key, [])
            if future in waiting:
                waiting.remove(future)
            if not waiting:
                self._seekers.pop(key, None)

    async def open_raw(
        self, peer: DiscoveredPeer, key: bytes
    ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """Connect to ``peer`` and send the hello for join point ``key``; the rest is yours."""
        last: Exception | None = None
        for address in peer.addresses:
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(address, peer.port), self._config.dial_timeout
                )
            except (OSError, TimeoutError) as exc:
                last = exc
                continue
            try:
                await hello_mod.dial(reader, writer, key, self._config.dial_timeout)
            except (hello_mod.HelloError, TimeoutError, OSError) as exc:
                writer.close()
                last = exc
                continue
            return reader, writer
        raise ConnectError(f"could not reach the peer: {last}") from last

    async def set_circles(self, bindings: Sequence[CircleBinding]) -> None:
        """Serve exactly these circles: announce them, dial their members, drop the others.

        A link stays up while its circle is served with the same identity (static key and
        handshake payload): a new secret (psk) or discovery key only guards new handshakes, so
        a secret rotation keeps everyone who is still linked talking. A changed identity closes
        the circle's links, so they come back with it."""
        old = self._bindings
        self._bindings = {b.tag: b for b in bindings}
        for key, link in list(self._links.items()):
            binding, before = self._bindings.get(key.circle), old.get(key.circle)
            if binding is None or before is None or not _same_identity(binding, before):
                self._tasks.spawn(link.stream.close(CloseCode.GOING_AWAY), "node-drop-link")
        for (label, tag), task in list(self._dialers.items()):
            if tag not in self._bindings:
                task.cancel()
                self._dialers.pop((label, tag), None)
        if self._discovery is not None:
            await self._discovery.set_circles(self._discovery_keys(), quiet=self._quiet_keys())
        await self._relay.set_circles(bindings)
        for peer in list(self._peers.values()):
            self._want_dials(peer)

    # -- links --------------------------------------------------------------------------

    def links(self) -> list[PeerKey]:
        return list(self._links)

    def is_connected(self, peer: PeerKey) -> bool:
        return peer in self._links

    async def send(self, peer: PeerKey, data: bytes) -> None:
        link = self._links.get(peer)
        if link is None:
            raise NodeError("no link to that member")
        await link.stream.send(data)

    async def disconnect(self, peer: PeerKey, code: int = CloseCode.NORMAL) -> None:
        link = self._links.get(peer)
        if link is not None:
            await link.stream.close(code)

    async def connect(self, host: str, port: int, circle: bytes) -> PeerKey:
        """Dial ``host:port`` for ``circle`` directly (no discovery needed)."""
        binding = self._bindings.get(circle)
        if binding is None:
            raise NodeError("not serving that circle")
        link = await self._connect([host], port, binding)
        return link.key

    # -- handshakes ---------------------------------------------------------------------

    def _channel_config(self, binding: CircleBinding, *, relayed: bool = False) -> ChannelConfig:
        def verify(peer: PeerHandshake) -> _Verified:
            label, app = payload_mod.unwrap(peer.payload)
            return _Verified(binding.verify(app, peer.remote_static), label)

        config = self._config
        return ChannelConfig(
            static=binding.static,
            psk=binding.psk,
            handshake_payload=payload_mod.wrap(self.label, binding.payload),
            verify_peer=verify,
            handshake_timeout=self._config.handshake_timeout,
            idle_timeout=self._config.idle_timeout,
            keepalive_interval=min(config.keepalive_interval, config.relayed_keepalive_interval)
            if relayed
            else config.keepalive_interval,
        )

    async def _connect(self, addresses: Sequence[str], port: int, binding: CircleBinding) -> _Link:
        last: Exception | None = None
        for address in addresses:
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(address, port), self._config.dial_timeout
                )
            except (OSError, TimeoutError) as exc:
                last = exc
                continue
            try:
                stream = await self._secure(reader, writer, binding)
            except (ChannelError, hello_mod.HelloError, TimeoutError, OSError) as exc:
                last = exc
                continue
            return self._register(binding, stream, initiator=True)
        raise ConnectError(f"could not reach the member: {last}") from last

    async def _secure(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        binding: CircleBinding,
        *,
        relayed: bool = False,
    ) -> SecureStream:
        """Read the responder's challenge, say hello for the circle, then the dialer's
        handshake; the writer closes on failure."""
        try:
            clear = await hello_mod.dial(
                reader, writer, binding.discovery_key, self._config.handshake_timeout
            )
            return await connect_channel(
                reader, writer, self._channel_config(binding, relayed=relayed), cleartext=clear
            )
        except BaseException:
            writer.close()
            raise

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = _peer_of(writer)
        if self._closing or self._pending >= self._config.max_pending_handshakes:
            self._refusals.note(peer, "too many handshakes in progress")
            writer.close()
            return
        self._pending += 1
        point: tuple[bytes, RawHandler] | None = None
        try:
            challenge = hello_mod.new_challenge()
            writer.write(challenge)
            hello_bytes = await asyncio.wait_for(
                reader.readexactly(hello_mod.SIZE), self._config.handshake_timeout
            )
            clear = challenge + hello_bytes
            hello = hello_mod.Hello.decode(hello_bytes)
            bindings = list(self._bindings.values())
            points = [(k, h) for k, h in self._points.items() if h is not None]
            keys = [b.discovery_key for b in bindings] + [k for k, _ in points]
            index = hello.match(keys, challenge[-hello_mod.CHALLENGE_SIZE :])
            if index is not None and index >= len(bindings):
                point = points[index - len(bindings)]
            else:
                # A stranger's hello (foreign circle, replayed, forged) is answered exactly
                # like a member's: message 1 is read with a random psk, and fails the same way.
                config = (
                    self._channel_config(bindings[index])
                    if index is not None
                    else self._decoy_config()
                )
                stream = await accept_channel(reader, writer, config, cleartext=clear)
        except (TimeoutError, asyncio.IncompleteReadError, ConnectionError, NetworkError) as exc:
            self._refusals.note(peer, _reason(exc))
            writer.close()
            return
        finally:
            self._pending -= 1
        if point is not None:
            await self._point_places.serve(point[0], point[1], reader, writer, peer)
            return
        verified = stream.peer_identity
        if not isinstance(verified, _Verified):  # cannot happen: the decoy never opens
            await stream.close(CloseCode.PEER_REJECTED)
            return
        self._register(bindings[index or 0], stream, initiator=False)

    def point_progressed(self, writer: asyncio.StreamWriter) -> None:
        """A join-point handler's word that its connection got past what a stranger can do for
        free (a spoken code: the newcomer's SPAKE2 message was taken); it keeps its place when
        every place is held (see :mod:`.points`)."""
        self._point_places.progressed(writer)

    @property
    def point_connections(self) -> int:
        """Join-point connections held now."""
        return len(self._point_places)

    def _decoy_config(self) -> ChannelConfig:
        if self._decoy_static is None:
            self._decoy_static = KeyPair.generate()
        return ChannelConfig(
            static=self._decoy_static,
            psk=secrets.token_bytes(32),
            handshake_timeout=self._config.handshake_timeout,
            idle_timeout=self._config.idle_timeout,
            keepalive_interval=self._config.keepalive_interval,
        )

    def _register(self, binding: CircleBinding, stream: SecureStream, initiator: bool) -> _Link:
        verified = stream.peer_identity
        assert isinstance(verified, _Verified)
        key = PeerKey(binding.tag, stream.remote_static)
        link = _Link(key, stream, verified.identity, verified.label, initiator)
        existing = self._links.get(key)
        if existing is not None:
            if existing.initiator == initiator:
                winner = link  # the same role twice: the fresher connection is the live one
            else:
                outgoing_wins = keep_outgoing(binding.static.public, stream.remote_static)
                winner = link if initiator == outgoing_wins else existing
            loser = existing if winner is link else link
            log.debug("two links to one member: keeping the %s", "new" if winner is link else "old")
            self._tasks.spawn(loser.stream.close(CloseCode.REPLACED), "node-replace-link")
            if winner is existing:
                link.done.set()
                return existing
        elif self._closing or len(self._links) >= self._config.max_links:
            self._tasks.spawn(link.stream.close(CloseCode.GOING_AWAY), "node-refuse-link")
            link.done.set()
            raise NodeError("link limit reached")
        self._links[key] = link
        sock = stream.get_extra_info("socket")
        tcp = sock if isinstance(sock, socket.socket) else None
        sockopts.apply(tcp, self._config.tcp, probe=initiator)  # probes from the dialer only
        self._tasks.spawn(self._pump(link), "node-link")
        log.info("member link up (%d link(s))", len(self._links))
        self._on_event(PeerConnected(key, link.identity))
        return link

    async def _pump(self, link: _Link) -> None:
        reason = "closed"
        try:
            async for data in link.stream:
                self._on_event(PeerMessage(link.key, data))
            code = link.stream.close_code
            reason = describe_code(code if code is not None else CloseCode.NORMAL)
        except ChannelError as exc:
            reason = _reason(exc)
        finally:
            link.done.set()
            if self._links.get(link.key) is link:
                del self._links[link.key]
                log.info("member link down: %s (%d link(s))", reason, len(self._links))
                if not self._closing:
                    self._on_event(PeerLost(link.key, link.identity, reason))

    # -- discovery ----------------------------------------------------------------------

    def _on_discovery(self, event: DiscoveryEvent) -> None:
        if self._closing:
            return
        if isinstance(event, PeerGone):
            self._peers.pop(event.peer_id, None)
            for (label, tag), task in list(self._dialers.items()):
                if label == event.peer_id:
                    task.cancel()
                    self._dialers.pop((label, tag), None)
            for link in list(self._links.values()):
                if link.label == event.peer_id:
                    self._tasks.spawn(link.stream.close(CloseCode.GOING_AWAY), "node-peer-gone")
            return
        self._peers[event.peer_id] = event
        for key in list(self._seekers):
            if key in event.matched_keys:
                for future in self._seekers.pop(key):
                    if not future.done():
                        future.set_result(event)
        self._want_dials(event)

    def _want_dials(self, peer: PeerFound | PeerUpdated) -> None:
        for binding in self._bindings.values():
            if binding.discovery_key not in peer.matched_keys:
                continue
            slot = (peer.peer_id, binding.tag)
            task = self._dialers.get(slot)
            if task is None or task.done():
                self._dialers[slot] = self._tasks.spawn(self._dial_loop(*slot), "node-dialer")

    def _link_for(self, label: str, tag: bytes) -> _Link | None:
        for link in self._links.values():
            if link.label == label and link.key.circle == tag:
                return link
        return None

    async def _dial_loop(self, label: str, tag: bytes) -> None:
        backoff = Backoff(self._config.backoff_base, self._config.backoff_cap)
        try:
            if label < self.label:
                await asyncio.sleep(self._config.higher_label_delay)
            while not self._closing:
                peer = self._peers.get(label)
                binding = self._bindings.get(tag)
                if peer is None or binding is None:
                    return
                if binding.discovery_key not in peer.matched_keys:
                    return
                link = self._link_for(label, tag)
                if link is None:
                    try:
                        link = await self._connect(peer.addresses, peer.port, binding)
                    except NetworkError as exc:
                        log.debug("dial failed: %s", _reason(exc))
                        await asyncio.sleep(backoff.next_delay())
                        continue
                backoff.reset()  # a link came up: whatever failed before has passed
                await link.done.wait()
                if link.stream.close_code != CloseCode.REPLACED:
                    await asyncio.sleep(backoff.next_delay())
        finally:
            if self._dialers.get((label, tag)) is asyncio.current_task():
                self._dialers.pop((label, tag), None)


def _peer_of(writer: asyncio.StreamWriter) -> str:
    """The remote address (for per-peer limits and log counts; never logged as such)."""
    name = writer.get_extra_info("peername")
    return str(name[0]) if isinstance(name, tuple) and name else "?"


class _RelayPort:
    """The node as its rendezvous relay sees it (``relay.RelayPort``)."""

    def __init__(self, node: Node) -> None:
        self._node = node

    @property
    def label(self) -> str:
        return self._node.label

    @property
    def listen_addresses(self) -> list[ListenAddress]:
        return self._node.listen_addresses

    async def accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await self._node._accept(reader, writer)

    def has_link(self, label: str, tag: bytes) -> bool:
        return self._node._link_for(label, tag) is not None

    def dialing(self, label: str, tag: bytes) -> bool:
        task = self._node._dialers.get((label, tag))
        return task is not None and not task.done()

    async def connect(self, hosts: Sequence[str], port: int, binding: CircleBinding) -> None:
        await self._node._connect(hosts, port, binding)

    async def secure(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, binding: CircleBinding
    ) -> SecureStream:
        return await self._node._secure(reader, writer, binding, relayed=True)

    def adopt(self, binding: CircleBinding, stream: SecureStream) -> None:
        self._node._register(binding, stream, initiator=True)


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if text != type(exc).__name__ else text


def _same_identity(a: CircleBinding, b: CircleBinding) -> bool:
    """Whether links made under binding ``b`` may stay up under ``a``."""
    return a.static == b.static and a.payload == b.payload and (a.psk is None) == (b.psk is None)
