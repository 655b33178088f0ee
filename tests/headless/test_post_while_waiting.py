"""A newcomer who writes before the host has let them in (the join dialog's introduction is
posted right after joining) loses nothing: once the host says yes, everyone gets it, once.

Real in-process peers on 127.0.0.1. The host asks before letting link joiners in (the
default); the newcomer posts while still waiting, the host lets them in a moment later.
"""

from __future__ import annotations

import pytest

from messenger.views import CircleSettingsView

from .inprocess import Peer

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(60)]


def said(peer: Peer, body: str) -> int:
    return sum(e.get("body") == body for e in peer.of("post"))


async def test_an_introduction_written_before_the_host_said_yes_arrives_after() -> None:
    host, member, newcomer = Peer(), Peer(), Peer()
    peers = [host, member, newcomer]
    try:
        for peer in peers:
            await peer.start()
        circle = await host.messenger.create_circle(
            "Harbour Circle", pseudonym="Quiet Heron", settings=CircleSettingsView()
        )
        await member.do(f"/join {circle.invite_link}")
        await host.until(lambda: host.of("join_request"))
        host.messenger.approve(host.last("join_request")["request"])
        await member.until(lambda: any("you were let in" in e["message"] for e in member.of("info")))

        await newcomer.do(f"/join {circle.invite_link}")
        await host.until(lambda: len(host.of("join_request")) == 2)
        await newcomer.do("/say Hello, I am new here.")  # still waiting for the host
        await host.do("/say barrier before the yes")
        await member.until(lambda: said(member, "barrier before the yes") == 1)
        assert said(host, "Hello, I am new here.") == 0  # not in before the host said yes

        host.messenger.approve(host.last("join_request")["request"])
        for peer in (host, member):
            await peer.until(lambda p=peer: said(p, "Hello, I am new here.") == 1)  # type: ignore[misc]
        await newcomer.do("/say and a second line")
        for peer in (host, member):
            await peer.until(lambda p=peer: said(p, "and a second line") == 1)  # type: ignore[misc]
        assert [said(p, "Hello, I am new here.") for p in peers] == [1, 1, 1]
    finally:
        for peer in peers:
            await peer.close()
