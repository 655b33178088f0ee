"""Two real headless processes on 127.0.0.1 reply, react, delete for everyone and search through
their commands (docs/HEADLESS.md), and get clear errors for what they may not do."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.headless_peer import HeadlessPeer

pytestmark = pytest.mark.timeout(120)

ARGS = ["--ephemeral", "--interface", "127.0.0.1"]


@pytest.fixture
def peers() -> Iterator[list[HeadlessPeer]]:
    made: list[HeadlessPeer] = []
    yield made
    for peer in made:
        peer.close()


def start(peers: list[HeadlessPeer], name: str) -> HeadlessPeer:
    peer = HeadlessPeer(ARGS, name=name)
    peers.append(peer)
    peer.wait_event("ready")
    return peer


def test_reply_react_delete_and_search(peers: list[HeadlessPeer]) -> None:
    host, guest = start(peers, "host"), start(peers, "guest")
    circle = host.command("/create Tuesday Circle", "circle")
    guest.command(f"/join {circle['invite']}", "circle")
    host.wait_event("peer_connected", 20)
    guest.wait_event("peer_connected", 20)

    guest.send("/say the lighthouse keeps its lamp lit")
    post = host.wait_event("post", 20, body="the lighthouse keeps its lamp lit")
    pid = post["id"]

    host.send(f"/reply {pid[:10]} thank you for telling us")
    reply = guest.wait_event("post", 20, body="thank you for telling us")
    assert reply["reply_to"] == pid
    assert reply["quote"] == {
        "id": pid,
        "author": post["author"],
        "body": "the lighthouse keeps its lamp lit",
        "deleted": False,
        "hidden": False,
    }

    host.send(f"/react {pid} hear")
    seen = guest.wait_event("reactions", 20, id=pid)
    assert seen["reactions"] == {"hear": 1} and seen["mine"] == []
    mine = guest.command(f"/react {pid} hear", "reactions")
    assert mine["reactions"] == {"hear": 2} and mine["mine"] == ["hear"]
    assert guest.command(f"/react {pid} applause", "error")["code"] == "not_allowed"
    refused = host.command(f"/delete {pid}", "error")
    assert refused["code"] == "not_allowed" and "your own" in refused["message"]

    found = host.command("/search lighthouse", "list")
    assert found["what"] == "search" and [p["id"] for p in found["items"]] == [pid]
    assert found["items"][0]["reactions"] == {"hear": 2}

    guest.send(f"/delete {pid}")
    gone = host.wait_event("post_deleted", 20)
    assert gone["id"] == pid
    assert host.command("/search lighthouse", "list")["items"] == []
    history = host.command("/history 10", "list")["items"]
    assert [p["body"] for p in history] == ["thank you for telling us"]
    assert history[0]["quote"]["deleted"] is True and history[0]["quote"]["body"] == ""
    assert guest.quit() == 0
    assert host.quit() == 0
