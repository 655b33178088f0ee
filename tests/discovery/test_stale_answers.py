"""A stale TXT answer does not hide a change for long (real zeroconf on 127.0.0.1).

Seen in a scenario run: a newcomer typed an open code three times and was told each time that
no invitation with that code was open: its cache held the host's TXT from before the code
opened, delivered by a late answer after the code's announcements, and nothing made the host
announce again until the record expired (120 s).
"""

from __future__ import annotations

import pytest

from network.discovery import PeerUpdated
from network.discovery import service as discovery_service
from tests.discovery.stale import current_txt, send_stale
from tests.discovery.test_discovery_loopback import Recorder, found, running

K1, K2 = (bytes([i]) * 32 for i in (41, 42))
pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(60)]


async def updated(
    events: Recorder, peer_id: str, keys: set[bytes], after: int, within: float = 10.0
) -> int:
    """Wait for a PeerUpdated of ``peer_id`` matching ``keys`` among events ``after`` on;
    returns how many events there are then."""

    def seen() -> bool:
        return any(
            isinstance(e, PeerUpdated) and e.peer_id == peer_id and e.matched_keys == keys
            for e in events.events[after:]
        )

    await events.wait_for(lambda _: seen(), within)
    return len(events.events)


async def test_a_change_is_announced_again_after_a_late_answer_with_the_old_txt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(discovery_service, "REANNOUNCE_AFTER", 4.0)
    async with running([K1], 40020) as (host, _), running([K1, K2], 40021) as (seeker, events):
        await events.wait_for(found(host.peer_id))
        before = await current_txt(host.peer_id)
        await host.set_circles([K1, K2])  # a code opens
        mark = await updated(events, host.peer_id, {K1, K2}, 0)
        await send_stale(before)  # a late answer from before the change
        mark = await updated(events, host.peer_id, {K1}, mark, within=5)
        # The host's second announcement puts it right, long before the record would expire.
        await updated(events, host.peer_id, {K1, K2}, mark, within=15)


async def test_a_refresh_asks_past_a_stale_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discovery_service, "REANNOUNCE_AFTER", 600.0)  # no second announcement
    async with running([K1], 40022) as (host, _), running([K1, K2], 40023) as (seeker, events):
        await events.wait_for(found(host.peer_id))
        before = await current_txt(host.peer_id)
        await host.set_circles([K1, K2])
        mark = await updated(events, host.peer_id, {K1, K2}, 0)
        await send_stale(before)
        mark = await updated(events, host.peer_id, {K1}, mark, within=5)
        seeker.refresh()  # what a newcomer's search does
        await updated(events, host.peer_id, {K1, K2}, mark, within=10)
