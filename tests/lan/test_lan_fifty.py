"""A circle of fifty on one namespaced LAN (issue 18): everyone sees every post once, in author
order, after ten of them are cut off and come back.

Fifty real headless processes, one per network namespace, neighbour entries pinned (the kernel's
ARP table is shared by every namespace). Timings are the suite's, a little slower, so that fifty
processes on two cores do not mistake a busy peer for a lost one.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest

from messenger.headless.timings import encode
from tests.headless_peer import HeadlessPeer
from tests.netlab import Netlab

pytestmark = [pytest.mark.netns, pytest.mark.slow, pytest.mark.timeout(600)]

N = 50
CUT = 10
TIMINGS = encode(
    keepalive_interval=3.0,
    idle_timeout=15.0,
    backoff_base=0.5,
    backoff_cap=4.0,
    find_timeout=3.0,
    rendezvous_lookup_interval=1.0,
)


def posts_by_author(peer: HeadlessPeer) -> dict[str, list[int]]:
    seen: dict[str, list[int]] = {}
    for event in peer.of("post"):
        seen.setdefault(str(event["author_key"]), []).append(int(event["seq"]))
    return seen


def wait_posts(peers: list[HeadlessPeer], count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    for peer in peers:
        peer.wait_for(
            lambda e, p=peer: len(p.of("post")) >= count,  # type: ignore[misc]
            max(1.0, deadline - time.monotonic()),
        )


def test_fifty_members_see_every_post_once_in_order_after_ten_are_cut_and_restored(
    lab: Netlab,
) -> None:
    hosts = lab.lan(N, pin_neighbours=True)
    peers = [
        HeadlessPeer(
            ["--ephemeral", "--interface", h.address()],
            popen=h.popen,
            name=f"p{i + 1}",
            timings=TIMINGS,
        )
        for i, h in enumerate(hosts)
    ]
    try:
        for peer in peers:
            peer.wait_event("ready", 120)
        link = peers[0].command("/create Fifty", "circle")["invite"]
        for peer in peers[1:]:
            peer.send(f"/join {link}")
        for peer in peers[1:]:
            peer.wait_event("circle", 60)
        for peer in peers[1:]:  # the host lets each in (a headless circle: without asking)
            peer.wait_for(
                lambda e: e.get("event") == "info" and "you were let in" in str(e["message"]),
                120,
            )
        authors = peers[CUT : CUT + 5]  # never cut
        for k, author in enumerate(authors):
            author.send(f"/say before the cut {k}")
        wait_posts(peers, len(authors), 240)  # every author's post reached everyone (own included)
        away = peers[:CUT]
        for host in hosts[:CUT]:
            host.link_down()
        for round_ in range(4):
            for k, author in enumerate(authors):
                author.send(f"/say while they were away {round_} {k}")
        total = len(authors) * 5
        wait_posts(peers[CUT:], total, 120)  # the others have them all
        for peer in away:  # while cut off, nothing reached the ten
            peer.drain(0.1)
            assert len(peer.of("post")) == len(authors), peer.name
        for host in hosts[:CUT]:
            host.link_up()
        wait_posts(away, total, 240)  # the ten catch up
        for peer in peers:
            peer.drain(0.5)
            ids = Counter(str(e["id"]) for e in peer.of("post"))
            assert len(ids) == total, (peer.name, len(ids))
            assert all(n == 1 for n in ids.values()), peer.name  # nothing twice
            for seqs in posts_by_author(peer).values():
                assert seqs == sorted(seqs) == list(range(1, len(seqs) + 1)), peer.name
    finally:
        for peer in peers:
            peer.close()
