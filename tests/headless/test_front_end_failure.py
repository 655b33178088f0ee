"""A front end that fails on an event never stops the core (issue 14): a subscriber that raises
on every event does not keep a post from reaching the other member, nor the other subscribers
from being told, on either side."""

from __future__ import annotations

import pytest

from messenger.api import Event

from .inprocess import Peer, circle_of

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(60)]


def broken(_event: Event) -> None:
    raise RuntimeError("a front end bug")


async def test_a_failing_subscriber_stops_no_send() -> None:
    host, ada = Peer(), Peer()
    try:
        await host.start()
        await ada.start()
        await circle_of(host, [ada])
        # The broken subscriber comes first, on both sides.
        for peer in (host, ada):
            peer.messenger._subscribers.insert(0, broken)
        await host.do("/say still delivered")
        await ada.until(lambda: any(e.get("body") == "still delivered" for e in ada.of("post")))
        assert any(e.get("body") == "still delivered" for e in host.of("post"))
    finally:
        await host.close()
        await ada.close()
