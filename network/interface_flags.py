"""What the operating system says about a network interface: up, loopback, multicast, a tunnel.

Without ``/sys/class/net``, which only Linux has:

- POSIX (Linux, macOS, the BSDs): the ``SIOCGIFFLAGS`` ioctl on a UDP socket, by interface name.
- Windows: ``GetAdaptersAddresses`` (iphlpapi), by adapter index: ``OperStatus``, ``IfType``
  and the ``IP_ADAPTER_NO_MULTICAST`` flag. Adapter names there are GUIDs, so a name says
  nothing; these fields do.

Each reader returns None when it cannot tell (then only names and addresses decide).
"""

from __future__ import annotations

import contextlib
import ctypes
import socket
import struct
import sys
from dataclasses import dataclass

IFF_UP = 0x1
IFF_LOOPBACK = 0x8
IFF_POINTOPOINT = 0x10
IFF_RUNNING = 0x40
#: IFF_MULTICAST differs: Linux 0x1000, BSD and macOS 0x8000.
IFF_MULTICAST = 0x1000 if sys.platform.startswith("linux") else 0x8000
#: SIOCGIFFLAGS: Linux's number, and BSD/macOS's _IOWR('i', 17, struct ifreq).
SIOCGIFFLAGS = 0x8913 if sys.platform.startswith("linux") else 0xC0206911
_IFREQ = struct.Struct("16sH22x")  # ifr_name, ifr_flags, the rest of the 40-byte union

# Windows (ipifcons.h, iptypes.h).
IF_TYPE_PPP = 23
IF_TYPE_SOFTWARE_LOOPBACK = 24
IF_TYPE_TUNNEL = 131
IF_OPER_STATUS_UP = 1
IP_ADAPTER_NO_MULTICAST = 0x10


@dataclass(frozen=True)
class InterfaceFlags:
    """The flags one platform reader found (None: that reader does not know)."""

    up: bool
    loopback: bool
    multicast: bool
    point_to_point: bool
    tun: bool | None = None
    hardware_type: int | None = None


def from_ifflags(value: int) -> InterfaceFlags:
    """Interpret POSIX ``ifr_flags`` (up: administratively up *and* with a link)."""
    return InterfaceFlags(
        up=bool(value & IFF_UP) and bool(value & IFF_RUNNING),
        loopback=bool(value & IFF_LOOPBACK),
        multicast=bool(value & IFF_MULTICAST),
        point_to_point=bool(value & IFF_POINTOPOINT),
    )


def posix_flags(name: str) -> InterfaceFlags | None:
    """Flags of interface ``name`` from ``SIOCGIFFLAGS`` (None off POSIX or on any error)."""
    if sys.platform == "win32" or not name or len(name.encode()) >= 16:
        return None
    try:
        import fcntl
    except ImportError:
        return None
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            answer = fcntl.ioctl(sock.fileno(), SIOCGIFFLAGS, _IFREQ.pack(name.encode(), 0))
    except OSError:
        return None
    return from_ifflags(_IFREQ.unpack(answer[: _IFREQ.size])[1])


class IpAdapterAddresses(ctypes.Structure):
    """The head of Windows' IP_ADAPTER_ADDRESSES_LH, up to OperStatus (fixed-size types only,
    so that the layout is Windows' on any host; tests check the offsets)."""


IpAdapterAddresses._fields_ = [
    ("Length", ctypes.c_uint32),
    ("IfIndex", ctypes.c_uint32),
    ("Next", ctypes.POINTER(IpAdapterAddresses)),
    ("AdapterName", ctypes.c_char_p),
    ("FirstUnicastAddress", ctypes.c_void_p),
    ("FirstAnycastAddress", ctypes.c_void_p),
    ("FirstMulticastAddress", ctypes.c_void_p),
    ("FirstDnsServerAddress", ctypes.c_void_p),
    ("DnsSuffix", ctypes.c_wchar_p),
    ("Description", ctypes.c_wchar_p),
    ("FriendlyName", ctypes.c_wchar_p),
    ("PhysicalAddress", ctypes.c_uint8 * 8),
    ("PhysicalAddressLength", ctypes.c_uint32),
    ("Flags", ctypes.c_uint32),
    ("Mtu", ctypes.c_uint32),
    ("IfType", ctypes.c_uint32),
    ("OperStatus", ctypes.c_uint32),
]


def from_adapter(if_type: int, oper_status: int, flags: int) -> InterfaceFlags:
    """Interpret one Windows adapter's fields."""
    return InterfaceFlags(
        up=oper_status == IF_OPER_STATUS_UP,
        loopback=if_type == IF_TYPE_SOFTWARE_LOOPBACK,
        multicast=not flags & IP_ADAPTER_NO_MULTICAST,
        point_to_point=if_type == IF_TYPE_PPP,
        tun=if_type == IF_TYPE_TUNNEL,
    )


def windows_flags() -> dict[int, InterfaceFlags]:
    """Flags of every Windows adapter by interface index (empty elsewhere or on error)."""
    if sys.platform != "win32":
        return {}
    out: dict[int, InterfaceFlags] = {}
    with contextlib.suppress(OSError, AttributeError, ValueError):
        iphlpapi = ctypes.WinDLL("Iphlpapi")  # type: ignore[attr-defined,unused-ignore]
        size = ctypes.c_uint32(16 * 1024)
        for _ in range(4):  # the table may grow between the size query and the call
            buffer = ctypes.create_string_buffer(size.value)
            result = iphlpapi.GetAdaptersAddresses(
                socket.AF_INET, 0, None, ctypes.byref(buffer), ctypes.byref(size)
            )
            if result != 111:  # ERROR_BUFFER_OVERFLOW
                break
        if result != 0:
            return {}
        entry = ctypes.cast(buffer, ctypes.POINTER(IpAdapterAddresses))
        while entry:
            adapter = entry.contents
            out[adapter.IfIndex] = from_adapter(adapter.IfType, adapter.OperStatus, adapter.Flags)
            entry = adapter.Next
    return out
