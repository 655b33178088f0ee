"""A circle on a virtual LAN: one headless peer per namespace host, all joined by link."""

from __future__ import annotations

import time
from collections.abc import Sequence

from tests.headless_peer import FAST_TIMINGS, HeadlessPeer
from tests.netlab import Host, Netlab


def start_peer(
    host: Host,
    name: str | None = None,
    segments: Sequence[int] = (0,),
    timings: str | None = FAST_TIMINGS,
    program: Sequence[str] | None = None,
    env: dict[str, str] | None = None,
) -> HeadlessPeer:
    args = ["--ephemeral"]
    for segment in segments:
        args += ["--interface", host.address(segment)]
    more = {} if program is None else {"program": program}
    peer = HeadlessPeer(
        args, popen=host.popen, name=name or host.name, timings=timings, env=env, **more
    )
    peer.wait_event("ready", 20)
    return peer


def form_circle(peers: Sequence[HeadlessPeer], name: str = "Evening Circle") -> dict[str, object]:
    """The first peer creates a circle, the others join by its link and are let in (the host's
    link to a newcomer can be up a moment before its yes reaches them: a post before it is
    refused, "waiting for the host to let you in")."""
    circle = peers[0].command(f"/create {name}", "circle")
    marks = {}
    for peer in peers[1:]:
        marks[peer.name] = len(peer.events)
        joined = peer.command(f"/join {circle['invite']}", "circle")
        assert joined["id"] == circle["id"]
    for peer in peers[1:]:
        peer.wait_for(
            lambda e: e.get("event") == "info" and "you were let in" in str(e["message"]),
            60,
            after=marks[peer.name],
        )
    return circle


def connected_members(peer: HeadlessPeer) -> list[str]:
    return [str(e["key"]) for e in peer.of("peer_connected")]


def wait_all_connected(peers: Sequence[HeadlessPeer], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    want = len(peers) - 1
    for peer in peers:
        peer.wait_for(
            lambda e, p=peer: len({str(x["key"]) for x in p.of("peer_connected")}) >= want,  # type: ignore[misc]
            max(1.0, deadline - time.monotonic()),
        )


def posts(peer: HeadlessPeer) -> list[dict[str, object]]:
    return peer.of("post")


def lab_peers(lab: Netlab, n: int) -> list[HeadlessPeer]:
    hosts = lab.lan(n)
    return [start_peer(h, f"peer{i + 1}") for i, h in enumerate(hosts)]
