"""Real zeroconf on 127.0.0.1: instances in one process (and one subprocess) find each other.

Other test runs on this machine may announce on loopback too, so every assertion looks only at
the peer ids of the instances a test made itself.
"""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import pytest
from zeroconf import DNSQuestionType, IPVersion
from zeroconf.asyncio import AsyncServiceInfo, AsyncZeroconf

from network.clock import Seconds
from network.discovery import (
    SERVICE_TYPE,
    Discovery,
    DiscoveryEvent,
    DiscoveryStartError,
    DiscoveryState,
    DiscoveryStateError,
    InvalidCircleKey,
    PeerFound,
    PeerGone,
    PeerUpdated,
)
from network.discovery.hints import Announcement, hint, parse_txt
from network.discovery.labels import instance_name
from network.interfaces import InterfaceError
from tests.discovery.procs import PEER_SCRIPT, PeerProcess

LOOPBACK = "127.0.0.1"
K1, K2, K3 = (bytes([i]) * 32 for i in (1, 2, 3))
pytestmark = pytest.mark.asyncio


class Recorder:
    """A discovery callback that keeps every event and lets a test wait for one."""

    def __init__(self) -> None:
        self.events: list[DiscoveryEvent] = []
        self._changed = asyncio.Event()

    def __call__(self, event: DiscoveryEvent) -> None:
        self.events.append(event)
        self._changed.set()

    def about(self, peer_id: str) -> list[DiscoveryEvent]:
        return [e for e in self.events if e.peer_id == peer_id]

    async def wait_for(
        self, predicate: Callable[[DiscoveryEvent], bool], within: float = 10.0
    ) -> DiscoveryEvent:
        async with asyncio.timeout(within):
            for _ in range(100_000):
                for event in self.events:
                    if predicate(event):
                        return event
                self._changed.clear()
                await self._changed.wait()
        raise AssertionError("unreachable")


@asynccontextmanager
async def running(
    keys: list[bytes], port: int, **kw: float
) -> AsyncIterator[tuple[Discovery, Recorder]]:
    recorder = Recorder()
    discovery = Discovery(recorder, **kw)  # type: ignore[arg-type]
    await discovery.set_circles(keys)
    await discovery.start([LOOPBACK], port)
    try:
        yield discovery, recorder
    finally:
        await discovery.close()


def found(peer_id: str) -> Callable[[DiscoveryEvent], bool]:
    return lambda e: isinstance(e, PeerFound) and e.peer_id == peer_id


async def read_announcement(peer_id: str) -> Announcement:
    """Resolve a peer's TXT with a plain zeroconf instance, as any observer on the LAN could."""
    async with AsyncZeroconf(interfaces=[LOOPBACK], ip_version=IPVersion.V4Only) as observer:
        info = AsyncServiceInfo(SERVICE_TYPE, instance_name(peer_id))
        assert await info.async_request(observer.zeroconf, 5000, DNSQuestionType.QM)
        return parse_txt(info.text)


async def test_two_instances_find_each_other_and_match_only_shared_circles() -> None:
    async with running([K1, K2], 40001) as (a, a_events), running([K1, K3], 40002) as (b, b_events):
        assert a.peer_id != b.peer_id
        seen_by_a = await a_events.wait_for(found(b.peer_id))
        seen_by_b = await b_events.wait_for(found(a.peer_id))
        assert seen_by_a == PeerFound(b.peer_id, (LOOPBACK,), 40002, frozenset({K1}))
        assert seen_by_b == PeerFound(a.peer_id, (LOOPBACK,), 40001, frozenset({K1}))
        # Own announcement filtered out.
        assert not a_events.about(a.peer_id) and not b_events.about(b.peer_id)


async def test_a_stranger_is_found_with_no_circle_in_common() -> None:
    async with running([K1], 40003) as (_, a_events), running([K3], 40004) as (b, _):
        seen = await a_events.wait_for(found(b.peer_id))
        assert isinstance(seen, PeerFound) and seen.matched_keys == frozenset()


async def test_bound_to_the_given_interface_only() -> None:
    async with running([], 40005) as (a, _):
        assert a.state is DiscoveryState.RUNNING
        assert a.addresses == [LOOPBACK]
        assert a.sender_addresses() == [LOOPBACK]


async def test_goodbye_is_noticed() -> None:
    async with running([K1], 40006) as (_, a_events):
        b_events = Recorder()
        b = Discovery(b_events)
        await b.set_circles([K1])
        await b.start([LOOPBACK], 40007)
        try:
            await a_events.wait_for(found(b.peer_id))
        finally:
            await b.close()
        assert b.state is DiscoveryState.CLOSED
        await a_events.wait_for(lambda e: e == PeerGone(b.peer_id), within=5)


async def test_changing_circles_reannounces_with_a_fresh_nonce() -> None:
    async with running([K1], 40008) as (a, a_events), running([K1], 40009) as (b, b_events):
        await a_events.wait_for(found(b.peer_id))
        await b_events.wait_for(found(a.peer_id))
        before = await read_announcement(b.peer_id)
        assert hint(K1, before.nonce) in before.hints

        await b.set_circles([K2])
        # b re-matches a on its own side at once (a no longer shares b's circle)...
        await b_events.wait_for(
            lambda e: e == PeerUpdated(a.peer_id, (LOOPBACK,), 40008, frozenset())
        )
        # ...and a sees b's new announcement.
        await a_events.wait_for(
            lambda e: isinstance(e, PeerUpdated) and e.peer_id == b.peer_id and not e.matched_keys
        )
        after = await read_announcement(b.peer_id)
        assert after.nonce != before.nonce
        assert not set(after.hints) & set(before.hints)
        assert hint(K2, after.nonce) in after.hints and hint(K1, after.nonce) not in after.hints

        # The same circles again still re-announce under a fresh nonce (no visible event).
        await b.set_circles([K2])
        again = await read_announcement(b.peer_id)
        assert again.nonce != after.nonce
        assert hint(K2, again.nonce) in again.hints


async def test_my_own_circle_change_rematches_peers_i_know() -> None:
    async with running([K1], 40010) as (a, a_events), running([K2], 40011) as (b, _):
        first = await a_events.wait_for(found(b.peer_id))
        assert isinstance(first, PeerFound) and first.matched_keys == frozenset()
        await a.set_circles([K1, K2])
        await a_events.wait_for(
            lambda e: e == PeerUpdated(b.peer_id, (LOOPBACK,), 40011, frozenset({K2}))
        )


async def test_events_as_an_async_iterator() -> None:
    a = Discovery()
    await a.start([LOOPBACK], 40012)
    async with running([], 40013) as (b, _):
        async with asyncio.timeout(10):
            async for event in a.events():
                if isinstance(event, PeerFound) and event.peer_id == b.peer_id:
                    break
    await a.close()
    async with asyncio.timeout(5):
        rest = [event async for event in a.events()]
    assert all(isinstance(e, PeerFound | PeerUpdated | PeerGone) for e in rest)


async def test_a_failing_callback_breaks_nothing(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[DiscoveryEvent] = []

    def flaky(event: DiscoveryEvent) -> None:
        seen.append(event)
        raise RuntimeError("consumer bug")

    a = Discovery(flaky)
    await a.start([LOOPBACK], 40014)
    try:
        with caplog.at_level(logging.ERROR, logger="network.discovery.service"):
            async with running([], 40015) as (b, _):
                async with asyncio.timeout(10):
                    for _ in range(100):
                        if any(e.peer_id == b.peer_id for e in seen):
                            break
                        await asyncio.sleep(0.05)
        assert any("callback failed" in r.getMessage() for r in caplog.records)
    finally:
        await a.close()


async def test_misuse_raises_typed_errors() -> None:
    with pytest.raises(DiscoveryStartError, match="no interface"):
        await Discovery().start([], 40016)
    with pytest.raises(InterfaceError, match="not an address of this machine"):
        await Discovery().start(["198.51.100.7"], 40016)
    with pytest.raises(InterfaceError, match="not an IPv4"):
        await Discovery().start(["localhost"], 40016)
    for port in (0, 65536, -1, True):
        with pytest.raises(DiscoveryStartError, match="port"):
            await Discovery().start([LOOPBACK], port)
    with pytest.raises(ValueError, match="ttl"):
        Discovery(ttl=0)
    with pytest.raises(ValueError, match="sweep"):
        Discovery(sweep_interval=0)
    with pytest.raises(ValueError, match="resolve_timeout"):
        Discovery(resolve_timeout=Seconds(0))
    with pytest.raises(DiscoveryStateError, match="callback"):
        await anext(Discovery(lambda e: None).events())

    async with running([K1], 40017) as (a, _):
        with pytest.raises(DiscoveryStateError, match="running"):
            await a.start([LOOPBACK], 40017)
        with pytest.raises(InvalidCircleKey):
            await a.set_circles([K2, b"too short"])
        before = await read_announcement(a.peer_id)
        assert hint(K1, before.nonce) in before.hints  # nothing changed
    await a.close()  # idempotent
    with pytest.raises(DiscoveryStateError, match="closed"):
        await a.set_circles([K1])
    with pytest.raises(DiscoveryStateError, match="closed"):
        await a.start([LOOPBACK], 40017)
    never_started = Discovery()
    await never_started.close()
    assert never_started.state is DiscoveryState.CLOSED


def start_peer(*args: str) -> PeerProcess:
    command = [sys.executable, str(PEER_SCRIPT), *args]
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    return PeerProcess(proc, "crasher")


async def test_a_peer_that_vanishes_without_goodbye_expires() -> None:
    """A killed process sends no goodbye: its records expire, the sweep asks, it is dropped."""
    peer = start_peer("--address", LOOPBACK, "--port", "40018", "--ttl", "1", "--lifetime", "20")
    try:
        crasher = await asyncio.to_thread(peer.ready)
        async with running([], 40019, sweep_interval=0.5, resolve_timeout=1.0) as (_, events):
            await events.wait_for(found(crasher))
            peer.kill()
            await events.wait_for(lambda e: e == PeerGone(crasher), within=15)
    finally:
        peer.kill()
