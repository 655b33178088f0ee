"""Issue 16 item 6: a host on two networks keeps them apart, and listens only where it
discovers.

- mDNS: on each network the two-network host announces (and answers with) only its address
  on that network, and nothing learnt on one network (its own other address, the peers seen
  there) is ever sent on the other.
- TCP: a real headless peer started without ``--interface`` listens only on the interfaces
  discovery chose, not on a VPN-like address (``wg0``) that discovery skips.
"""

from __future__ import annotations

import hashlib
import json
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests import netlab
from tests.discovery.procs import CAPTURE_SCRIPT, PEER_SCRIPT, PeerProcess

pytestmark = [pytest.mark.netns, pytest.mark.timeout(90)]

K1 = hashlib.blake2b(b"circle one", digest_size=32).digest()


def start_peer(host: netlab.Host, addresses: list[str], name: str) -> PeerProcess:
    args = [str(PEER_SCRIPT), "--port", "7000", "--lifetime", "20", "--key", K1.hex()]
    for address in addresses:
        args += ["--address", address]
    return PeerProcess(host.python(args, stdin=-1, stdout=-1), name)


@contextmanager
def capture(host: netlab.Host, address: str) -> Iterator[PeerProcess]:
    proc = host.python(
        [str(CAPTURE_SCRIPT), "--address", address, "--seconds", "20"], stdin=-1, stdout=-1
    )
    observer = PeerProcess(proc, f"observer@{address}")
    observer.wait_for(lambda e: e["event"] == "listening")
    yield observer
    observer.send("stop")
    observer.wait_for(lambda e: e["event"] == "done")


def packets(observer: PeerProcess) -> list[bytes]:
    return [bytes.fromhex(e["data"]) for e in observer.events if e["event"] == "packet"]


def test_a_two_network_host_answers_each_network_with_its_own_address(
    lab: netlab.Netlab,
) -> None:
    net_a, net_b = lab.segment(), lab.segment()
    both, left, right = lab.host(net_a, net_b), lab.host(net_a), lab.host(net_b)
    a_addr, b_addr = both.address(net_a.index), both.address(net_b.index)
    left_addr, right_addr = left.address(net_a.index), right.address(net_b.index)
    with capture(left, left_addr) as on_a, capture(right, right_addr) as on_b:
        multi = start_peer(both, [a_addr, b_addr], "two-networks")
        lpeer, rpeer = (
            start_peer(left, [left_addr], "left"),
            start_peer(right, [right_addr], "right"),
        )
        multi_id, left_id, right_id = multi.ready(), lpeer.ready(), rpeer.ready()
        assert lpeer.found(multi_id)["addresses"] == [a_addr]
        assert rpeer.found(multi_id)["addresses"] == [b_addr]
        assert multi.found(left_id)["addresses"] == [left_addr]
        assert multi.found(right_id)["addresses"] == [right_addr]
        for peer in (lpeer, rpeer, multi):  # goodbyes go out too
            peer.quit()
    seen_a, seen_b = packets(on_a), packets(on_b)
    assert seen_a and seen_b, "an observer recorded nothing"
    for data in seen_a:
        assert socket.inet_aton(b_addr) not in data, "network B's address was sent on network A"
        assert socket.inet_aton(right_addr) not in data, "a peer of network B was named on A"
    for data in seen_b:
        assert socket.inet_aton(a_addr) not in data, "network A's address was sent on network B"
        assert socket.inet_aton(left_addr) not in data, "a peer of network A was named on B"


LISTEN_PROBE = """
import json, socket, sys
port = int(sys.argv[1])
out = {}
for address in sys.argv[2:]:
    s = socket.socket()
    s.settimeout(5)
    try:
        s.connect((address, port))
        out[address] = "accepted"
    except OSError as exc:
        out[address] = type(exc).__name__
    finally:
        s.close()
print(json.dumps(out))
"""


def test_the_listener_binds_only_the_chosen_interfaces(lab: netlab.Netlab) -> None:
    (host,) = lab.lan(1)
    for args in (
        ["link", "add", "wg0", "type", "veth", "peer", "name", "wg0peer"],
        ["addr", "add", "10.77.0.1/24", "dev", "wg0"],
        ["link", "set", "wg0peer", "up"],
        ["link", "set", "wg0", "up"],
    ):
        assert host.run(["ip", *args]).returncode == 0
    proc = host.popen(
        [sys.executable, "-m", "ui", "--headless", "--json", "--ephemeral"],
        stdin=-1,
        stdout=-1,
        stderr=-1,
    )
    peer = PeerProcess(proc, "headless")
    ready = peer.wait_for(lambda e: e["event"] == "ready", 30)
    listen = str(ready["listen"])
    assert "10.77.0.1" not in listen and host.address() in listen, listen
    port = listen.rsplit(":", 1)[1]
    probe = host.run([sys.executable, "-c", LISTEN_PROBE, port, host.address(), "10.77.0.1"])
    result = json.loads(probe.stdout)
    assert result[host.address()] == "accepted"
    assert result["10.77.0.1"] == "ConnectionRefusedError", result
    peer.send("/quit")
    peer.wait_for(lambda e: e["event"] == "bye", 20)
