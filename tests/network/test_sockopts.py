"""Idle member links are checked by the kernel (TCP keepalive), not by the app waking every few
seconds (issue 18): the options land on a real connected socket, and the node's defaults keep
the app's own check a backstop that still holds a relayed link open."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator

import pytest

from network import sockopts
from network.node import NodeConfig
from network.rendezvous.config import ServerConfig
from network.sockopts import TcpLiveness


@pytest.fixture
def connected() -> Iterator[tuple[socket.socket, socket.socket]]:
    with socket.create_server(("127.0.0.1", 0)) as server:
        client = socket.create_connection(server.getsockname())
        accepted, _ = server.accept()
    yield client, accepted
    client.close()
    accepted.close()


def test_liveness_lands_on_the_socket(connected: tuple[socket.socket, socket.socket]) -> None:
    sock = connected[0]
    assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 0
    sockopts.apply(sock, TcpLiveness(idle=77, interval=7, count=5, user_timeout=12.5), probe=True)
    assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
    if sys.platform.startswith("linux"):
        tcp = socket.IPPROTO_TCP
        assert sock.getsockopt(tcp, socket.TCP_KEEPIDLE) == 77
        assert sock.getsockopt(tcp, socket.TCP_KEEPINTVL) == 7
        assert sock.getsockopt(tcp, socket.TCP_KEEPCNT) == 5
        assert sock.getsockopt(tcp, socket.TCP_USER_TIMEOUT) == 12_500


def test_the_answering_side_sends_no_probes(
    connected: tuple[socket.socket, socket.socket],
) -> None:
    sock = connected[1]
    sockopts.apply(sock, TcpLiveness(user_timeout=12.5), probe=False)
    assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 0
    if sys.platform.startswith("linux"):
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT) == 12_500


def test_none_leaves_the_socket_alone(connected: tuple[socket.socket, socket.socket]) -> None:
    sockopts.apply(connected[1], None, probe=True)
    sockopts.apply(None, TcpLiveness(), probe=True)
    assert connected[1].getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 0


def test_the_defaults_keep_links_quiet_and_relays_open() -> None:
    node = NodeConfig()
    assert node.tcp is not None
    kernel_gives_up = node.tcp.idle + node.tcp.interval * node.tcp.count
    assert kernel_gives_up < node.keepalive_interval < node.idle_timeout
    assert node.relayed_keepalive_interval < ServerConfig().relay_idle_timeout
