"""The rendezvous server: the asyncio adapter around :class:`~.core.ServerCore`.

One task per TCP connection: Noise NK handshake (:class:`~.session.Session`), then control
requests handed to the core, whose actions (send, close, splice) are carried out here. A spliced
pair of connections becomes a relay: each connection's task copies what it reads to the other
end, until either end closes (passed on as a half-close), the relay has been idle too long,
has lived too long, or has carried too many bytes.

Nothing is written to disk. Client addresses appear only in DEBUG logs, and only when
``config.log_addresses`` is set; INFO logs carry counts.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import itertools
import logging
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field

from ..framing import HEADER_SIZE
from ..noise import KeyPair
from ..tasks import TaskSet
from ..transport import ListenError
from . import codec
from .address import RendezvousAddress
from .config import ServerConfig
from .core import Action, Close, Role, Send, ServerCore, Splice
from .errors import MalformedMessage, ProtocolError
from .session import Session

log = logging.getLogger(__name__)

RELAY_READ_SIZE = 64 * 1024
STATS_INTERVAL = 600.0


def network_key(peername: object) -> Hashable:
    """The network a peer is in, for the per-network cap: its IPv4 /24 or its IPv6 /48."""
    host = peername[0] if isinstance(peername, tuple) and peername else str(peername)
    try:
        ip = ipaddress.ip_address(str(host).split("%", 1)[0])
    except ValueError:
        return str(host)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = 24 if isinstance(ip, ipaddress.IPv4Address) else 48
    return str(ipaddress.ip_network((ip, prefix), strict=False))


def address_key(peername: object) -> Hashable:
    """The rate-limit key of a peer: its IPv4 address, or its IPv6 /64."""
    host = peername[0] if isinstance(peername, tuple) and peername else str(peername)
    try:
        ip = ipaddress.ip_address(str(host).split("%", 1)[0])
    except ValueError:
        return str(host)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


@dataclass
class _Relay:
    """Shared by the two connections of one relay."""

    max_bytes: int
    lifetime_end: float
    idle_timeout: float
    last_activity: float
    carried: int = 0
    ends_done: int = 0
    torn_down: bool = False
    finished: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass(eq=False)
class _Connection:
    id: int
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    session: Session
    peer: str
    closing: bool = False
    partner: _Connection | None = None
    relay: _Relay | None = None
    paired: asyncio.Event = field(default_factory=asyncio.Event)

    def write(self, data: bytes) -> None:
        if data and not self.writer.is_closing():
            self.writer.write(data)

    def close(self) -> None:
        self.closing = True
        self.paired.set()
        self.writer.close()

    def abort(self) -> None:
        self.closing = True
        self.paired.set()
        if self.relay is not None:
            self.relay.finished.set()
        self.writer.transport.abort()


class RendezvousServer:
    """Serve rendezvous and relays on the given addresses with the long-term key ``static``."""

    def __init__(
        self,
        static: KeyPair,
        config: ServerConfig | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.static = static
        self.config = config or ServerConfig()
        self.core = ServerCore(self.config)
        self._clock = clock
        self._servers: list[asyncio.Server] = []
        self._connections: dict[int, _Connection] = {}
        self._handlers: set[asyncio.Task[None]] = set()
        self._ids = itertools.count(1)
        self._tasks = TaskSet()
        self._closing = False
        self.addresses: list[RendezvousAddress] = []
        self.relayed_bytes = 0

    @property
    def public_key(self) -> bytes:
        return self.static.public

    # -- life cycle ---------------------------------------------------------------------

    async def start(self, listen: Sequence[tuple[str, int]]) -> list[RendezvousAddress]:
        """Listen on each (host, port); returns the complete address of every socket."""
        for host, port in listen:
            try:
                server = await asyncio.start_server(self._handle, host=host, port=port)
            except OSError as exc:
                await self.close()
                raise ListenError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
            self._servers.append(server)
            for sock in server.sockets:
                name = sock.getsockname()
                self.addresses.append(RendezvousAddress(name[0], name[1], self.public_key))
        self._tasks.spawn(self._sweep(), "rendezvous-sweep")
        log.info("rendezvous server listening on %d socket(s)", len(self.addresses))
        return list(self.addresses)

    async def close(self) -> None:
        self._closing = True
        servers, self._servers = self._servers, []
        for server in servers:
            server.close()
        for conn in list(self._connections.values()):
            conn.abort()
        await self._tasks.close()
        handlers = list(self._handlers)
        if handlers:
            await asyncio.wait(handlers, timeout=5)
        for server in servers:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 5)
        stats = self.core.stats()
        log.info(
            "rendezvous server closed (%d relay(s) served, %d request(s) refused)",
            stats.relays_started,
            stats.refused_requests,
        )

    async def _sweep(self) -> None:
        next_stats = self._clock() + STATS_INTERVAL
        while True:
            await asyncio.sleep(self.config.sweep_interval)
            now = self._clock()
            self._apply(self.core.tick(now))
            if now >= next_stats:
                next_stats = now + STATS_INTERVAL
                s = self.core.stats()
                log.info(
                    "rendezvous: %d connection(s), %d registration(s), %d relay(s)",
                    s.connections,
                    s.registrations,
                    s.relays,
                )

    # -- connections --------------------------------------------------------------------

    def _debug(self, conn: _Connection, text: str, *args: object) -> None:
        if log.isEnabledFor(logging.DEBUG):
            who = conn.peer if self.config.log_addresses else f"#{conn.id}"
            log.debug("connection %s: " + text, who, *args)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        conn_id = next(self._ids)
        peername = writer.get_extra_info("peername")
        address, network = address_key(peername), network_key(peername)
        if not self._closing:
            self._apply(self.core.make_room(address, network))
        if self._closing or not self.core.open_connection(conn_id, address, self._clock(), network):
            writer.transport.abort()
            return
        peer = f"{peername[0]}:{peername[1]}" if isinstance(peername, tuple) else "?"
        conn = _Connection(conn_id, reader, writer, Session(static=self.static), peer)
        self._connections[conn_id] = conn
        self._handlers.add(task)
        reason = "closed"
        try:
            reason = await self._serve(conn)
        except asyncio.IncompleteReadError as exc:
            reason = "closed by the client" if not exc.partial else "truncated frame"
        except (ConnectionError, OSError):
            reason = "connection lost"
        except TimeoutError:
            reason = "timed out"
        except ProtocolError as exc:
            reason = f"malformed input: {exc}"
            self._apply(self.core.malformed(conn_id, str(exc)))
        finally:
            self._handlers.discard(task)
            self._connections.pop(conn_id, None)
            self._debug(conn, "closing (%s)", reason)
            self._apply(self.core.close_connection(conn_id))
            if not conn.closing:
                conn.close()

    async def _read_frame(self, conn: _Connection) -> bytes:
        header = await conn.reader.readexactly(HEADER_SIZE)
        size = int.from_bytes(header, "big")
        conn.session.check_length(size)
        return await conn.reader.readexactly(size)

    async def _serve(self, conn: _Connection) -> str:
        config = self.config
        async with asyncio.timeout(config.handshake_timeout):
            conn.session.receive_frame(await self._read_frame(conn))
        conn.write(conn.session.data_to_send())
        self.core.handshake_done(conn.id, conn.session.handshake_hash)
        while not conn.closing:
            role = self.core.role(conn.id)
            if role is Role.DIALING:
                return await self._wait_pair(conn)
            if role is Role.RELAY:
                return await self._pump(conn)
            async with asyncio.timeout(config.control_idle_timeout):
                body = await self._read_frame(conn)
            request = conn.session.receive_frame(body)
            if not isinstance(request, codec.Request):
                raise MalformedMessage("expected a request")
            self._apply(self.core.handle(conn.id, request, self._clock()))
        return "closed by the server"

    async def _wait_pair(self, conn: _Connection) -> str:
        limit = self.config.accept_timeout + 2 * self.config.sweep_interval + 1
        async with asyncio.timeout(limit):
            await conn.paired.wait()
        if conn.closing or conn.relay is None:
            return "relay not accepted"
        return await self._pump(conn)

    # -- actions ------------------------------------------------------------------------

    def _apply(self, actions: list[Action]) -> None:
        for action in actions:
            if isinstance(action, Send):
                target = self._connections.get(action.conn)
                if target is not None and target.session.can_send and not target.closing:
                    target.session.send(action.message)
                    target.write(target.session.data_to_send())
            elif isinstance(action, Close):
                target = self._connections.get(action.conn)
                if target is not None and not target.closing:
                    self._debug(target, "closed: %s", action.reason)
                    target.close()
            elif isinstance(action, Splice):
                self._splice(action)

    def _splice(self, action: Splice) -> None:
        dialer = self._connections.get(action.dialer)
        acceptor = self._connections.get(action.acceptor)
        if dialer is None or acceptor is None:  # cannot happen: the core knows both are open
            for conn in (dialer, acceptor):
                if conn is not None:
                    conn.close()
            return
        loop = asyncio.get_running_loop()
        c = self.config
        now = loop.time()
        relay = _Relay(c.relay_max_bytes, now + c.relay_max_lifetime, c.relay_idle_timeout, now)
        dialer.partner, acceptor.partner = acceptor, dialer
        dialer.relay = acceptor.relay = relay
        dialer.paired.set()
        acceptor.paired.set()

    # -- relays -------------------------------------------------------------------------

    def _tear_down(self, conn: _Connection, why: str) -> None:
        relay = conn.relay
        if relay is not None and not relay.torn_down:
            relay.torn_down = True
            relay.finished.set()
            self._debug(conn, "relay cut: %s", why)
        for end in (conn, conn.partner):
            if end is not None and not end.closing:
                end.abort()

    async def _pump(self, conn: _Connection) -> str:
        """Copy what ``conn`` reads to its partner, within the relay's limits; return when the
        whole relay is over (so the connection is not closed while its partner still sends)."""
        relay, partner = conn.relay, conn.partner
        assert relay is not None and partner is not None
        loop = asyncio.get_running_loop()
        reader, out = conn.reader, partner.writer
        while not relay.torn_down:
            now = loop.time()
            deadline = min(relay.last_activity + relay.idle_timeout, relay.lifetime_end)
            if now >= deadline:
                self._tear_down(conn, "idle" if now < relay.lifetime_end else "lifetime")
                return "relay limit"
            try:
                async with asyncio.timeout(deadline - now):
                    data = await reader.read(RELAY_READ_SIZE)
            except TimeoutError:
                continue  # the loop decides: the other direction may have been active
            except (ConnectionError, OSError):
                self._tear_down(conn, "connection lost")
                return "relay lost"
            if not data:
                return await self._half_close(conn)
            relay.carried += len(data)
            self.relayed_bytes += len(data)
            relay.last_activity = loop.time()
            if relay.carried > relay.max_bytes:
                self._tear_down(conn, "byte limit")
                return "relay limit"
            if out.is_closing():
                self._tear_down(conn, "other end gone")
                return "relay lost"
            out.write(data)
            try:
                async with asyncio.timeout(relay.idle_timeout):
                    await out.drain()
            except (ConnectionError, OSError, TimeoutError):
                self._tear_down(conn, "other end stuck or lost")
                return "relay lost"
        return "relay cut"

    async def _half_close(self, conn: _Connection) -> str:
        """``conn`` sent EOF: pass it on, then wait for the other direction to end too."""
        relay, partner = conn.relay, conn.partner
        assert relay is not None and partner is not None
        relay.ends_done += 1
        if relay.ends_done < 2 and partner.writer.can_write_eof():
            with contextlib.suppress(ConnectionError, OSError, RuntimeError):
                partner.writer.write_eof()
            await relay.finished.wait()  # set by the other direction (bounded by its limits)
            return "relay ended"
        relay.finished.set()
        for end in (conn, partner):
            if not end.closing:
                end.close()
        return "relay ended"
