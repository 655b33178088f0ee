"""Real nodes on 127.0.0.1 meeting through a real rendezvous server: direct, or relayed."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import time

import pytest

from network.node import CircleBinding, Node, PeerConnected
from network.rendezvous import EpochKeys, RendezvousServer, epoch_of
from tests.closing import close_all
from tests.node.helpers import Recorder, binding, loopback_config

from .helpers import running_server, until

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(60)]

CIRCLE = b"circle-spanning-"
SECRET = os.urandom(32)
TAG_KEY = os.urandom(32)


def with_rendezvous(b: CircleBinding, server: RendezvousServer) -> CircleBinding:
    return dataclasses.replace(b, rendezvous=str(server.addresses[0]), rendezvous_tag_key=TAG_KEY)


async def started(bindings: list[CircleBinding], **kw: object) -> tuple[Node, Recorder]:
    rec = Recorder()
    defaults: dict[str, object] = {"discovery": False, "rendezvous_lookup_interval": 0.2}
    defaults.update(kw)
    node = Node(rec, loopback_config(**defaults))
    await node.set_circles(bindings)
    await node.start()
    return node, rec


async def test_members_found_via_rendezvous_connect_directly_when_they_can() -> None:
    async with running_server() as server:
        a, ra = await started([with_rendezvous(binding(CIRCLE, SECRET, "A"), server)])
        b, rb = await started([with_rendezvous(binding(CIRCLE, SECRET, "B"), server)])
        try:
            await ra.until(lambda: bool(ra.connected))
            await rb.until(lambda: bool(rb.connected))
            assert ra.connected[0].identity == "B" and rb.connected[0].identity == "A"
            assert a._relay.relayed_dials == b._relay.relayed_dials == 0
            assert server.core.stats().relays_started == 0
        finally:
            await close_all(a, b)


async def test_relay_only_members_talk_through_the_relay() -> None:
    async with running_server() as server:
        a, ra = await started(
            [with_rendezvous(binding(CIRCLE, SECRET, "A"), server)], rendezvous_direct=False
        )
        b, rb = await started(
            [with_rendezvous(binding(CIRCLE, SECRET, "B"), server)], rendezvous_direct=False
        )
        try:
            await ra.until(lambda: bool(ra.connected))
            await rb.until(lambda: bool(rb.connected))
            assert a._relay.relayed_dials + b._relay.relayed_dials >= 1
            assert server.core.stats().relays >= 1
            await a.send(ra.connected[0].peer, b"across the relay")
            await rb.until(lambda: bool(rb.messages))
            assert rb.messages[0].data == b"across the relay"
            await b.send(rb.connected[0].peer, b"and back")
            await ra.until(lambda: bool(ra.messages))
            assert ra.messages[0].data == b"and back"
            await until(lambda: len(a.links()) == 1 and len(b.links()) == 1)
            await b.close()
            await ra.until(lambda: bool(ra.lost))
        finally:
            await close_all(a, b)


async def test_members_of_another_circle_are_not_dialed() -> None:
    async with running_server() as server:
        a, ra = await started([with_rendezvous(binding(CIRCLE, SECRET, "A"), server)])
        other = dataclasses.replace(
            binding(b"another-circle--", os.urandom(32), "X"),
            rendezvous=str(server.addresses[0]),
            rendezvous_tag_key=os.urandom(32),
        )
        x, rx = await started([other])
        try:
            await until(lambda: server.core.stats().registrations == 2)
            await asyncio.sleep(0.6)  # a few lookup rounds
            assert not ra.connected and not rx.connected
        finally:
            await close_all(a, x)


async def test_dropping_the_circle_unregisters_it() -> None:
    async with running_server() as server:
        a, ra = await started([with_rendezvous(binding(CIRCLE, SECRET, "A"), server)])
        try:
            await until(lambda: server.core.stats().registrations == 1)
            await a.set_circles([])
            await until(lambda: server.core.stats().registrations == 0)
            await until(lambda: server.core.stats().connections == 0)
        finally:
            await a.close()


async def test_a_bad_rendezvous_address_is_ignored() -> None:
    bad = dataclasses.replace(
        binding(CIRCLE, SECRET, "A"), rendezvous="not an address", rendezvous_tag_key=TAG_KEY
    )
    a, ra = await started([bad])
    b, rb = await started([binding(CIRCLE, SECRET, "B")])
    try:
        assert not a._relay._watchers
        pb = b.listen_addresses[0]
        await a.connect(pb.host, pb.port, CIRCLE)  # the node itself works as before
        await rb.until(lambda: bool(rb.connected))
        assert isinstance(rb.connected[0], PeerConnected)
    finally:
        await close_all(a, b)


async def test_closing_the_node_closes_its_registrations() -> None:
    async with running_server() as server:
        a, _ = await started([with_rendezvous(binding(CIRCLE, SECRET, "A"), server)])
        await until(lambda: server.core.stats().registrations == 1)
        await a.close()
        await until(lambda: server.core.stats().connections == 0)


async def test_a_changed_binding_keeps_its_registration() -> None:
    async with running_server() as server:
        first = with_rendezvous(binding(CIRCLE, SECRET, "A"), server)
        a, _ = await started([first])
        try:
            await until(lambda: server.core.stats().registrations == 1)
            [before] = server.core.registrations(
                EpochKeys.derive(TAG_KEY, epoch_of(time.time())).tag
            )
            await a.set_circles([dataclasses.replace(first, payload=b"A, renamed")])
            await asyncio.sleep(0.5)
            assert [r.token for r in server.core.registrations(before.tag)] == [before.token]
        finally:
            await a.close()
