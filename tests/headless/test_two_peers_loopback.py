"""Two real headless peers on 127.0.0.1: create, invite by link, join, talk, leave."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.headless_peer import HeadlessPeer

pytestmark = pytest.mark.timeout(90)

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


def test_create_join_by_link_and_talk(peers: list[HeadlessPeer]) -> None:
    host, guest = start(peers, "host"), start(peers, "guest")
    circle = host.command("/create Tuesday Circle", "circle")
    assert circle["role"] == "host" and circle["invite"].startswith("hearth://join/")
    joined = guest.command(f"/join {circle['invite']}", "circle")
    assert joined["id"] == circle["id"] and joined["role"] == "member"
    assert joined["name"] == "Tuesday Circle"

    came = host.wait_event("peer_connected", 20)
    saw = guest.wait_event("peer_connected", 20)
    assert came["circle"] == circle["id"] and saw["circle"] == circle["id"]

    host.send("/say welcome, take your time")
    post = guest.wait_event("post", body="welcome, take your time")
    assert post["author"] == saw["member"] and post["seq"] == 1
    guest.send("thank you")  # a plain line is /say
    reply = host.wait_event("post", body="thank you")
    assert reply["author"] == came["member"]

    members = host.command("/members", "list")["items"]
    assert {m["member"] for m in members} == {saw["member"], came["member"]}
    assert all(m["present"] for m in members)

    history = guest.command("/history 10", "list")["items"]
    assert [p["body"] for p in history] == ["welcome, take your time", "thank you"]

    assert guest.quit() == 0
    lost = host.wait_event("peer_lost", 10)
    assert lost["member"] == came["member"]
    assert host.quit() == 0
    assert host.events[-1] == {"event": "bye"}


def test_a_tampered_link_is_refused_with_a_clear_error(peers: list[HeadlessPeer]) -> None:
    host, guest = start(peers, "host"), start(peers, "guest")
    link = host.command("/create Circle", "circle")["invite"]
    tampered = link[:-6] + ("a" if link[-6] != "a" else "b") + link[-5:]
    error = guest.command(f"/join {tampered}", "error")
    assert error["code"] == "damaged" or "damaged" in error["message"].lower()
    foreign = guest.command("/join https://example.org/join/abc", "error")
    assert foreign["code"] in {"not_hearth_link", "usage"} or "link" in foreign["message"]
    assert guest.command("/circles", "list")["items"] == []


def test_rules_reach_members_signed_and_changes_are_seen(peers: list[HeadlessPeer]) -> None:
    host, guest, late = start(peers, "host"), start(peers, "guest"), start(peers, "late")
    circle = host.command("/create Recovery Circle", "circle")
    first = host.command(
        "/rules Listen more than you speak.\\nWhat is said here stays here.", "rules"
    )
    assert first["revision"] == 2
    guest.command(f"/join {circle['invite']}", "circle")
    rules = guest.wait_event("rules", 20)
    assert rules["rules"] == "Listen more than you speak.\nWhat is said here stays here."
    # A member who joins later gets them from anyone who has them (here, still the host).
    late.command(f"/join {circle['invite']}", "circle")
    assert late.wait_event("rules", 20)["revision"] == 2
    host.send("/rules Be gentle.")
    changed = guest.wait_for(lambda e: e.get("event") == "rules" and e["revision"] == 3, 20)
    assert changed["rules"] == "Be gentle."
    assert guest.command("/rules", "rules")["rules"] == "Be gentle."
    error = guest.command("/rules I make the rules now", "error")
    assert error["code"] == "not_allowed"


def test_joining_another_circle_keeps_existing_links(peers: list[HeadlessPeer]) -> None:
    host, guest = start(peers, "host"), start(peers, "guest")
    circle = host.command("/create First", "circle")
    guest.command(f"/join {circle['invite']}", "circle")
    host.wait_event("peer_connected", 20)
    mark = len(host.events)
    host.command("/create Second", "circle")
    guest.send("/say still here")
    host.wait_event("post", 20, body="still here")
    assert not [e for e in host.events[mark:] if e.get("event") == "peer_lost"]


def test_the_open_lobby_is_opt_in_and_leaves_nothing(peers: list[HeadlessPeer]) -> None:
    a, b, shy = start(peers, "a"), start(peers, "b"), start(peers, "shy")
    a.command("/lobby on", "info")
    lobby = a.of("circle")[-1]
    assert lobby["name"] == "Open lobby" and lobby["invite"] == ""
    b.command("/lobby on", "info")
    assert b.of("circle")[-1]["id"] == lobby["id"]  # the same well-known circle for everyone
    met = a.wait_event("peer_connected", 20)
    assert met["circle"] == lobby["id"]
    b.send("/say hello, anyone here?")
    assert a.wait_event("post", 20)["body"] == "hello, anyone here?"
    # A peer that did not opt in is in no lobby: nobody ever connects to it. Barrier: a post
    # back from a, after a and b had long seen shy on mDNS; then shy's own output up to now.
    a.send("/say and hello back")
    assert b.wait_event("post", 20, body="and hello back")
    shy.command("/circles", "list")
    assert not shy.of("peer_connected") and shy.command("/circles", "list")["items"] == []
    # Leaving the lobby forgets it.
    a.command("/lobby off", "info")
    assert a.command("/circles", "list")["items"] == []
    b.wait_event("peer_lost", 20)
