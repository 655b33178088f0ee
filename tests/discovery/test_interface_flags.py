"""Interface flags without /sys/class/net: POSIX ioctl flags, Windows adapter fields, and what
selection makes of them (GUID names, down adapters, 169.254 link-local addresses)."""

from __future__ import annotations

import ctypes
import socket
import sys

import pytest

from network import interface_flags as flags
from network.interfaces import InterfaceInfo, excluded_reason, select_default
from tests.posix import posix_only

GUID = "{4D36E972-E325-11CE-BFC1-08002BE10318}"


def windows(address: str, description: str, **kw: int) -> InterfaceInfo:
    """An address of a Windows adapter: a GUID for a name, flags from GetAdaptersAddresses."""
    got = flags.from_adapter(
        int(kw.get("if_type", 71)),
        int(kw.get("oper", flags.IF_OPER_STATUS_UP)),
        int(kw.get("flags", 0)),
    )
    return InterfaceInfo(GUID, address, 24, description, got.up, got.loopback, got.multicast,
                         got.point_to_point, None, got.tun)  # fmt: skip


def test_windows_adapters_are_judged_by_their_state_type_and_description() -> None:
    wifi = windows("192.168.1.20", "Intel(R) Wi-Fi 6 AX201 160MHz")
    unplugged = windows("10.0.0.7", "Realtek PCIe GbE Family Controller", oper=2)  # down
    no_dhcp = windows("169.254.33.7", "Realtek USB GbE Family Controller")
    hyper_v = windows("172.29.160.1", "Hyper-V Virtual Ethernet Adapter")
    tunnel = windows("10.5.0.2", "Some VPN", if_type=flags.IF_TYPE_TUNNEL)
    no_multicast = windows("10.6.0.2", "Odd adapter", flags=flags.IP_ADAPTER_NO_MULTICAST)
    loop = windows("127.0.0.1", "Software Loopback Interface 1", if_type=24)
    assert select_default([wifi, unplugged, no_dhcp, hyper_v, tunnel, no_multicast, loop]) == [
        "192.168.1.20"
    ]
    assert excluded_reason(unplugged) == "down"
    assert excluded_reason(no_dhcp) is not None and "link-local" in excluded_reason(no_dhcp)  # type: ignore[operator]
    assert excluded_reason(tunnel) == "tun/tap device"
    assert excluded_reason(no_multicast) == "no multicast"


def test_a_link_local_address_is_never_a_default_even_without_flags() -> None:
    bare = InterfaceInfo("en7", "169.254.1.2", 16)
    assert "link-local" in (excluded_reason(bare) or "")
    assert select_default([bare, InterfaceInfo("en0", "192.168.5.5", 24)]) == ["192.168.5.5"]


def test_posix_flag_bits() -> None:
    up_lan = flags.from_ifflags(flags.IFF_UP | flags.IFF_RUNNING | flags.IFF_MULTICAST)
    assert up_lan.up and up_lan.multicast and not up_lan.loopback
    no_link = flags.from_ifflags(flags.IFF_UP | flags.IFF_MULTICAST)  # cable out
    assert not no_link.up
    assert flags.from_ifflags(
        flags.IFF_UP | flags.IFF_RUNNING | flags.IFF_POINTOPOINT
    ).point_to_point


@posix_only
def test_the_loopback_interface_read_with_the_ioctl() -> None:
    name = socket.if_indextoname(1) if hasattr(socket, "if_indextoname") else "lo"
    found = flags.posix_flags(name)
    assert found is not None and found.loopback and found.up
    assert flags.posix_flags("no-such-if0") is None
    assert flags.posix_flags("x" * 40) is None  # longer than IFNAMSIZ: refused, not truncated


@pytest.mark.skipif(ctypes.sizeof(ctypes.c_void_p) != 8, reason="offsets are for 64-bit Windows")
def test_the_windows_structure_has_windows_offsets() -> None:
    """IP_ADAPTER_ADDRESSES_LH on x64 (iptypes.h): the fields read sit where Windows puts them."""
    s = flags.IpAdapterAddresses
    assert (s.IfIndex.offset, s.Next.offset, s.FriendlyName.offset) == (4, 8, 72)
    assert (s.PhysicalAddress.offset, s.Flags.offset, s.IfType.offset) == (80, 92, 100)
    assert s.OperStatus.offset == 104


def test_windows_flags_are_empty_off_windows() -> None:
    if sys.platform != "win32":
        assert flags.windows_flags() == {}
