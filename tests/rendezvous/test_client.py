"""The client library against a real server: refresh, epoch rotation, reconnection, lookups."""

from __future__ import annotations

import os
import socket
import time

import pytest

from network.noise import KeyPair
from network.rendezvous import (
    EPOCH_LENGTH,
    EpochKeys,
    RendezvousAddress,
    ServerLink,
    Unavailable,
    epoch_of,
)

from .helpers import fast_client, running_server, until

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(30)]

TAG_KEY = os.urandom(32)


class Clock:
    """Wall time shifted by a settable offset (shared by the server and clients of a test)."""

    def __init__(self, offset: float = 0.0) -> None:
        self.offset = offset

    def __call__(self) -> float:
        return time.time() + self.offset

    def lagging(self, seconds: float) -> Clock:
        return _Lagging(self, seconds)


class _Lagging(Clock):
    def __init__(self, base: Clock, lag: float) -> None:
        super().__init__()
        self.base, self.lag = base, lag

    def __call__(self) -> float:
        return self.base() - self.lag


def at_epoch_offset(seconds_into_epoch: float) -> Clock:
    now = time.time()
    target = (epoch_of(now) + 5) * EPOCH_LENGTH + seconds_into_epoch
    return Clock(target - now)


async def test_registration_is_refreshed_at_half_its_ttl() -> None:
    async with running_server(max_ttl=2) as server:
        client = fast_client(server.addresses[0])
        handle = await client.register(TAG_KEY)
        token = handle.token
        assert handle.ttl is not None and handle.ttl <= 2
        await until(lambda: handle.registrations >= 3)
        assert handle.token == token  # refreshed, not re-made
        assert server.core.stats().registrations == 1
        assert server.core.stats().connections == 1
        await client.close()
        await until(lambda: server.core.stats().registrations == 0)
        assert not handle.registered


async def test_a_new_epoch_moves_the_registration_to_a_new_tag_and_connection() -> None:
    clock = at_epoch_offset(1000)
    async with running_server(max_ttl=2, clock=clock) as server:
        member = fast_client(server.addresses[0], clock=clock)
        seeker = fast_client(server.addresses[0], clock=clock)
        handle = await member.register(TAG_KEY, b"me")
        first_epoch, first_token = handle.epoch, handle.token
        assert first_epoch == epoch_of(clock())
        old_tag = EpochKeys.derive(TAG_KEY, first_epoch).tag
        assert len(server.core.registrations(old_tag)) == 1

        clock.offset += EPOCH_LENGTH  # an hour passes
        await until(lambda: handle.epoch == first_epoch + 1)
        assert handle.token != first_token
        new_tag = EpochKeys.derive(TAG_KEY, first_epoch + 1).tag
        await until(lambda: not server.core.registrations(old_tag))
        assert len(server.core.registrations(new_tag)) == 1
        assert old_tag != new_tag
        await until(lambda: server.core.stats().connections == 1)  # the old connection closed
        found = await seeker.lookup(TAG_KEY)
        assert [(r.info, r.epoch) for r in found] == [(b"me", first_epoch + 1)]
        await member.close()
        await seeker.close()


async def test_lookups_near_a_boundary_find_members_whose_clock_lags() -> None:
    clock = at_epoch_offset(100)  # 100 s into an epoch
    lagging = clock.lagging(200)  # this member still lives in the previous epoch
    async with running_server(clock=clock) as server:
        member = fast_client(server.addresses[0], clock=lagging)
        seeker = fast_client(server.addresses[0], clock=clock)
        handle = await member.register(TAG_KEY, b"late")
        assert handle.epoch == epoch_of(clock()) - 1
        assert seeker.lookup_epochs() == [epoch_of(clock()) - 1, epoch_of(clock())]
        [found] = await seeker.lookup(TAG_KEY)
        assert found.info == b"late" and found.epoch == epoch_of(clock()) - 1
        await member.close()
        await seeker.close()
    middle = fast_client(server.addresses[0], clock=at_epoch_offset(EPOCH_LENGTH / 2))
    assert len(middle.lookup_epochs()) == 1
    ahead = fast_client(server.addresses[0], clock=at_epoch_offset(EPOCH_LENGTH - 100))
    assert len(ahead.lookup_epochs()) == 2


async def test_the_registration_comes_back_after_the_server_restarts() -> None:
    key = KeyPair.generate()
    async with running_server(key) as server:
        port = server.addresses[0].port
        client = fast_client(server.addresses[0])
        handle = await client.register(TAG_KEY)
        first = handle.token
    await until(lambda: not handle.registered)
    async with running_server(key, port=port) as again:
        await until(lambda: handle.registered)
        assert handle.token != first
        assert again.core.stats().registrations == 1
        await client.close()


async def test_registrations_not_sealed_with_the_circle_key_are_ignored() -> None:
    async with running_server() as server:
        keys = EpochKeys.derive(TAG_KEY, epoch_of(time.time()))
        link = await ServerLink.open(server.addresses[0])
        link.start()
        await link.register(keys, os.urandom(298), int(time.time()), 600)  # junk info
        seeker = fast_client(server.addresses[0])
        assert await seeker.lookup(TAG_KEY) == []
        await link.close()
        await seeker.close()


async def test_an_unreachable_server() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = fast_client(RendezvousAddress("127.0.0.1", port, os.urandom(32)))
    with pytest.raises(Unavailable):
        await client.register(TAG_KEY)
    with pytest.raises(Unavailable):
        await client.lookup(TAG_KEY)
    await client.close()
    with pytest.raises(Unavailable):
        await client.open_link()


async def test_bad_arguments() -> None:
    async with running_server() as server:
        client = fast_client(str(server.addresses[0]))  # type: ignore[arg-type]
        assert client.address == server.addresses[0]
        with pytest.raises(ValueError):
            await client.register(b"short")
        with pytest.raises(ValueError):
            await client.register(TAG_KEY, b"x" * 257)
        await client.close()
