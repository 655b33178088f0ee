"""The table of peers seen on the LAN: sans-IO, resolved records in, discovery events out.

The asyncio adapter feeds it what zeroconf resolved (:meth:`PeerTable.seen`), what went away
(:meth:`PeerTable.gone`) and my circle keys (:meth:`PeerTable.set_keys`); the table validates
everything, decides which circles each peer shares with me, and says what changed.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from .events import PeerFound, PeerGone, PeerUpdated
from .hints import Announcement, check_keys, match, read_txt
from .labels import is_label

log = logging.getLogger(__name__)

MAX_PEERS = 512
"""A LAN full of fake announcements cannot grow the table past this; newcomers are ignored."""
MAX_ADDRESSES = 16


@dataclass(frozen=True)
class _Peer:
    addresses: tuple[str, ...]
    port: int
    announcement: Announcement
    matched: frozenset[bytes]


class PeerTable:
    """Known peers, and which of my circle keys each one announces."""

    def __init__(
        self,
        keys: Sequence[bytes] = (),
        networks: Sequence[ipaddress.IPv4Network] = (),
    ) -> None:
        """``networks``: when given, only peer addresses inside them are kept (on-link)."""
        self._keys = check_keys(keys)
        self._networks = tuple(networks)
        self._peers: dict[str, _Peer] = {}

    @property
    def keys(self) -> list[bytes]:
        return list(self._keys)

    def __contains__(self, peer_id: object) -> bool:
        return peer_id in self._peers

    def __len__(self) -> int:
        return len(self._peers)

    def peer_ids(self) -> list[str]:
        return list(self._peers)

    def set_keys(self, keys: Sequence[bytes]) -> list[PeerUpdated]:
        """Replace my circle keys; a peer whose matched circles change gets a PeerUpdated."""
        self._keys = check_keys(keys)
        events: list[PeerUpdated] = []
        for peer_id, peer in self._peers.items():
            matched = self._match(peer.announcement)
            if matched != peer.matched:
                self._peers[peer_id] = _Peer(peer.addresses, peer.port, peer.announcement, matched)
                events.append(PeerUpdated(peer_id, peer.addresses, peer.port, matched))
        return events

    def seen(
        self, peer_id: str, addresses: Sequence[str], port: int | None, text: bytes | None
    ) -> PeerFound | PeerUpdated | None:
        """A peer's records as resolved; the event to deliver, or None (nothing new, or invalid).

        Invalid records are ignored with a debug log: a bad label, port, address list or TXT.
        An invalid update to a known peer leaves what we knew of it unchanged.
        """
        if not is_label(peer_id):
            log.debug("ignoring a service with a label that is not a Hearth label")
            return None
        if port is None or not 1 <= port <= 65535:
            log.debug("ignoring peer %s: bad port", peer_id)
            return None
        usable = self._usable_addresses(addresses)
        if not usable:
            log.debug("ignoring peer %s: no usable address", peer_id)
            return None
        announcement = None if text is None else read_txt(text)
        if announcement is None:
            log.debug("ignoring peer %s: no valid announcement", peer_id)
            return None
        old = self._peers.get(peer_id)
        if old is None and len(self._peers) >= MAX_PEERS:
            log.debug("ignoring peer %s: already tracking %d peers", peer_id, MAX_PEERS)
            return None
        peer = _Peer(usable, port, announcement, self._match(announcement))
        self._peers[peer_id] = peer
        if old is None:
            return PeerFound(peer_id, peer.addresses, peer.port, peer.matched)
        if (old.addresses, old.port, old.matched) != (peer.addresses, peer.port, peer.matched):
            return PeerUpdated(peer_id, peer.addresses, peer.port, peer.matched)
        return None

    def gone(self, peer_id: str) -> PeerGone | None:
        """The peer said goodbye or expired; PeerGone if we had reported it."""
        if self._peers.pop(peer_id, None) is None:
            return None
        return PeerGone(peer_id)

    def clear(self) -> None:
        self._peers.clear()

    def _match(self, announcement: Announcement) -> frozenset[bytes]:
        return frozenset(self._keys[i] for i in match(announcement, self._keys))

    def _usable_addresses(self, addresses: Sequence[str]) -> tuple[str, ...]:
        usable: list[str] = []
        for text in list(addresses)[:MAX_ADDRESSES]:
            try:
                address = ipaddress.IPv4Address(text)
            except ValueError:
                continue
            if (
                address.is_unspecified
                or address.is_multicast
                or address == ipaddress.IPv4Address("255.255.255.255")
            ):
                continue
            if self._networks and not any(address in net for net in self._networks):
                continue
            if str(address) not in usable:
                usable.append(str(address))
        return tuple(sorted(usable, key=lambda a: ipaddress.IPv4Address(a)))
