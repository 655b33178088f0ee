"""The server's limits. Every one is a cap on memory, CPU or bandwidth a client can make it use."""

from __future__ import annotations

from dataclasses import dataclass, field

from .ratelimit import Rate

MAX_TTL = 600
"""Registrations live at most ten minutes; clients refresh them at half their TTL."""


@dataclass(frozen=True)
class ServerConfig:
    max_ttl: int = MAX_TTL
    max_clock_skew: int = 120
    """A registration issued further in the future than this is refused as EXPIRED."""
    max_connections: int = 2048
    max_connections_per_address: int = 64
    max_connections_per_network: int = 256
    """Per IPv4 /24 or IPv6 /48: one network cannot fill the server from many addresses."""
    reserved_connections: int = 256
    """Places only connections without a registration may take (lookups, relays), at most a
    quarter of ``max_connections``: however many connections register, new clients can still
    look members up and be relayed."""
    unregistered_timeout: float = 30.0
    """A control connection holding no registration is closed after this long (a lookup or an
    ACCEPT takes a moment), so idle connections cannot hold the server's places."""
    max_registrations: int = 10_000
    max_registrations_per_tag: int = 128
    max_registrations_per_connection: int = 8
    max_pending_relays: int = 256
    max_pending_per_target: int = 4
    max_relays: int = 512
    max_relays_per_address: int = 32
    relay_max_bytes: int = 1 << 30
    """Bytes (both directions together) one relay may carry before it is cut."""
    relay_max_lifetime: float = 6 * 3600.0
    relay_idle_timeout: float = 120.0
    accept_timeout: float = 10.0
    """How long a CONNECT waits for the other member's ACCEPT."""
    handshake_timeout: float = 10.0
    control_idle_timeout: float = 2.0 * MAX_TTL
    """A control connection that sends nothing for this long is closed."""
    connection_rate: Rate = field(default_factory=lambda: Rate(burst=60, per_second=5))
    """New connections per address (a whole venue may share one address behind a NAT, and
    each lookup or relay is a connection of its own)."""
    request_rate: Rate = field(default_factory=lambda: Rate(burst=240, per_second=40))
    """Requests per address, over all its connections."""
    tag_rate: Rate = field(default_factory=lambda: Rate(burst=128, per_second=4))
    """Requests per tag (registrations, lookups, connects): per key, over all addresses."""
    tracked_addresses: int = 8192
    tracked_tags: int = 32768
    sweep_interval: float = 1.0
    log_addresses: bool = False
    """Allow client addresses in DEBUG logs (never at INFO)."""

    def __post_init__(self) -> None:
        if not 1 <= self.max_ttl <= MAX_TTL:
            raise ValueError(f"max_ttl must be within 1..{MAX_TTL}")
        for name in (
            "max_connections",
            "max_connections_per_address",
            "max_connections_per_network",
            "reserved_connections",
            "max_registrations",
            "max_registrations_per_tag",
            "max_registrations_per_connection",
            "max_pending_relays",
            "max_pending_per_target",
            "max_relays",
            "max_relays_per_address",
            "relay_max_bytes",
            "tracked_addresses",
            "tracked_tags",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        for name in (
            "relay_max_lifetime",
            "relay_idle_timeout",
            "accept_timeout",
            "handshake_timeout",
            "control_idle_timeout",
            "unregistered_timeout",
            "sweep_interval",
        ):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
