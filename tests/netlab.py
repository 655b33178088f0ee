"""A real virtual LAN for multi-host tests: network namespaces on bridges, veth links.

Topology: each :class:`Segment` is a bridge living in its own "switch" namespace, with the subnet
198.18.<k>.0/24; each :class:`Host` is a namespace with ``lo`` up and one veth link per segment it
sits on (``eth0``, ``eth1``…), addressed 198.18.<k>.<i+1>. Nothing touches the machine's own
namespace: no route, no interface, no bridge there. Everything is torn down in ``close()``, which
the fixture calls in ``finally`` even when the test fails.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

SUBNET_PREFIX = "198.18"


class NetlabUnavailable(Exception):
    """Network namespaces cannot be made here (no CAP_NET_ADMIN, or no ``ip``)."""


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", *args], check=check, capture_output=True, text=True, timeout=20)


def can_build() -> str | None:
    """None when namespaces can be built here, else the reason they cannot."""
    if not sys.platform.startswith("linux"):
        return f"network namespaces are Linux only (this is {sys.platform})"
    if shutil.which("ip") is None:
        return "the 'ip' command (iproute2) is not installed"
    name = f"hlprobe{secrets.token_hex(3)}"
    try:
        made = _ip("netns", "add", name, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"cannot run ip netns: {exc}"
    if made.returncode != 0:
        why = made.stderr.strip() or "ip netns add failed"
        return f"no CAP_NET_ADMIN for network namespaces ({why})"
    _ip("netns", "del", name, check=False)
    return None


@dataclass
class Segment:
    """One broadcast domain: a bridge in its own namespace, subnet 198.18.<index>.0/24."""

    lab: Netlab
    index: int
    ns: str

    @property
    def subnet(self) -> str:
        return f"{SUBNET_PREFIX}.{self.index}.0/24"


@dataclass
class Host:
    lab: Netlab
    name: str
    ns: str
    number: int
    links: dict[int, str] = field(default_factory=dict)  # segment index -> interface name
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def address(self, segment: int = 0) -> str:
        if segment not in self.links:
            raise KeyError(f"{self.name} is not on segment {segment}")
        return f"{SUBNET_PREFIX}.{segment}.{self.number}"

    @property
    def addresses(self) -> list[str]:
        return [self.address(s) for s in sorted(self.links)]

    def cmd(self, args: Sequence[str]) -> list[str]:
        return ["ip", "netns", "exec", self.ns, *args]

    def run(
        self, args: Sequence[str], timeout: float = 30, **kw: object
    ) -> subprocess.CompletedProcess[str]:
        """Run a command to completion inside this host."""
        return subprocess.run(self.cmd(args), capture_output=True, text=True, timeout=timeout, **kw)  # type: ignore[call-overload,no-any-return]

    def popen(self, args: Sequence[str], **kw: object) -> subprocess.Popen[bytes]:
        """Start a long-running process inside this host; it is killed at teardown."""
        proc = subprocess.Popen(self.cmd(args), start_new_session=True, **kw)  # type: ignore[call-overload]
        self.processes.append(proc)
        return proc  # type: ignore[no-any-return]

    def python(self, code_or_args: Sequence[str], **kw: object) -> subprocess.Popen[bytes]:
        return self.popen([sys.executable, *code_or_args], **kw)

    def link_down(self, segment: int = 0) -> None:
        _ip("-n", self.ns, "link", "set", self.links[segment], "down")

    def link_up(self, segment: int = 0) -> None:
        _ip("-n", self.ns, "link", "set", self.links[segment], "up")
        # An interface brought back up loses its multicast route; put it back.
        _ip(
            "-n",
            self.ns,
            "route",
            "replace",
            "224.0.0.0/4",
            "dev",
            self.links[segment],
            check=False,
        )


class Netlab:
    """Builder and owner of the namespaces of one test."""

    def __init__(self) -> None:
        self.tag = secrets.token_hex(2)
        self.segments: list[Segment] = []
        self.hosts: list[Host] = []
        self._namespaces: list[str] = []

    def _netns(self, name: str) -> str:
        ns = f"hl{self.tag}{name}"
        _ip("netns", "add", ns)
        self._namespaces.append(ns)
        _ip("-n", ns, "link", "set", "lo", "up")
        return ns

    def segment(self) -> Segment:
        index = len(self.segments)
        ns = self._netns(f"sw{index}")
        _ip("-n", ns, "link", "add", "br0", "type", "bridge")
        # Let multicast (mDNS) flood like on a plain switch.
        _ip("-n", ns, "link", "set", "br0", "type", "bridge", "mcast_snooping", "0", check=False)
        _ip("-n", ns, "link", "set", "br0", "up")
        seg = Segment(self, index, ns)
        self.segments.append(seg)
        return seg

    def host(self, *segments: Segment) -> Host:
        number = len(self.hosts) + 1
        ns = self._netns(f"h{number}")
        host = Host(self, f"host{number}", ns, number)
        for k, seg in enumerate(segments):
            inner, outer = f"eth{k}", f"v{number}s{seg.index}"
            _ip(
                "link",
                "add",
                outer,
                "netns",
                seg.ns,
                "type",
                "veth",
                "peer",
                "name",
                inner,
                "netns",
                ns,
            )
            _ip("-n", seg.ns, "link", "set", outer, "master", "br0")
            _ip("-n", seg.ns, "link", "set", outer, "up")
            _ip("-n", ns, "addr", "add", f"{SUBNET_PREFIX}.{seg.index}.{number}/24", "dev", inner)
            _ip("-n", ns, "link", "set", inner, "up")
            _ip("-n", ns, "route", "add", "224.0.0.0/4", "dev", inner, check=False)
            host.links[seg.index] = inner
        self.hosts.append(host)
        return host

    def lan(self, n: int, *, pin_neighbours: bool = False) -> list[Host]:
        """N hosts on one new segment (``pin_neighbours`` for large ones: see below)."""
        seg = self.segment()
        hosts = [self.host(seg) for _ in range(n)]
        if pin_neighbours:
            self.pin_neighbours(hosts, seg.index)
        return hosts

    def pin_neighbours(self, hosts: Sequence[Host], segment: int = 0) -> None:
        """Permanent neighbour (ARP) entries between ``hosts`` on ``segment``.

        The kernel's neighbour table limit is shared by every namespace (gc_thresh3, 1,024 by
        default): a circle of 40 learns 40 x 39 entries and starts dropping them, which looks
        like packet loss. Permanent entries are not counted against it and never expire."""
        macs = {
            h.number: _ip("-n", h.ns, "-br", "link", "show", h.links[segment]).stdout.split()[2]
            for h in hosts
        }
        for h in hosts:
            for other in hosts:
                if other is h:
                    continue
                _ip(
                    "-n",
                    h.ns,
                    "neigh",
                    "replace",
                    other.address(segment),
                    "lladdr",
                    macs[other.number],
                    "dev",
                    h.links[segment],
                    "nud",
                    "permanent",
                )

    def close(self) -> None:
        for host in self.hosts:
            for proc in host.processes:
                if proc.poll() is None:
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.killpg(proc.pid, signal.SIGKILL)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=5)
        for ns in reversed(self._namespaces):
            _ip("netns", "pids", ns, check=False)
            pids = _ip("netns", "pids", ns, check=False).stdout.split()
            for pid in pids:
                with contextlib.suppress(ProcessLookupError, ValueError):
                    os.kill(int(pid), signal.SIGKILL)
            _ip("netns", "del", ns, check=False)
        self._namespaces.clear()
        time.sleep(0.05)

    def __enter__(self) -> Netlab:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def leftover_namespaces() -> list[str]:
    out = _ip("netns", "list", check=False).stdout
    return [line.split()[0] for line in out.splitlines() if line.startswith("hl")]


def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent
