"""Two members on different bridges, no route between them, only the rendezvous host reachable
from both: they find each other through the server and talk through its relay.

Topology (``ip netns``, built by the ``lab`` fixture)::

    member A (198.18.0.2) --- bridge 0 --- rendezvous host --- bridge 1 --- member B (198.18.1.3)
                                          198.18.0.1, 198.18.1.1; serves 198.19.0.1 (on lo)

The rendezvous host does not forward packets. Both members reach the server at the one address
198.19.0.1 (a route via the rendezvous host on each side), as they would with an address from
an invite link.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from network.rendezvous import parse_address
from tests import netlab
from tests.discovery.procs import PeerProcess

pytestmark = [pytest.mark.netns, pytest.mark.timeout(90)]

NODE_PEER = Path(__file__).with_name("node_peer.py")
SERVICE = "198.19.0.1"


def _ip(host: netlab.Host, *args: str) -> None:
    result = host.run(["ip", *args])
    assert result.returncode == 0, result.stderr


def build(lab: netlab.Netlab) -> tuple[netlab.Host, netlab.Host, netlab.Host]:
    left, right = lab.segment(), lab.segment()
    middle = lab.host(left, right)  # 198.18.0.1 and 198.18.1.1
    a = lab.host(left)  # 198.18.0.2
    b = lab.host(right)  # 198.18.1.3
    middle.run(["sysctl", "-qw", "net.ipv4.ip_forward=0"])
    _ip(middle, "addr", "add", f"{SERVICE}/32", "dev", "lo")
    _ip(a, "route", "add", f"{SERVICE}/32", "via", middle.address(0))
    _ip(b, "route", "add", f"{SERVICE}/32", "via", middle.address(1))
    return middle, a, b


_LISTEN = (
    "import socket, sys, time\n"
    "s = socket.create_server((sys.argv[1], 7701))\n"
    "print('listening', flush=True)\n"
    "time.sleep(30)\n"
)
_PROBE = (
    "import socket, sys\n"
    "try:\n"
    "    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2).close()\n"
    "    print('reached')\n"
    "except OSError as exc:\n"
    "    print(type(exc).__name__)\n"
)


def reaches(host: netlab.Host, address: str, port: int) -> bool:
    result = host.run([sys.executable, "-c", _PROBE, address, str(port)])
    return result.stdout.strip() == "reached"


def start_server(host: netlab.Host, *args: str) -> tuple[str, subprocess.Popen[bytes]]:
    """``hearth-rendezvous`` on the rendezvous host; returns its address and the process (its
    stderr piped: the logs)."""
    script = Path(sys.executable).parent / "hearth-rendezvous"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "network.rendezvous.cli"]
    proc = host.popen(
        [*command, "--listen", f"{SERVICE}:7700", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdout is not None
    event = json.loads(proc.stdout.readline())
    assert event["event"] == "listening"
    return str(event["address"]), proc


def server_logs(proc: subprocess.Popen[bytes]) -> str:
    """Stop the server (SIGTERM: a clean exit) and return what it logged."""
    proc.terminate()
    _, err = proc.communicate(timeout=15)
    assert proc.returncode == 0
    return err.decode()


def start_member(
    host: netlab.Host, name: str, address: str, secret: bytes, tag_key: bytes
) -> PeerProcess:
    args = [
        str(NODE_PEER), "--interface", host.addresses[0], "--name", name,
        "--secret", secret.hex(), "--tag-key", tag_key.hex(), "--rendezvous", address,
    ]  # fmt: skip
    return PeerProcess(host.python(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE), name)


def test_members_on_separate_networks_talk_through_the_relay(lab: netlab.Netlab) -> None:
    middle, a, b = build(lab)
    address, server = start_server(middle, "--debug")
    assert parse_address(address).host == SERVICE
    # the server's address answers from both sides; the members cannot reach each other
    assert reaches(a, SERVICE, 7700) and reaches(b, SERVICE, 7700)
    listener = b.python(["-c", _LISTEN, b.address(1)], stdout=subprocess.PIPE)
    assert listener.stdout is not None and listener.stdout.readline().strip() == b"listening"
    assert not reaches(a, b.address(1), 7701)
    assert reaches(b, b.address(1), 7701)  # the probe itself works
    listener.kill()
    secret, tag_key = os.urandom(32), os.urandom(32)
    alice = start_member(a, "Alice", address, secret, tag_key)
    bob = start_member(b, "Bob", address, secret, tag_key)
    try:
        alice.wait_for(lambda e: e["event"] == "ready", 20)
        bob.wait_for(lambda e: e["event"] == "ready", 20)
        seen_by_alice = alice.wait_for(lambda e: e["event"] == "connected", 30)
        seen_by_bob = bob.wait_for(lambda e: e["event"] == "connected", 30)
        assert seen_by_alice["identity"] == "Bob" and seen_by_bob["identity"] == "Alice"
        alice.send("send hello from the left network")
        bob.wait_for(lambda e: e == {"event": "message", "text": "hello from the left network"}, 15)
        bob.send("send and hello from the right")
        alice.wait_for(lambda e: e == {"event": "message", "text": "and hello from the right"}, 15)
        # one of them dialed, through the relay (a direct dial cannot work here)
        assert seen_by_alice["relayed"] + seen_by_bob["relayed"] >= 1
        alice.quit(15)
        bob.wait_for(lambda e: e["event"] == "lost", 30)
        bob.quit(15)
        logs = server_logs(server)
        assert "relay ended" in logs
        assert a.address(0) not in logs and b.address(1) not in logs  # no client addresses
    finally:
        alice.kill()
        bob.kill()
