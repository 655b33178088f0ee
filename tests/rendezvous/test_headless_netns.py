"""The full app across two networks: two headless members on different bridges, with no route
between them and only the rendezvous host reachable from both, join one circle by invite link
and chat through the relay. (Topology: :mod:`tests.rendezvous.test_netns`.)"""

from __future__ import annotations

import pytest

from network.rendezvous import parse_address
from tests import netlab
from tests.headless_peer import HeadlessPeer

from .test_netns import SERVICE, build, reaches, server_logs, start_server

pytestmark = [pytest.mark.netns, pytest.mark.timeout(120)]


def test_two_headless_members_chat_through_the_relay(lab: netlab.Netlab) -> None:
    middle, a, b = build(lab)
    address, server = start_server(middle, "--debug")
    assert not reaches(a, b.address(1), 9) and reaches(a, SERVICE, 7700)
    peers: list[HeadlessPeer] = []
    try:
        host = HeadlessPeer(
            ["--ephemeral", "--interface", a.address(0), "--rendezvous", address],
            popen=a.popen,
            name="host",
        )
        peers.append(host)
        guest = HeadlessPeer(
            ["--ephemeral", "--interface", b.address(1)], popen=b.popen, name="guest"
        )
        peers.append(guest)
        host.wait_event("ready", 30)
        guest.wait_event("ready", 30)
        circle = host.command("/create Across Two Networks", "circle")
        joined = guest.command(f"/join {circle['invite']}", "circle", 30)  # the link carries it
        assert joined["id"] == circle["id"]
        assert parse_address(address).host == SERVICE

        came = host.wait_event("peer_connected", 45)
        saw = guest.wait_event("peer_connected", 45)
        assert came["circle"] == saw["circle"] == circle["id"]

        host.send("/say welcome, wherever you are")
        post = guest.wait_event("post", 20, body="welcome, wherever you are")
        assert post["author"] == saw["member"]
        guest.send("glad to be here")
        reply = host.wait_event("post", 20, body="glad to be here")
        assert reply["author"] == came["member"]

        assert guest.quit() == 0
        host.wait_event("peer_lost", 30)
        assert host.quit() == 0
        logs = server_logs(server)
        assert "relay ended" in logs  # the members' link went through the relay
        assert a.address(0) not in logs and b.address(1) not in logs
    finally:
        for peer in peers:
            peer.close()
