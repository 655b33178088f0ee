"""The virtual LAN fixture itself: namespaces on a bridge reach each other, and vanish after."""

from __future__ import annotations

import sys
import time

from tests import netlab

SERVER = """
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 7000)); s.listen(1); s.settimeout(20)
print("listening", flush=True)
c, peer = s.accept(); data = c.recv(100); c.sendall(b"echo:" + data); c.close()
"""

CLIENT = """
import socket, sys, time
deadline = time.monotonic() + 10
while True:
    try:
        c = socket.create_connection((sys.argv[1], 7000), timeout=2); break
    except OSError:
        if time.monotonic() > deadline: raise
        time.sleep(0.1)
c.sendall(b"hello"); print(c.recv(100).decode(), flush=True)
"""


def test_two_namespaces_talk_over_tcp(lab: netlab.Netlab) -> None:
    a, b = lab.lan(2)
    assert a.address() == "198.18.0.1" and b.address() == "198.18.0.2"
    server = a.python(["-c", SERVER, a.address()], stdout=-1)
    assert server.stdout is not None and server.stdout.readline().strip() == b"listening"
    out = b.run([sys.executable, "-c", CLIENT, a.address()], timeout=30)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "echo:hello"
    assert server.wait(timeout=10) == 0


def test_link_down_cuts_the_host_off(lab: netlab.Netlab) -> None:
    a, b = lab.lan(2)
    assert b.run(["ping", "-c", "1", "-W", "2", a.address()]).returncode == 0
    b.link_down()
    assert b.run(["ping", "-c", "1", "-W", "1", a.address()]).returncode != 0
    b.link_up()
    deadline = time.monotonic() + 10
    while b.run(["ping", "-c", "1", "-W", "1", a.address()]).returncode != 0:
        assert time.monotonic() < deadline, "link did not come back"


def test_two_segments_with_a_host_on_both(lab: netlab.Netlab) -> None:
    left, right = lab.segment(), lab.segment()
    a, b, c = lab.host(left), lab.host(left, right), lab.host(right)
    assert b.addresses == ["198.18.0.2", "198.18.1.2"]
    assert a.run(["ping", "-c", "1", "-W", "2", b.address(0)]).returncode == 0
    assert c.run(["ping", "-c", "1", "-W", "2", b.address(1)]).returncode == 0
    # a and c have no route to each other: different subnets, b does not forward.
    assert a.run(["ping", "-c", "1", "-W", "1", c.address(1)]).returncode != 0


def test_teardown_leaves_no_namespace() -> None:
    reason = netlab.can_build()
    if reason is not None:
        import pytest

        pytest.skip(reason)
    with netlab.Netlab() as built:
        built.lan(2)
        names = set(built._namespaces)
        assert names <= set(netlab.leftover_namespaces())
    assert not names & set(netlab.leftover_namespaces())
