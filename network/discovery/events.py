"""What discovery tells the node: a peer was found, changed, or went away."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PeerFound:
    """A Hearth peer appeared on the LAN.

    ``peer_id`` is its random instance label (new each run of that peer; it identifies nobody).
    ``matched_keys`` holds those of *my* circle discovery keys whose hint it announces; empty for
    a peer that shares no circle with me (or that announces a circle beyond its hint slots).
    Keys are kept out of ``repr`` so that logging an event never logs a key.
    """

    peer_id: str
    addresses: tuple[str, ...]
    port: int
    matched_keys: frozenset[bytes] = field(repr=False)


@dataclass(frozen=True)
class PeerUpdated:
    """A known peer's addresses, port or matched circles changed (the latter also when I
    change my own circles)."""

    peer_id: str
    addresses: tuple[str, ...]
    port: int
    matched_keys: frozenset[bytes] = field(repr=False)


@dataclass(frozen=True)
class PeerGone:
    """A peer said goodbye, or its records expired."""

    peer_id: str


DiscoveryEvent = PeerFound | PeerUpdated | PeerGone
