"""LAN discovery that reveals nothing about who you are (mDNS, ``_hearth._tcp.local.``).

Use :class:`Discovery`: ``start(interfaces, port)``, ``set_circles(keys)``, ``close()``, and
the events :class:`PeerFound`, :class:`PeerUpdated`, :class:`PeerGone`. The hint scheme itself
is the sans-IO module :mod:`network.discovery.hints`.
"""

from .errors import (
    DiscoveryError,
    DiscoveryStartError,
    DiscoveryStateError,
    InvalidCircleKey,
    MalformedAnnouncement,
    UnsupportedVersion,
)
from .events import DiscoveryEvent, PeerFound, PeerGone, PeerUpdated
from .hints import HINT_SLOTS
from .labels import SERVICE_TYPE
from .service import Discovery, DiscoveryState

__all__ = [
    "HINT_SLOTS",
    "SERVICE_TYPE",
    "Discovery",
    "DiscoveryError",
    "DiscoveryEvent",
    "DiscoveryStartError",
    "DiscoveryState",
    "DiscoveryStateError",
    "InvalidCircleKey",
    "MalformedAnnouncement",
    "PeerFound",
    "PeerGone",
    "PeerUpdated",
    "UnsupportedVersion",
]
