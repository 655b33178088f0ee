"""Which local IPv4 interfaces discovery and listening use.

By default: interfaces that are up, not loopback, multicast-capable, and not a container bridge,
a virtual machine's network or a VPN tunnel (announcing there would tell a VPN provider, or
every container, that Hearth runs here, and peers are not there anyway). An explicit
``--interface ADDR`` must be an IPv4 address of this host, and is then used whatever its kind
(that is how tests bind to 127.0.0.1 or to a namespace's address).

A link-local address (169.254/16: the adapter got no answer from DHCP) is never a default.

The decisions are pure functions over :class:`InterfaceInfo` values; :func:`host_interfaces`
reads the real ones with ``ifaddr`` (every OS) and the flags from the OS
(:mod:`network.interface_flags`: ``SIOCGIFFLAGS`` on POSIX, ``GetAdaptersAddresses`` on
Windows), plus, on Linux when present, ``/sys/class/net``'s hardware type and tun flag.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import ifaddr

from . import interface_flags
from .errors import NetworkError

log = logging.getLogger(__name__)

SYSFS_NET = Path("/sys/class/net")

# Linux interface flags (include/uapi/linux/if.h) and hardware types (if_arp.h).
IFF_UP = 0x1
IFF_LOOPBACK = 0x8
IFF_POINTOPOINT = 0x10
IFF_MULTICAST = 0x1000
ARPHRD_PPP = 512
ARPHRD_TUNNEL_TYPES = frozenset({768, 769, 776, 778, 823})  # ipip, ip6ip6, sit, gre, ip6gre
ARPHRD_LOOPBACK = 772
ARPHRD_NONE = 65534  # tun, WireGuard

EXCLUDED_NAME_PREFIXES = (
    "docker", "br-", "veth", "virbr", "vnet", "vboxnet", "vmnet", "lxcbr", "lxdbr", "incusbr",
    "podman", "cni", "flannel", "cali", "cilium", "kube", "weave", "tun", "tap", "wg", "tailscale",
    "zt", "utun", "ppp", "ipsec", "gif", "stf", "awdl", "llw", "anpi", "bridge", "nordlynx",
    "proton", "mullvad", "gpd", "vpn", "dummy", "sit", "gre", "ip6tnl",
)  # fmt: skip
"""Interface names (Linux, BSD, macOS) of containers, VMs and VPNs."""

EXCLUDED_DESCRIPTION_WORDS = (
    "virtualbox", "vmware", "hyper-v", "vethernet", "tailscale", "wireguard", "zerotier",
    "openvpn", "tap-windows", "wintun", "vpn", "docker", "wsl", "loopback", "pseudo-interface",
)  # fmt: skip
"""Words in an adapter's description (Windows' friendly names) that mark it as virtual."""


class InterfaceError(NetworkError):
    """An interface address is unusable: not an IPv4 address, or not one of this host's."""


@dataclass(frozen=True)
class InterfaceInfo:
    """One IPv4 address of one network interface, with what is known about the interface.

    Flags are None when the platform does not tell (then only names and addresses decide).
    """

    name: str
    address: str
    prefixlen: int
    description: str = ""
    up: bool | None = None
    loopback: bool | None = None
    multicast: bool | None = None
    point_to_point: bool | None = None
    hardware_type: int | None = None
    tun: bool | None = None

    @property
    def network(self) -> ipaddress.IPv4Network:
        return ipaddress.IPv4Network(f"{self.address}/{self.prefixlen}", strict=False)


@dataclass(frozen=True)
class SysfsFlags:
    """What ``/sys/class/net/<name>`` says about an interface (Linux)."""

    up: bool
    loopback: bool
    multicast: bool
    point_to_point: bool
    hardware_type: int | None
    tun: bool


def excluded_reason(info: InterfaceInfo) -> str | None:
    """Why this interface is not a default discovery interface, or None when it is one."""
    try:
        address = ipaddress.IPv4Address(info.address)
    except ValueError:
        return "not an IPv4 address"
    if info.loopback or address.is_loopback or info.hardware_type == ARPHRD_LOOPBACK:
        return "loopback"
    if address.is_unspecified or address.is_multicast:
        return "not a unicast address"
    if address.is_link_local:
        return "link-local address (no DHCP answer on that network)"
    if info.up is False:
        return "down"
    if info.multicast is False:
        return "no multicast"
    if info.point_to_point:
        return "point-to-point link (VPN-like)"
    if info.tun:
        return "tun/tap device"
    if info.hardware_type is not None and (
        info.hardware_type in (ARPHRD_NONE, ARPHRD_PPP) or info.hardware_type in ARPHRD_TUNNEL_TYPES
    ):
        return "tunnel device"
    name = info.name.lower()
    if any(name.startswith(prefix) for prefix in EXCLUDED_NAME_PREFIXES):
        return "container, VM or VPN interface (by name)"
    description = info.description.lower()
    if any(word in description for word in EXCLUDED_DESCRIPTION_WORDS):
        return "container, VM or VPN interface (by description)"
    return None


def select_default(infos: Iterable[InterfaceInfo]) -> list[str]:
    """The default discovery addresses among these interfaces, in order, without duplicates."""
    chosen: list[str] = []
    for info in infos:
        reason = excluded_reason(info)
        if reason is not None:
            log.debug("interface %s not used by default: %s", info.name, reason)
        elif info.address not in chosen:
            chosen.append(info.address)
    return chosen


def check_addresses(requested: Sequence[str], infos: Iterable[InterfaceInfo]) -> list[str]:
    """Validate explicitly requested addresses: IPv4 literals that this host has.

    Returns them normalised and without duplicates; raises :class:`InterfaceError` otherwise.
    """
    known = {info.address for info in infos}
    checked: list[str] = []
    for text in requested:
        if not isinstance(text, str):
            raise InterfaceError(f"interface address must be a string, not {type(text).__name__}")
        try:
            address = ipaddress.IPv4Address(text.strip())
        except ValueError:
            raise InterfaceError(f"{text!r} is not an IPv4 address") from None
        if address.is_unspecified or address.is_multicast:
            raise InterfaceError(f"{address} is not the address of one interface")
        if str(address) not in known:
            raise InterfaceError(f"{address} is not an address of this machine")
        if str(address) not in checked:
            checked.append(str(address))
    return checked


def networks_for(
    addresses: Iterable[str], infos: Iterable[InterfaceInfo]
) -> list[ipaddress.IPv4Network]:
    """The on-link networks of these local addresses (for filtering peers' addresses)."""
    wanted = set(addresses)
    networks: list[ipaddress.IPv4Network] = []
    for info in infos:
        if info.address in wanted and info.network not in networks:
            networks.append(info.network)
    return networks


def parse_sysfs(flags: str, operstate: str, hw_type: str | None, tun: bool) -> SysfsFlags:
    """Interpret the contents of ``flags``, ``operstate`` and ``type`` under /sys/class/net."""
    value = int(flags.strip(), 16)
    state = operstate.strip()
    try:
        hardware_type: int | None = int(hw_type.strip()) if hw_type is not None else None
    except ValueError:
        hardware_type = None
    return SysfsFlags(
        up=bool(value & IFF_UP) and state in ("up", "unknown"),
        loopback=bool(value & IFF_LOOPBACK),
        multicast=bool(value & IFF_MULTICAST),
        point_to_point=bool(value & IFF_POINTOPOINT),
        hardware_type=hardware_type,
        tun=tun,
    )


def read_sysfs(name: str, root: Path = SYSFS_NET) -> SysfsFlags | None:
    """Flags of one interface from sysfs, or None where there is no sysfs (not Linux)."""
    base = root / name
    if "/" in name or name in ("", ".", ".."):
        return None
    try:
        flags = (base / "flags").read_text()
        operstate = (base / "operstate").read_text()
    except OSError:
        return None
    try:
        hw_type: str | None = (base / "type").read_text()
    except OSError:
        hw_type = None
    try:
        return parse_sysfs(flags, operstate, hw_type, (base / "tun_flags").exists())
    except ValueError:
        return None


def host_interfaces(root: Path = SYSFS_NET) -> list[InterfaceInfo]:
    """This host's IPv4 interface addresses, with flags where the platform tells them."""
    infos: list[InterfaceInfo] = []
    by_index = interface_flags.windows_flags()
    for adapter in ifaddr.get_adapters():
        sysfs = read_sysfs(adapter.name, root)
        flags = by_index.get(adapter.index) if adapter.index is not None else None
        if flags is None:
            flags = interface_flags.posix_flags(adapter.name)
        for ip in adapter.ips:
            if not isinstance(ip.ip, str):
                continue  # IPv6: a tuple
            infos.append(_info(adapter, ip, sysfs, flags))
    return infos


def _info(
    adapter: ifaddr.Adapter,
    ip: ifaddr.IP,
    sysfs: SysfsFlags | None,
    flags: interface_flags.InterfaceFlags | None,
) -> InterfaceInfo:
    """One address's InterfaceInfo: sysfs where it exists (Linux), else the OS's flags."""
    known: SysfsFlags | interface_flags.InterfaceFlags | None = sysfs or flags
    return InterfaceInfo(
        name=adapter.name,
        address=str(ip.ip),
        prefixlen=ip.network_prefix,
        description=adapter.nice_name if adapter.nice_name != adapter.name else "",
        up=None if known is None else known.up,
        loopback=None if known is None else known.loopback,
        multicast=None if known is None else known.multicast,
        point_to_point=None if known is None else known.point_to_point,
        hardware_type=None if known is None else known.hardware_type,
        tun=None if known is None else known.tun,
    )


def default_interfaces() -> list[str]:
    """The addresses discovery binds to when the user names none (may be empty)."""
    return select_default(host_interfaces())


def validate_interfaces(requested: Sequence[str]) -> list[str]:
    """Check ``--interface`` values against this host's addresses (see :func:`check_addresses`)."""
    return check_addresses(requested, host_interfaces())
