"""An idle circle of real peers (in this process, on 127.0.0.1) is quiet: between two barrier
posts nobody sends an application message and nobody runs due work, however many scheduling
intervals pass (issues 14 and 18: deadlines instead of a ticker polling every circle).

Time is seen passing through the scheduler's own retention purges (every 0.1 s here, counted),
not through a sleep; the barrier post that ends the window is the only message counted in it.
"""

from __future__ import annotations

import dataclasses

import pytest

from messenger.anonymous.rounds import RoundLimits
from messenger.config import Seconds

from .inprocess import FAST, Peer, circle_of

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(60)]

# Anonymous rounds at the product's own pace: in a circle without anonymous posting the first
# round runs when three members are present, the next one 5 minutes later (after this test).
QUIET = dataclasses.replace(
    FAST, tick=Seconds(0.05), purge_every=Seconds(0.1), anonymous=RoundLimits()
)
WINDOW_PURGES = 10  # retention purges every peer runs inside the window (>= 20 ticks)


def said(peer: Peer, body: str) -> bool:
    return any(e.get("body") == body for e in peer.of("post"))


def change(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {
        k: after.get(k, 0) - before.get(k, 0) for k in after if after.get(k, 0) != before.get(k, 0)
    }


async def test_an_idle_circle_sends_nothing_and_runs_no_due_work() -> None:
    peers = [Peer(config=QUIET) for _ in range(3)]
    try:
        for peer in peers:
            await peer.start()
        await circle_of(peers[0], peers[1:])
        for i, author in enumerate(peers):  # barrier: every link carried a post both ways
            await author.do(f"/say ready {i}")
        for peer in peers:
            for i in range(len(peers)):
                await peer.until(lambda p=peer, i=i: said(p, f"ready {i}"))  # type: ignore[misc]

        # the first anonymous round (three members present) is over; answers go out 25-50 ms
        # after what they answer, so it can outlast the barrier
        await peers[0].until(
            lambda: sum(p.messenger.activity().get("ANONYMOUS", 0) for p in peers) > 0
        )
        for peer in peers:
            await peer.until(
                lambda p=peer: p.messenger.activity()["anonymous rounds running"] == 0  # type: ignore[misc]
            )
        before = [p.messenger.activity() for p in peers]
        for peer, was in zip(peers, before, strict=True):
            await peer.until(
                lambda p=peer, w=was: (
                    p.messenger.activity()["purges"] >= w["purges"] + WINDOW_PURGES
                )  # type: ignore[misc]
            )
        await peers[0].do("/say barrier")
        for peer in peers[1:]:
            await peer.until(lambda p=peer: said(p, "barrier"))  # type: ignore[misc]
        after = [p.messenger.activity() for p in peers]

        changes = [change(b, a) for b, a in zip(before, after, strict=True)]
        for c in changes:
            c.pop("purges")
        # the author pushed the barrier post on its two links; nothing else went anywhere
        assert set(changes[0]) == {"CONVERSATION", "CONVERSATION bytes"}
        assert changes[0]["CONVERSATION"] == 2
        assert changes[1:] == [{}, {}]
        assert all(
            a["due work rounds"] == b["due work rounds"] for a, b in zip(after, before, strict=True)
        )
    finally:
        for peer in peers:
            await peer.close()
