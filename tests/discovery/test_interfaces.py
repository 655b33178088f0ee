"""Interface selection: pure filtering on synthetic interfaces, sysfs parsing, one real call."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from network.errors import NetworkError
from network.interfaces import (
    ARPHRD_LOOPBACK,
    ARPHRD_NONE,
    InterfaceError,
    InterfaceInfo,
    check_addresses,
    default_interfaces,
    excluded_reason,
    host_interfaces,
    networks_for,
    parse_sysfs,
    read_sysfs,
    select_default,
    validate_interfaces,
)


def iface(name: str, address: str, prefixlen: int = 24, **kw: object) -> InterfaceInfo:
    flags: dict[str, object] = {
        "up": True,
        "loopback": False,
        "multicast": True,
        "point_to_point": False,
        "hardware_type": 1,
        "tun": False,
    }
    flags.update(kw)
    return InterfaceInfo(name, address, prefixlen, **flags)  # type: ignore[arg-type]


LAPTOP = [
    iface("lo", "127.0.0.1", 8, loopback=True, multicast=False, hardware_type=ARPHRD_LOOPBACK),
    iface("wlp2s0", "192.168.1.23"),
    iface("enp0s31f6", "10.20.0.5"),
    iface("enp0s31f6", "10.20.0.5"),  # same address twice (two ifaddr entries)
    iface("eth1", "172.20.0.2", up=False),
    iface("eth2", "172.21.0.2", multicast=False),
    iface("docker0", "172.17.0.1"),
    iface("br-3f2a1b", "172.18.0.1"),
    iface("veth12ab", "169.254.3.3", 16),
    iface("virbr0", "192.168.122.1"),
    iface("tun0", "10.8.0.6", hardware_type=ARPHRD_NONE, point_to_point=True, multicast=False),
    iface("wg0", "10.66.0.2", 32, hardware_type=ARPHRD_NONE),
    iface("tailscale0", "100.101.102.103", 32),
    iface("ztabcdef12", "10.147.17.5"),
    iface("utun3", "10.9.0.2"),
    iface("myvpn", "10.10.0.2", point_to_point=True),
    iface("vpn-office", "10.11.0.2"),
    iface("tapx", "10.12.0.2", tun=True),
    iface("ppp0", "10.13.0.2", hardware_type=512),
    iface("gre1", "10.14.0.2", hardware_type=778),
    iface("en5", "203.0.113.9"),
]


def test_defaults_are_up_multicast_lan_interfaces_only() -> None:
    assert select_default(LAPTOP) == ["192.168.1.23", "10.20.0.5", "203.0.113.9"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("lo", "loopback"),
        ("eth1", "down"),
        ("eth2", "no multicast"),
        ("docker0", "by name"),
        ("br-3f2a1b", "by name"),
        ("veth12ab", "link-local"),
        ("virbr0", "by name"),
        ("tun0", "no multicast"),
        ("wg0", "tunnel"),
        ("tailscale0", "by name"),
        ("ztabcdef12", "by name"),
        ("utun3", "by name"),
        ("myvpn", "point-to-point"),
        ("vpn-office", "by name"),
        ("tapx", "tun/tap"),
        ("ppp0", "tunnel"),
        ("gre1", "tunnel"),
    ],
)
def test_each_exclusion_says_why(name: str, reason: str) -> None:
    info = next(i for i in LAPTOP if i.name == name)
    excluded = excluded_reason(info)
    assert excluded is not None and reason in excluded


def test_without_flags_names_and_addresses_still_decide() -> None:
    # Non-Linux: ifaddr gives names, addresses and descriptions only.
    bare = [
        InterfaceInfo("lo0", "127.0.0.1", 8),
        InterfaceInfo("en0", "192.168.1.5", 24),
        InterfaceInfo("utun2", "10.0.0.2", 32),
        InterfaceInfo("bridge100", "192.168.2.1", 24),
        InterfaceInfo("{6B2A}", "192.168.56.1", 24, description="VirtualBox Host-Only Ethernet"),
        InterfaceInfo("{77AA}", "172.29.0.1", 20, description="vEthernet (WSL)"),
        InterfaceInfo("{9C1F}", "100.64.0.7", 32, description="Tailscale Tunnel"),
        InterfaceInfo("{1234}", "192.168.0.40", 24, description="Intel(R) Wi-Fi 6 AX201"),
    ]
    assert select_default(bare) == ["192.168.1.5", "192.168.0.40"]


def test_explicit_addresses_are_validated() -> None:
    assert check_addresses(["192.168.1.23", " 127.0.0.1", "192.168.1.23"], LAPTOP) == [
        "192.168.1.23",
        "127.0.0.1",
    ]
    # An explicit address is used whatever its kind: that is how tests bind to loopback.
    assert check_addresses(["172.17.0.1"], LAPTOP) == ["172.17.0.1"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("192.168.1.99", "not an address of this machine"),
        ("0.0.0.0", "not the address of one interface"),
        ("224.0.0.251", "not the address of one interface"),
        ("eth0", "not an IPv4 address"),
        ("::1", "not an IPv4 address"),
        ("192.168.1.23:80", "not an IPv4 address"),
        ("", "not an IPv4 address"),
        (4, "must be a string"),
    ],
)
def test_bad_explicit_addresses_are_refused(value: object, message: str) -> None:
    with pytest.raises(InterfaceError, match=message):
        check_addresses([value], LAPTOP)  # type: ignore[list-item]
    assert issubclass(InterfaceError, NetworkError)


def test_networks_of_the_chosen_addresses() -> None:
    assert networks_for(["192.168.1.23", "127.0.0.1"], LAPTOP) == [
        ipaddress.IPv4Network("127.0.0.0/8"),
        ipaddress.IPv4Network("192.168.1.0/24"),
    ]


def test_sysfs_flags() -> None:
    eth = parse_sysfs("0x1003\n", "up\n", "1\n", tun=False)
    assert eth.up and eth.multicast and not eth.loopback and not eth.point_to_point
    assert eth.hardware_type == 1
    lo = parse_sysfs("0x9", "unknown", "772", tun=False)
    assert lo.up and lo.loopback and not lo.multicast
    down = parse_sysfs("0x1002", "down", "1", tun=False)
    assert not down.up
    no_carrier = parse_sysfs("0x1003", "down", "1", tun=False)
    assert not no_carrier.up
    wg = parse_sysfs("0x91", "unknown", "65534", tun=False)
    assert wg.point_to_point and wg.hardware_type == ARPHRD_NONE


def test_read_sysfs_from_a_directory(tmp_path: Path) -> None:
    (tmp_path / "tap0").mkdir()
    for name, content in {
        "flags": "0x1003",
        "operstate": "up",
        "type": "1",
        "tun_flags": "0x1002",
    }.items():
        (tmp_path / "tap0" / name).write_text(content + "\n")
    flags = read_sysfs("tap0", tmp_path)
    assert flags is not None and flags.tun and flags.up
    assert read_sysfs("missing", tmp_path) is None
    assert read_sysfs("../etc", tmp_path) is None
    (tmp_path / "odd").mkdir()
    (tmp_path / "odd" / "flags").write_text("garbage")
    (tmp_path / "odd" / "operstate").write_text("up")
    assert read_sysfs("odd", tmp_path) is None


def test_real_host() -> None:
    infos = host_interfaces()
    loopback = [i for i in infos if i.address == "127.0.0.1"]
    assert loopback, "this host has no 127.0.0.1"
    assert excluded_reason(loopback[0]) == "loopback"
    defaults = default_interfaces()
    assert "127.0.0.1" not in defaults
    assert set(defaults) <= {i.address for i in infos}
    assert validate_interfaces(["127.0.0.1"]) == ["127.0.0.1"]
    with pytest.raises(InterfaceError):
        validate_interfaces(["198.51.100.254"])
