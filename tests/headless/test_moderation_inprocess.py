"""Moderation in the running app, through headless sessions in this process on 127.0.0.1.

- Forged moderation events sent over real links are ignored: signed by an ordinary member (the
  wrong key), with a broken signature, replayed from another circle, or from a co-moderator after
  their removal.
- A member who floods is cut off and refused for a cool-down; the host is told (on screen when it
  is the host's own link, by a signed flood report from any other member's client).
- What moderation decided survives a restart of a profile on disk: the removal, the rotated
  secret, slow mode, and the person's boundaries.
- Bad input to the commands gets a typed error with a clear reason.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from messenger.errors import HearthError
from messenger.moderation import Hide, Reason, SlowMode, sign_event
from messenger.moderation.wire import Events, encode
from messenger.mux import Lane
from messenger.runtime import CircleRuntime
from tests.closing import close_all

from .inprocess import Peer, circle_of

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(60)]


def runtime(peer: Peer, circle_id: bytes) -> CircleRuntime:
    return peer.messenger._session(circle_id).rt


def linked_now(rt: CircleRuntime, member: bytes) -> bool:
    """Linked to ``member`` at the circle's current epoch."""
    link = rt.link_for(member)
    return link is not None and rt.link_epochs.get(link) == rt.circle.epoch > 0


async def send_events(sender: Peer, circle_id: bytes, to: bytes, *events: bytes) -> None:
    """Put moderation events on the sender's real link to ``to``, as a modified client would."""
    rt = runtime(sender, circle_id)
    link = rt.link_for(to)
    assert link is not None
    await sender.messenger._wire.send(link, Lane.MODERATION, encode(Events(events)))


async def test_forged_moderation_events_are_ignored() -> None:
    host, ada, bo = Peer(), Peer(), Peer()
    try:
        for peer in (host, ada, bo):
            await peer.start()
        await circle_of(host, [ada, bo])
        circle_id = host.messenger.circles()[0].id
        await ada.do("/say a post nobody may hide but the host")
        await host.until(lambda: host.of("post"))
        post = host.last("post")
        post_id = bytes.fromhex(post["id"])
        h, a, b = (runtime(p, circle_id) for p in (host, ada, bo))
        now = host.messenger._now_ms()

        # Signed by an ordinary member; the same with a broken signature.
        forged = sign_event(a.membership, 1, now, Hide(post_id)).signed
        broken = forged[:-1] + bytes([forged[-1] ^ 1])
        await send_events(ada, circle_id, h.me, forged, broken)
        await host.until(lambda: h.mod.stats[Reason.BAD_SIGNATURE] >= 1)
        await host.until(lambda: h.mod.stats[Reason.NOT_MODERATOR] >= 1)

        # The host's own slow-mode event from another circle, replayed into this one.
        await host.do("/create Other Circle")
        other = next(c.id for c in host.messenger.circles() if c.id != circle_id)
        await host.do("/slow 600")
        replayed = runtime(host, other).mod.state.events()[-1].signed
        await send_events(ada, circle_id, b.me, replayed)
        await bo.until(lambda: b.mod.stats[Reason.WRONG_CIRCLE] >= 1)

        # A co-moderator, removed, still signs with its old key: relayed by a member, ignored.
        await host.do(f"/use {circle_id.hex()}")
        await host.do(f"/appoint {b.membership.pseudonym}")
        await bo.until(lambda: b.is_moderator)
        await ada.until(lambda: a.mod.state.is_moderator(b.me))
        await host.do(f"/remove {b.membership.pseudonym}")
        await ada.until(lambda: not a.mod.is_member(b.me))
        await ada.until(lambda: linked_now(a, h.me) and linked_now(h, a.me))  # the new epoch
        seq = h.mod.state.next_seq(b.me)
        late = sign_event(b.membership, seq, host.messenger._now_ms(), Hide(post_id)).signed
        late_slow = sign_event(b.membership, seq + 1, now, SlowMode(900)).signed
        await send_events(ada, circle_id, h.me, late, late_slow)
        await host.until(lambda: len(h.mod.state) >= 4)  # stored, as evidence, but void

        # Barrier: a post from the host, on the same link after anything it passed on to ada.
        await host.do("/say barrier")
        await ada.until(lambda: any(p["body"] == "barrier" for p in ada.of("post")))
        for rt in (h, a):
            assert not rt.mod.state.is_hidden(post_id)
            assert rt.mod.state.slow_mode == 0
        assert not host.of("post_hidden") and not ada.of("post_hidden")
        history = await host.messenger.history(circle_id)
        assert [p.body for p in history if not p.hidden] == [post["body"], "barrier"]
    finally:
        await close_all(host, ada, bo)


async def flood(sender: Peer, circle_id: bytes, to: bytes, count: int) -> None:
    """Garbage on the conversation lane, as fast as the link takes it."""
    link = runtime(sender, circle_id).link_for(to)
    assert link is not None
    for _ in range(count):
        await sender.messenger._wire.send(link, Lane.CONVERSATION, b"\xc1")


async def test_a_flooding_member_is_cut_off_refused_and_the_host_is_told() -> None:
    host, noisy, calm = Peer(), Peer(), Peer()
    try:
        for peer in (host, noisy, calm):
            await peer.start()
        await circle_of(host, [noisy, calm])
        circle_id = host.messenger.circles()[0].id
        h, n, c = (runtime(p, circle_id) for p in (host, noisy, calm))

        # An ordinary member's client cuts the flooder off and tells the moderators.
        await flood(noisy, circle_id, c.me, 320)
        await calm.until(
            lambda: c.link_for(n.me) is None and c.mod.flood.refuses(n.me, calm.messenger._now_ms())
        )
        await host.until(lambda: host.of("report"))
        report = host.last("report")
        assert report["reason"] == "flood" and report["member_key"] == n.me.hex()
        assert report["reporter_key"] == c.me.hex()  # a client's notice is signed
        assert not calm.of("report") and not noisy.of("report")

        # Flooding the host: cut off, and the host is told on screen.
        await flood(noisy, circle_id, h.me, 320)
        await host.until(
            lambda: any("sending too much" in str(e["message"]) for e in host.of("info"))
        )
        # Refused while cooling down: no link comes back (its node redials every 0.25-2 s).
        await asyncio.sleep(2)
        assert h.link_for(n.me) is None and c.link_for(n.me) is None
        assert h.link_for(c.me) is not None  # the others stay linked
    finally:
        await close_all(host, noisy, calm)


async def test_moderation_survives_a_restart(tmp_path: Path) -> None:
    profile = tmp_path / "host"
    host, ada = Peer(profile), Peer()
    try:
        await host.start("pass phrase")
        await ada.start()
        first_link = await circle_of(host, [ada])
        await ada.do("/say soon gone")
        await host.until(lambda: host.of("post"))
        await host.do(f"/remove {ada.messenger.circles()[0].my_pseudonym}")
        await ada.until(lambda: ada.of("member_removed"))
        await host.do("/slow 30")
        await host.do("/boundaries storms, sirens")
        await host.do("/invite")
        rotated_link = host.last("circle")["invite"]
        assert rotated_link != first_link
    finally:
        await close_all(host, ada)

    again = Peer(profile)
    try:
        await again.start("pass phrase")
        circle = again.messenger.circles()[0]
        assert circle.invite_link == rotated_link and circle.settings.slow_mode_seconds == 30
        await again.do("/members")
        assert [m["me"] for m in again.last("list")["items"]] == [True]
        await again.do("/history")
        assert again.last("list")["items"] == []  # the removed member's post stays hidden
        await again.do("/boundaries")
        assert [b["boundary"] for b in again.last("list")["items"]] == ["storms", "sirens"]
    finally:
        await again.close()


@pytest.mark.parametrize(
    ("line", "code", "words"),
    [
        ("/slow soon", "not_allowed", "usage"),
        ("/slow 99999", "not_allowed", "0 to 3600"),
        ("/hide zz", "not_allowed", "post id"),
        ("/hide 00000000", "not_allowed", "no post"),
        ("/block", "usage", "missing"),
        ("/block Nobody At All", "not_found", "no member"),
        ("/report", "usage", "missing"),
        ("/boundaries " + "x" * 5000, "not_allowed", ""),
        ("/close", "not_allowed", "only the host"),
    ],
)
async def test_bad_moderation_input_gets_a_clear_error(line: str, code: str, words: str) -> None:
    host, ada = Peer(), Peer()
    try:
        await host.start()
        await ada.start()
        await circle_of(host, [ada])
        with pytest.raises(HearthError) as error:
            await (ada if line == "/close" else host).do(line)
        assert error.value.code == code
        assert words in str(error.value)
    finally:
        await close_all(host, ada)
