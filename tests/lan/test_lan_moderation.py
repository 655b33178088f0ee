"""A removal on a virtual LAN of network namespaces, one headless process per host (issue 9).

The host removes a member whose link is down at that moment, so its client never learns of the
removal: it is exactly the removed member's copy, holding the old secret and its old key. When its
link comes back it reconnects to nobody and reads nothing posted after the removal, while the host
and the two other members, handed the new secret over their links, reconnect at the new epoch
and keep talking.
"""

from __future__ import annotations

import time

import pytest

from tests.headless_peer import HeadlessPeer
from tests.netlab import Netlab

from .circle_lab import form_circle, start_peer, wait_all_connected

pytestmark = [pytest.mark.netns, pytest.mark.timeout(90)]


def me(peer: HeadlessPeer) -> dict[str, object]:
    items = peer.command("/members", "list")["items"]
    return next(item for item in items if item["me"])


def bodies(peer: HeadlessPeer) -> list[str]:
    return [str(p["body"]) for p in peer.command("/history 100", "list")["items"]]


def test_a_removed_member_cannot_reconnect_or_read_while_the_others_keep_talking(
    lab: Netlab,
) -> None:
    hosts = lab.lan(4)
    names = ("host", "ada", "bo", "rex")
    peers = [start_peer(h, name) for h, name in zip(hosts, names, strict=True)]
    host, ada, bo, rex = peers
    try:
        circle = form_circle(peers)
        wait_all_connected(peers, 40)
        rex_key, rex_name = str(me(rex)["key"]), str(me(rex)["member"])
        rex.send("/say something unkind")
        for peer in (host, ada, bo):
            peer.wait_event("post", 20, body="something unkind")

        hosts[3].link_down()  # rex's copy will never hear of its removal
        mark = {p.name: len(p.events) for p in peers}
        host.send(f"/remove {rex_name}")
        for peer in (host, ada, bo):
            gone = peer.wait_for(
                lambda e: e.get("event") == "member_removed", 20, after=mark[peer.name]
            )
            assert gone["key"] == rex_key and gone["circle"] == circle["id"]
        new_link = host.command("/invite", "circle")["invite"]
        assert new_link != circle["invite"]  # the secret rotated

        # The others reconnect at the new epoch and keep talking.
        ada.send("/say after the removal, from ada")
        for peer in (host, bo):
            peer.wait_event("post", 30, body="after the removal, from ada")
        bo.send("/say and from bo")
        for peer in (host, ada):
            peer.wait_event("post", 30, body="and from bo")
        for peer in (host, ada, bo):
            assert "something unkind" not in bodies(peer)  # a removed member's posts are hidden

        # Rex's link comes back: it still holds the old secret and tries, and reaches nobody.
        hosts[3].link_up()
        rex.send("/say let me back in")
        # Several discovery and dial rounds for rex: redials come every 0.1-1 s with the
        # suite's timings (tests/headless_peer.py), links go down after 4 s without traffic.
        time.sleep(3)
        host.send("/say later that evening")
        for peer in (ada, bo):
            peer.wait_event("post", 30, body="later that evening")
        rex.command("/members", "list")  # rex's output up to now is read
        since = rex.events[mark["rex"] :]
        assert not [e for e in since if e.get("event") == "post" and e["author_key"] != rex_key]
        assert not [e for e in since if e.get("event") == "peer_connected"]
        for peer in (host, ada, bo):
            back = [
                e
                for e in peer.events[mark[peer.name] :]
                if e.get("event") == "peer_connected" and e.get("key") == rex_key
            ]
            assert not back, peer.name
            assert "let me back in" not in bodies(peer)
    finally:
        for peer in peers:
            peer.close()
