"""A newcomer who writes before the host has let them in gets a clear answer and loses nothing:
the post is refused with "waiting for the host to let you in" (nothing is sent), and once the
host says yes, what they write reaches everyone, once. (The desktop app holds the join
dialog's introduction until then: tests/gui/test_introduction_waits.py.)

Real in-process peers on 127.0.0.1; the host asks before letting link joiners in (the default).
"""

from __future__ import annotations

import pytest

from messenger.errors import HearthError
from messenger.views import CircleSettingsView

from .inprocess import Peer

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(60)]


def said(peer: Peer, body: str) -> int:
    return sum(e.get("body") == body for e in peer.of("post"))


async def test_writing_before_the_host_said_yes_is_refused_clearly_then_works() -> None:
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
        await member.until(lambda: any("let in" in e["message"] for e in member.of("info")))

        await newcomer.do(f"/join {circle.invite_link}")
        await host.until(lambda: len(host.of("join_request")) == 2)
        assert newcomer.messenger.circle(circle.id).waiting
        with pytest.raises(HearthError) as refused:
            await newcomer.do("/say Hello, I am new here.")
        assert "waiting for the host to let you in" in str(refused.value)
        await host.messenger.post(circle.id, "barrier before the yes")
        await member.until(lambda: said(member, "barrier before the yes") == 1)
        assert (
            said(host, "Hello, I am new here.") == 0 and said(member, "Hello, I am new here.") == 0
        )

        host.messenger.approve(host.last("join_request")["request"])
        await newcomer.until(lambda: not newcomer.messenger.circle(circle.id).waiting)
        await newcomer.do("/say Hello, I am new here.")
        for peer in (host, member):
            await peer.until(lambda p=peer: said(p, "Hello, I am new here.") == 1)  # type: ignore[misc]
        await newcomer.until(lambda: said(newcomer, "barrier before the yes") == 1)
    finally:
        for peer in peers:
            await peer.close()
