"""The rendezvous server's logic, sans-IO: connections, registrations, relay pairing.

The asyncio adapter (:mod:`.server`) tells the core about connections and the requests they
send, with the wall clock passed in as ``now``; the core answers with :data:`Action` values
(send this message on that connection, close that one, splice these two) and never touches a
socket. Addresses are opaque keys here (for rate limits and caps) and are never logged.

Connections are capped in all, per address and per network (IPv4 /24, IPv6 /48). A CONTROL
connection that holds no registration lives at most ``unregistered_timeout`` seconds (a lookup
or an ACCEPT takes a moment; only a registration is worth keeping a connection for), and when
the server is full a new client takes the place of the oldest such connection of the busiest
network, so idle connections cannot lock newcomers out.

Connections have roles: every connection starts as CONTROL (ping, register, unregister, lookup);
a CONNECT turns a connection that holds no registration into DIALING until the target member's
ACCEPT (on another new connection) pairs the two as RELAY; from then on the adapter only copies
bytes between them.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Hashable
from dataclasses import dataclass, field
from enum import Enum

from . import codec
from .config import ServerConfig
from .errors import ErrorCode, Refused, describe
from .ratelimit import BucketMap
from .tags import verify_registration


class Role(Enum):
    CONTROL = "control"
    DIALING = "dialing"
    RELAY = "relay"


@dataclass(frozen=True)
class Send:
    conn: int
    message: codec.Response


@dataclass(frozen=True)
class Close:
    conn: int
    reason: str


@dataclass(frozen=True)
class Splice:
    """Start copying bytes between these two connections (both were told SPLICED)."""

    dialer: int
    acceptor: int


Action = Send | Close | Splice


@dataclass
class Registration:
    token: bytes
    tag: bytes
    owner: int
    info: bytes
    expires: float


@dataclass
class _Conn:
    id: int
    address: Hashable
    network: Hashable
    bare_since: float
    """When it last held no registration (checked by :meth:`ServerCore.tick`)."""
    role: Role = Role.CONTROL
    binding: bytes | None = None
    registrations: dict[bytes, Registration] = field(default_factory=dict)  # by tag
    relay: _Relay | None = None


@dataclass
class _Relay:
    dialer: int
    acceptor: int
    address: Hashable
    """The dialer's address: relays count against it."""
    ended: bool = False


@dataclass
class _Pending:
    relay_token: bytes
    dialer: int
    dialer_req: int
    target: int
    registration: bytes
    deadline: float


@dataclass
class Stats:
    connections: int = 0
    registrations: int = 0
    pending_relays: int = 0
    relays: int = 0
    refused_connections: int = 0
    refused_requests: int = 0
    relays_started: int = 0


class ServerCore:
    def __init__(self, config: ServerConfig | None = None) -> None:
        self.config = config or ServerConfig()
        c = self.config
        self._conns: dict[int, _Conn] = {}
        self._per_address: dict[Hashable, int] = {}
        self._per_network: dict[Hashable, int] = {}
        self._registered = 0  # connections holding at least one registration
        self._relays_per_address: dict[Hashable, int] = {}
        self._by_token: dict[bytes, Registration] = {}
        self._by_tag: dict[bytes, dict[bytes, Registration]] = {}
        self._pending: dict[bytes, _Pending] = {}
        self._pending_per_target: dict[bytes, int] = {}
        self._relays = 0
        self._connection_buckets = BucketMap(c.connection_rate, c.tracked_addresses)
        self._request_buckets = BucketMap(c.request_rate, c.tracked_addresses)
        self._tag_buckets = BucketMap(c.tag_rate, c.tracked_tags)
        self.refused_connections = 0
        self.refused_requests = 0
        self.relays_started = 0

    # -- introspection ------------------------------------------------------------------

    def stats(self) -> Stats:
        return Stats(
            connections=len(self._conns),
            registrations=len(self._by_token),
            pending_relays=len(self._pending),
            relays=self._relays,
            refused_connections=self.refused_connections,
            refused_requests=self.refused_requests,
            relays_started=self.relays_started,
        )

    def role(self, conn: int) -> Role | None:
        state = self._conns.get(conn)
        return state.role if state else None

    def registrations(self, tag: bytes) -> list[Registration]:
        return list(self._by_tag.get(tag, {}).values())

    # -- connections --------------------------------------------------------------------

    def open_connection(
        self, conn: int, address: Hashable, now: float, network: Hashable | None = None
    ) -> bool:
        """Admit a new connection (False: close it at once; nothing is kept). ``network`` is
        the address's /24 (IPv4) or /48 (IPv6); by default the address itself."""
        c = self.config
        if conn in self._conns:
            raise ValueError("connection id in use")
        network = address if network is None else network
        if (
            len(self._conns) >= c.max_connections
            or self._per_address.get(address, 0) >= c.max_connections_per_address
            or self._per_network.get(network, 0) >= c.max_connections_per_network
            or not self._connection_buckets.take(address, now)
        ):
            self.refused_connections += 1
            return False
        self._conns[conn] = _Conn(conn, address, network, now)
        self._per_address[address] = self._per_address.get(address, 0) + 1
        self._per_network[network] = self._per_network.get(network, 0) + 1
        return True

    def make_room(self, address: Hashable, network: Hashable | None = None) -> list[Action]:
        """When the server is full: let the oldest connection that holds nothing (a CONTROL
        connection without registrations) of the network with the most connections go, so
        that a new client from ``address`` can come in. Returns what to do (nothing when the
        server is not full, or when that client is over its own address's or network's cap)."""
        c = self.config
        network = address if network is None else network
        if (
            len(self._conns) < c.max_connections
            or self._per_address.get(address, 0) >= c.max_connections_per_address
            or self._per_network.get(network, 0) >= c.max_connections_per_network
        ):
            return []
        bare = [s for s in self._conns.values() if s.role is Role.CONTROL and not s.registrations]
        if not bare:
            return []
        victim = max(bare, key=lambda s: (self._per_network.get(s.network, 0), -s.bare_since))
        return [Close(victim.id, "room for a new client"), *self.close_connection(victim.id)]

    def handshake_done(self, conn: int, binding: bytes) -> None:
        self._conns[conn].binding = binding

    def close_connection(self, conn: int) -> list[Action]:
        """The connection is gone: drop what it held; returns what that does to others."""
        state = self._conns.pop(conn, None)
        if state is None:
            return []
        for counts, key in ((self._per_address, state.address), (self._per_network, state.network)):
            left = counts.get(key, 1) - 1
            if left:
                counts[key] = left
            else:
                counts.pop(key, None)
        if state.registrations:
            self._registered -= 1
        for reg in list(state.registrations.values()):
            self._drop_registration(reg)
        actions: list[Action] = []
        for token, pending in list(self._pending.items()):
            if pending.dialer == conn:
                self._drop_pending(token)
            elif pending.target == conn:
                self._drop_pending(token)
                actions += self._fail_dialer(pending, ErrorCode.NOT_FOUND, "the member went away")
        relay = state.relay
        if relay is not None and not relay.ended:
            relay.ended = True
            self._relays -= 1
            count = self._relays_per_address.get(relay.address, 1) - 1
            if count:
                self._relays_per_address[relay.address] = count
            else:
                self._relays_per_address.pop(relay.address, None)
            partner = relay.acceptor if conn == relay.dialer else relay.dialer
            if partner in self._conns:
                actions.append(Close(partner, "the other end of the relay closed"))
        return actions

    # -- requests -----------------------------------------------------------------------

    def handle(self, conn: int, request: codec.Request, now: float) -> list[Action]:
        state = self._conns[conn]
        try:
            if state.role is not Role.CONTROL or state.binding is None:
                raise Refused(ErrorCode.UNEXPECTED, "no request is expected on this connection")
            if not self._request_buckets.take(state.address, now):
                raise Refused(ErrorCode.RATE_LIMITED, "too many requests from this address")
            if isinstance(request, codec.Ping):
                return [Send(conn, codec.Ok(request.req_id))]
            if isinstance(request, codec.Register):
                return self._register(state, request, now)
            if isinstance(request, codec.Unregister):
                return self._unregister(state, request)
            if isinstance(request, codec.Lookup):
                return self._lookup(state, request, now)
            if isinstance(request, codec.Connect):
                return self._connect(state, request, now)
            return self._accept(state, request)
        except Refused as refusal:
            self.refused_requests += 1
            actions: list[Action] = [
                Send(conn, codec.Error(request.req_id, refusal.code, refusal.reason))
            ]
            if refusal.fatal:
                actions.append(Close(conn, describe(refusal.code)))
            return actions

    def malformed(self, conn: int, reason: str) -> list[Action]:
        """The connection sent something undecodable: say so (if possible) and close it."""
        self.refused_requests += 1
        return [
            Send(conn, codec.Error(0, ErrorCode.MALFORMED, reason[: codec.MAX_REASON])),
            Close(conn, "malformed input"),
        ]

    def _take_tag(self, tag: bytes, now: float) -> None:
        if not self._tag_buckets.take(tag, now):
            raise Refused(ErrorCode.RATE_LIMITED, "too many requests for this tag")

    def _register(self, state: _Conn, req: codec.Register, now: float) -> list[Action]:
        c = self.config
        assert state.binding is not None
        verify_registration(
            state.binding, req.tag, req.verify_key, req.issued, req.ttl, req.info, req.signature
        )
        if req.issued > now + c.max_clock_skew:
            raise Refused(ErrorCode.EXPIRED, "issued in the future (check the clock)")
        expires = min(float(req.issued + req.ttl), now + c.max_ttl)
        if req.ttl == 0 or expires <= now:
            raise Refused(ErrorCode.EXPIRED, "the registration's TTL has already run out")
        self._take_tag(req.tag, now)
        reg = state.registrations.get(req.tag)
        if reg is not None:  # a refresh: same token, new expiry and info
            reg.expires = expires
            reg.info = req.info
        else:
            if len(self._by_token) >= c.max_registrations:
                raise Refused(ErrorCode.FULL, "the server holds all the registrations it can")
            if len(self._by_tag.get(req.tag, ())) >= c.max_registrations_per_tag:
                raise Refused(ErrorCode.FULL, "too many registrations under this tag")
            if len(state.registrations) >= c.max_registrations_per_connection:
                raise Refused(ErrorCode.FULL, "too many registrations on this connection")
            reserve = min(c.reserved_connections, c.max_connections // 4)
            if not state.registrations and self._registered >= c.max_connections - reserve:
                raise Refused(ErrorCode.FULL, "the server keeps its last places for lookups")
            reg = Registration(
                secrets.token_bytes(codec.TOKEN_SIZE), req.tag, state.id, req.info, expires
            )
            if not state.registrations:
                self._registered += 1
            state.registrations[req.tag] = reg
            self._by_token[reg.token] = reg
            self._by_tag.setdefault(req.tag, {})[reg.token] = reg
        ttl = max(1, math.floor(expires - now))
        return [Send(state.id, codec.Registered(req.req_id, reg.token, ttl))]

    def _unregister(self, state: _Conn, req: codec.Unregister) -> list[Action]:
        reg = self._by_token.get(req.token)
        if reg is None or reg.owner != state.id:
            raise Refused(ErrorCode.NOT_FOUND, "no such registration on this connection")
        self._drop_registration(reg)
        return [Send(state.id, codec.Ok(req.req_id))]

    def _lookup(self, state: _Conn, req: codec.Lookup, now: float) -> list[Action]:
        self._take_tag(req.tag, now)
        live = [r for r in self._by_tag.get(req.tag, {}).values() if r.expires > now]
        entries = tuple(
            codec.FoundEntry(r.token, r.info, max(1, math.floor(r.expires - now)))
            for r in live[: codec.MAX_FOUND]
        )
        return [Send(state.id, codec.Found(req.req_id, entries))]

    def _live(self, token: bytes, now: float) -> Registration:
        reg = self._by_token.get(token)
        if reg is None or reg.expires <= now:
            raise Refused(ErrorCode.NOT_FOUND, "no such live registration")
        return reg

    def _connect(self, state: _Conn, req: codec.Connect, now: float) -> list[Action]:
        c = self.config
        if state.registrations:
            raise Refused(ErrorCode.UNEXPECTED, "CONNECT on a connection holding registrations")
        reg = self._live(req.token, now)
        self._take_tag(reg.tag, now)
        if len(self._pending) >= c.max_pending_relays:
            raise Refused(ErrorCode.FULL, "too many relays being set up")
        if self._pending_per_target.get(reg.token, 0) >= c.max_pending_per_target:
            raise Refused(ErrorCode.FULL, "too many relays being set up to this member")
        if self._relays + len(self._pending) >= c.max_relays:
            raise Refused(ErrorCode.FULL, "the server relays all it can")
        if self._relays_per_address.get(state.address, 0) >= c.max_relays_per_address:
            raise Refused(ErrorCode.FULL, "too many relays from this address")
        relay_token = secrets.token_bytes(codec.TOKEN_SIZE)
        self._pending[relay_token] = _Pending(
            relay_token, state.id, req.req_id, reg.owner, reg.token, now + c.accept_timeout
        )
        self._pending_per_target[reg.token] = self._pending_per_target.get(reg.token, 0) + 1
        state.role = Role.DIALING
        return [Send(reg.owner, codec.Incoming(relay_token, reg.token))]

    def _accept(self, state: _Conn, req: codec.Accept) -> list[Action]:
        if state.registrations:
            raise Refused(ErrorCode.UNEXPECTED, "ACCEPT on a connection holding registrations")
        pending = self._pending.get(req.relay_token)
        dialer = self._conns.get(pending.dialer) if pending else None
        if pending is None or dialer is None:
            raise Refused(ErrorCode.NOT_FOUND, "no such relay waiting")
        self._drop_pending(req.relay_token)
        state.role = dialer.role = Role.RELAY
        state.relay = dialer.relay = _Relay(dialer.id, state.id, dialer.address)
        self._relays += 1
        self.relays_started += 1
        self._relays_per_address[dialer.address] = (
            self._relays_per_address.get(dialer.address, 0) + 1
        )
        return [
            Send(dialer.id, codec.Spliced(pending.dialer_req)),
            Send(state.id, codec.Spliced(req.req_id)),
            Splice(dialer.id, state.id),
        ]

    # -- time ---------------------------------------------------------------------------

    def tick(self, now: float) -> list[Action]:
        """Expire registrations, relays that waited too long for their ACCEPT, and control
        connections that held no registration for ``unregistered_timeout``."""
        for reg in [r for r in self._by_token.values() if r.expires <= now]:
            self._drop_registration(reg)
        actions: list[Action] = []
        limit = self.config.unregistered_timeout
        for state in list(self._conns.values()):
            if state.role is not Role.CONTROL:
                continue
            if state.registrations:
                state.bare_since = now
            elif now - state.bare_since >= limit:
                actions.append(Close(state.id, "no registration"))
                actions += self.close_connection(state.id)
        for token, pending in list(self._pending.items()):
            if pending.deadline <= now:
                self._drop_pending(token)
                actions += self._fail_dialer(
                    pending, ErrorCode.TIMEOUT, "the member did not answer"
                )
        return actions

    def next_deadline(self) -> float | None:
        times = [r.expires for r in self._by_token.values()]
        times += [p.deadline for p in self._pending.values()]
        return min(times) if times else None

    # -- internals ----------------------------------------------------------------------

    def _fail_dialer(self, pending: _Pending, code: ErrorCode, reason: str) -> list[Action]:
        if pending.dialer not in self._conns:
            return []
        return [
            Send(pending.dialer, codec.Error(pending.dialer_req, code, reason)),
            Close(pending.dialer, describe(code)),
        ]

    def _drop_pending(self, token: bytes) -> None:
        pending = self._pending.pop(token)
        count = self._pending_per_target.get(pending.registration, 1) - 1
        if count:
            self._pending_per_target[pending.registration] = count
        else:
            self._pending_per_target.pop(pending.registration, None)

    def _drop_registration(self, reg: Registration) -> None:
        self._by_token.pop(reg.token, None)
        tagged = self._by_tag.get(reg.tag)
        if tagged is not None:
            tagged.pop(reg.token, None)
            if not tagged:
                del self._by_tag[reg.tag]
        owner = self._conns.get(reg.owner)
        if owner is not None and owner.registrations.get(reg.tag) is reg:
            del owner.registrations[reg.tag]
            if not owner.registrations:
                self._registered -= 1
