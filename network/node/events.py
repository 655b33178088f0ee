"""What the node tells its owner. ``peer`` identifies a member link: (circle tag, remote static)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PeerKey:
    """One member in one circle, as the node sees it: the circle tag and their Noise static key."""

    circle: bytes
    remote_static: bytes = field(repr=False)


@dataclass(frozen=True)
class PeerConnected:
    """A verified secure link to a member is up. ``identity`` is what the circle's verifier
    returned. Emitted again (without a PeerLost) when the link is replaced by a better one:
    the owner re-syncs on every PeerConnected."""

    peer: PeerKey
    identity: object = field(repr=False)


@dataclass(frozen=True)
class PeerMessage:
    peer: PeerKey
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class PeerLost:
    peer: PeerKey
    identity: object = field(repr=False)
    reason: str


NodeEvent = PeerConnected | PeerMessage | PeerLost
