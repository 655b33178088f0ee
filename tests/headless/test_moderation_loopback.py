"""Moderation and personal safety between real headless peers on 127.0.0.1 (issue 9).

Block (DMs never surface, posts hidden for the blocker only), signed reports reach the host and
no ordinary member, a hidden post is hidden for everyone, slow mode refuses a second post with the
seconds to wait, and a removed member is told, refused, and its posts hidden.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.headless_peer import HeadlessPeer

pytestmark = pytest.mark.timeout(60)

ARGS = ["--ephemeral", "--interface", "127.0.0.1"]


@pytest.fixture
def peers() -> Iterator[list[HeadlessPeer]]:
    made: list[HeadlessPeer] = []
    yield made
    for peer in made:
        peer.close()


def start(peers: list[HeadlessPeer], *names: str) -> list[HeadlessPeer]:
    started = [HeadlessPeer(ARGS, name=name) for name in names]
    peers += started
    for peer in started:
        peer.wait_event("ready")
    return started


def form(host: HeadlessPeer, *members: HeadlessPeer) -> dict[str, object]:
    circle = host.command("/create Harbour Circle", "circle")
    for member in members:
        member.command(f"/join {circle['invite']}", "circle")
    want = len(members)
    for peer in (host, *members):
        peer.wait_for(
            lambda e, p=peer: len({x["key"] for x in p.of("peer_connected")}) >= want,  # type: ignore[misc]
            30,
        )
    return circle


def barrier(sender: HeadlessPeer, *receivers: HeadlessPeer) -> None:
    """``sender`` posts a marker and each receiver waits for it: what was on its way to them
    before it has arrived."""
    marker = f"barrier {len(sender.events)} from {sender.name}"
    sender.send(f"/say {marker}")
    for peer in receivers:
        peer.wait_event("post", 20, body=marker)


def me(peer: HeadlessPeer) -> dict[str, object]:
    items = peer.command("/members", "list")["items"]
    return next(item for item in items if item["me"])


def bodies(peer: HeadlessPeer) -> list[str]:
    return [str(p["body"]) for p in peer.command("/history 50", "list")["items"]]


def test_block_report_and_hide(peers: list[HeadlessPeer]) -> None:
    host, rude, kind = start(peers, "host", "rude", "kind")
    form(host, rude, kind)
    rude_name = str(me(rude)["member"])
    kind_name = str(me(kind)["member"])

    # Block: nothing is announced; the blocked member's DMs are acknowledged but never surface.
    kind.send(f"/block {rude_name}")
    kind.wait_for(lambda e: e.get("event") == "info" and "blocked" in str(e["message"]))
    mark = len(rude.events)
    rude.send(f"/dm {kind_name} you cannot get away from me")
    rude.wait_for(
        lambda e: e.get("event") == "dm_state" and e.get("state") == "delivered", 20, after=mark
    )
    rude.send("/say everyone here is boring")
    host.wait_event("post", 20, body="everyone here is boring")
    kind.send("/say a calm evening to all")  # arrives after the rude post at the host ...
    host.wait_event("post", 20, body="a calm evening to all")
    barrier(host, kind)  # ... and the rude one, had kind shown it, came before this
    assert not kind.of("dm") and not kind.of("dm_request")
    assert not [p for p in kind.of("post") if p["author"] == rude_name]
    assert "everyone here is boring" not in bodies(kind)  # hidden for the blocker only
    assert "everyone here is boring" in bodies(host)

    # A signed report about the rude post reaches the host, and no ordinary member.
    post_id = str(host.wait_event("post", body="everyone here is boring")["id"])
    kind.send(f"/report --signed {rude_name} harassment they keep mocking people")
    report = host.wait_event("report", 20)
    assert report["reason"] == "harassment" and report["member"] == rude_name
    assert report["details"] == "they keep mocking people"
    assert report["post_id"] == post_id and report["post_body"] == "everyone here is boring"
    assert report["reporter"] == kind_name and report["anonymous"] is False
    queue = host.command("/reports", "list")["items"]
    assert [r["id"] for r in queue] == [report["id"]]
    # An ordinary member may not see the queue, nor moderate.
    refused = rude.command(f"/hide {post_id}", "error")
    assert refused["code"] == "not_allowed"
    barrier(host, rude, kind)  # sent after the report: a leaked copy would have come first
    assert not rude.of("report") and not kind.of("report")

    # The host hides the post for everyone; even people who did not block its author.
    host.send(f"/hide {post_id}")
    for peer in (host, rude):
        hidden = peer.wait_event("post_hidden", 20, id=post_id)
        assert hidden["hidden"] is True
    assert "everyone here is boring" not in bodies(host)
    # Unblocking shows the rude member's other posts again, never the hidden one.
    kind.send(f"/unblock {rude_name}")
    kind.wait_for(lambda e: e.get("event") == "info" and "unblocked" in str(e["message"]))
    assert "everyone here is boring" not in bodies(kind)


def test_slow_mode_then_removal(peers: list[HeadlessPeer]) -> None:
    host, member = start(peers, "host", "member")
    circle = form(host, member)
    member_key = str(me(member)["key"])
    member_name = str(me(member)["member"])

    host.send("/slow 600")
    member.wait_for(lambda e: e.get("event") == "info" and "slow mode" in str(e["message"]))
    member.send("/say first thought")
    host.wait_event("post", 20, body="first thought")
    error = member.command("/say second thought", "error")
    assert error["code"] == "slow_mode"
    assert "wait" in error["message"] and any(ch.isdigit() for ch in error["message"])
    host.send("/say the host is not slowed down")
    host.send("/say nor twice")
    member.wait_event("post", 20, body="nor twice")

    assert member.command("/remove host", "error")["code"] in {"not_allowed", "not_found"}
    host.send(f"/remove {member_name}")
    gone = host.wait_event("member_removed", 20)
    assert gone == {
        "event": "member_removed",
        "circle": circle["id"],
        "member": member_name,
        "key": member_key,
    }
    told = member.wait_event("member_removed", 20)
    assert told["key"] == member_key and told["circle"] == circle["id"]
    assert member.command("/say hello?", "error")["code"] == "removed"
    assert "first thought" not in bodies(host)  # a removed member's posts are hidden
    members = host.command("/members", "list")["items"]
    assert [m["key"] for m in members if not m["me"]] == []
