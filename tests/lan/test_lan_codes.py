"""Spoken codes across a secret rotation, on a virtual LAN of network namespaces (issue 15
item 4).

The host reads a code aloud, removes a member (its client rotates the circle's secret), and a
newcomer on another host then types the code: it finds the invitation, is let in, and links
with the members at the new epoch. Before, the open invitation kept handing out the invite link
of the old secret, so the newcomer joined a circle nobody would link with; a code opened after
the rotation works too.
"""

from __future__ import annotations

import pytest

from tests.headless_peer import HeadlessPeer
from tests.netlab import Netlab

from .circle_lab import form_circle, start_peer, wait_all_connected

pytestmark = [pytest.mark.netns, pytest.mark.timeout(120)]


def me(peer: HeadlessPeer) -> dict[str, object]:
    items = peer.command("/members", "list")["items"]
    return next(item for item in items if item["me"])


def let_in(host: HeadlessPeer, newcomer: HeadlessPeer, code: str, circle_id: object) -> None:
    mark = len(host.events)
    newcomer.send(f"/join {code}")
    request = host.wait_for(lambda e: e.get("event") == "join_request", 40, after=mark)
    host.send(f"/approve {request['request']}")
    joined = newcomer.wait_event("circle", 40)
    assert joined["id"] == circle_id and joined["role"] == "member"
    seen = newcomer.wait_event("peer_connected", 40)  # linked at the circle's new epoch
    assert seen["circle"] == circle_id


def test_codes_open_across_a_removal_let_newcomers_in(lab: Netlab) -> None:
    hosts = lab.lan(5)
    names = ("host", "ada", "rex", "newcomer", "late")
    peers = [start_peer(h, name) for h, name in zip(hosts, names, strict=True)]
    host, _ada, rex, newcomer, late = peers
    try:
        circle = form_circle(peers[:3])
        wait_all_connected(peers[:3], 40)
        code = host.command("/code", "code")["code"]  # open while the secret rotates
        host.send(f"/remove {me(rex)['member']}")
        rex.wait_event("member_removed", 20)
        assert host.command("/invite", "circle")["invite"] != circle["invite"]
        let_in(host, newcomer, code, circle["id"])
        let_in(host, late, host.command("/code", "code")["code"], circle["id"])
    finally:
        for peer in peers:
            peer.close()
