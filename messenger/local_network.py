"""Is macOS's Local Network privacy setting keeping Hearth off the LAN?

From macOS 15 an app the person has not allowed under System Settings → Privacy & Security →
Local Network gets ``EHOSTUNREACH`` ("No route to host") for every packet to the local network,
multicast included, while everything looks up: discovery then silently finds nobody. One mDNS
query (the same kind discovery sends) on each bound interface tells: refused with
EHOSTUNREACH everywhere means the permission is off. Elsewhere nothing is sent and the answer is
"not denied".
"""

from __future__ import annotations

import errno
import socket
import struct
import sys
from collections.abc import Callable, Sequence

MDNS = ("224.0.0.251", 5353)
#: A standard mDNS question: PTR _hearth._tcp.local., QM (what discovery asks anyway).
QUERY = (
    struct.pack("!6H", 0, 0, 1, 0, 0, 0)
    + b"".join(bytes([len(p)]) + p for p in (b"_hearth", b"_tcp", b"local"))
    + b"\x00"
    + struct.pack("!2H", 12, 1)
)
DENIED_ERRNOS = frozenset({errno.EHOSTUNREACH})

Send = Callable[[str], None]


def send_query(address: str) -> None:
    """Send one mDNS query out of the interface with ``address`` (raises OSError)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(address))
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
        sock.sendto(QUERY, MDNS)


def local_network_denied(
    addresses: Sequence[str], *, platform: str = sys.platform, send: Send = send_query
) -> bool:
    """True when every interface refuses local traffic the way a denied permission does."""
    if platform != "darwin" or not addresses:
        return False
    for address in addresses:
        try:
            send(address)
        except OSError as exc:
            if exc.errno in DENIED_ERRNOS:
                continue
            return False  # another problem, not the permission
        return False
    return True
