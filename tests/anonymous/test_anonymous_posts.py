"""Anonymous posts in the product (issue 17), in-process peers over real sockets on 127.0.0.1:
they travel through dining-cryptographers rounds over the circle's links, name nobody in events
and history, are synced by id, and forgeries are refused."""

from __future__ import annotations

from dataclasses import replace

import pytest
from nacl.signing import SigningKey

from messenger.anonymity import POST, AnonymousLane, NobodyToName, ring
from messenger.anonymous import wire
from messenger.anonymous.rounds import RoundLimits
from messenger.conversation import sign_post
from messenger.conversation.anon_envelope import (
    ANONYMOUS_AUTHOR,
    decode_anonymous_post,
    make_anonymous_post,
)
from messenger.conversation.errors import ComposeError
from messenger.errors import HearthError
from messenger.moderating import ModerationRefused
from messenger.pump import SessionPump
from messenger.runtime import CircleRuntime
from messenger.session import CircleSession
from tests.headless.inprocess import FAST, Peer

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(120)]

LIMITS = RoundLimits(round_every_ms=200, quiet_every_ms=200, round_timeout_ms=3000, per_window=50)
ANON = replace(FAST, anonymous=LIMITS)


async def anonymous_circle(n: int) -> tuple[list[Peer], bytes]:
    peers = [await Peer(config=ANON).start() for _ in range(n)]
    host, members = peers[0], peers[1:]
    await host.do("/create --anonymous Feedback")
    link = str(host.last("circle")["invite"])
    for member in members:
        await member.do(f"/join {link}")
    for peer in peers:
        await peer.until(lambda p=peer: len({e["key"] for e in p.of("peer_connected")}) >= n - 1)  # type: ignore[misc]
    return peers, bytes.fromhex(str(host.last("circle")["id"]))


def session_of(peer: Peer, circle_id: bytes) -> CircleSession:
    return peer.messenger._circles.session(circle_id)


def pump_of(peer: Peer, circle_id: bytes) -> SessionPump:
    return peer.messenger._circles.pump(circle_id)


def posts_with(peer: Peer, body: str) -> list[dict[str, object]]:
    return [e for e in peer.of("post") if e["body"] == body]


async def test_anonymous_posts_travel_in_rounds_and_name_nobody() -> None:
    peers, circle_id = await anonymous_circle(4)
    try:
        author = peers[2]
        await author.do("/say the rota is unfair")
        for peer in peers:
            await peer.until(lambda p=peer: posts_with(p, "the rota is unfair"), 30)  # type: ignore[misc]
        for peer in peers:
            (event,) = posts_with(peer, "the rota is unfair")
            assert event["author_key"] == "" and event["seq"] == 0 and event["author"] == ""
            await peer.do("/history 10")
            items = peer.last("list")["items"]
            (item,) = [i for i in items if i["body"] == "the rota is unfair"]
            assert item["author_key"] == "" and item["seq"] == 0
        # What every other member stored names no key: the bytes hold no member key at all.
        record = await pump_of(peers[0], circle_id).store.get_post(
            bytes.fromhex(str(posts_with(peers[0], "the rota is unfair")[0]["id"]))
        )
        assert record is not None
        members = ring(session_of(peers[0], circle_id).rt)
        post = decode_anonymous_post(record.signed)
        assert set(post.proof.ring) == set(members)  # the whole roster, not one key
    finally:
        for peer in peers:
            await peer.close()


async def test_a_latecomer_catches_up_anonymous_posts_by_id() -> None:
    peers, circle_id = await anonymous_circle(3)
    late = await Peer(config=ANON).start()
    try:
        await peers[1].do("/say before you came")
        for peer in peers:
            await peer.until(lambda p=peer: posts_with(p, "before you came"), 30)  # type: ignore[misc]
        link = str(peers[0].last("circle")["invite"])
        await late.do(f"/join {link}")
        await late.until(lambda: posts_with(late, "before you came"), 30)
        (event,) = posts_with(late, "before you came")
        assert event["author_key"] == "" and event["seq"] == 0
    finally:
        for peer in (*peers, late):
            await peer.close()


async def test_forged_anonymous_posts_are_refused() -> None:
    """A ring that names an outsider, or a removed member, is refused; a signed post that calls
    itself anonymous is refused too (it would carry its author's key)."""
    peers, circle_id = await anonymous_circle(3)
    try:
        target = session_of(peers[0], circle_id)
        rt = target.rt
        outsider = SigningKey.generate()
        members = ring(rt)
        forged = make_anonymous_post(
            bytes(outsider),
            [*members, bytes(outsider.verify_key)],
            circle_id,
            rt.circle.epoch,
            "forged by an outsider",
            target.now_ms(),
        )
        member_key = members[1] if members[1] != rt.me else members[2]
        push = wire.encode(wire.Posts((forged.post.signed,)))
        target.anon.receive(member_key, next(iter(rt.links)), push)
        await pump_of(peers[0], circle_id).drain()
        # a barrier: a real anonymous post after the forgery arrives, the forgery never does
        await peers[1].do("/say barrier")
        await peers[0].until(lambda: posts_with(peers[0], "barrier"), 30)
        assert not posts_with(peers[0], "forged by an outsider")
        with pytest.raises(ComposeError):
            sign_post(outsider, circle_id, 1, "named but anonymous", 0, anonymous=True)

        # A removed member keeps its key and the old roster: its ring is refused all the same.
        gone = session_of(peers[2], circle_id).rt
        await peers[0].do(f"/remove {gone.membership.pseudonym}")
        await peers[0].until(lambda: not rt.mod.is_member(gone.me), 30)
        removed = make_anonymous_post(
            gone.membership.signing_seed,
            members,  # the roster before the removal, the removed member in it
            circle_id,
            rt.circle.epoch,
            "forged by a removed member",
            target.now_ms(),
        )
        push = wire.encode(wire.Posts((removed.post.signed,)))
        target.anon.receive(member_key, next(iter(rt.links)), push)
        await pump_of(peers[0], circle_id).drain()
        assert not posts_with(peers[0], "forged by a removed member")
        assert await pump_of(peers[0], circle_id).store.get_post(removed.id) is None
    finally:
        for peer in peers:
            await peer.close()


async def test_nobody_can_dm_or_block_the_author_of_an_anonymous_post() -> None:
    peers, circle_id = await anonymous_circle(3)
    try:
        await peers[1].do("/say guess who")
        await peers[0].until(lambda: posts_with(peers[0], "guess who"), 30)
        (event,) = posts_with(peers[0], "guess who")
        author_key = bytes.fromhex(str(event["author_key"]))  # empty: nobody to name
        messenger = peers[0].messenger
        with pytest.raises(NobodyToName):
            await messenger.send_dm(circle_id, author_key, "was it you?")
        with pytest.raises(NobodyToName):
            await messenger.moderation.block(circle_id, author_key)
        with pytest.raises(NobodyToName):
            await messenger.send_dm(circle_id, ANONYMOUS_AUTHOR, "was it you?")
        await messenger.moderation.hide(circle_id, bytes.fromhex(str(event["id"])))
        await peers[2].until(lambda: any(e["event"] == "post_hidden" for e in peers[2].events), 30)
    finally:
        for peer in peers:
            await peer.close()


async def test_a_moderator_cuts_off_an_anonymous_flood_without_naming_anyone() -> None:
    peers, circle_id = await anonymous_circle(4)
    host, author, other = peers[0], peers[2], peers[3]
    try:
        await author.do("/say flood one")
        for peer in peers:
            await peer.until(lambda p=peer: posts_with(p, "flood one"), 30)  # type: ignore[misc]
        flood = bytes.fromhex(str(posts_with(host, "flood one")[0]["id"]))
        with pytest.raises(ModerationRefused):  # only moderators
            await other.messenger.moderation.cut_off(circle_id, flood)
        await host.messenger.moderation.cut_off(circle_id, flood)
        lane = session_of(author, circle_id).anon
        rt = session_of(author, circle_id).rt
        # The author's own client learns of the cut-off (it cannot tell whose tag it is: it
        # only knows the tag is its own) and says so instead of sending.
        await author.until(lambda: lane.budget.is_cut_off(*_my_tag(rt, lane)), 30)
        with pytest.raises(HearthError) as refused:
            await author.do("/say flood two")
        assert refused.value.code == "anonymous_limit"
        # A modified client sends anyway: every member refuses it.
        _send_anyway(rt, lane, "flood two")
        await author.until(lambda: lane.pending == 0, 30)  # released in a round, to everyone
        await other.do("/say after the flood")  # a later round: the barrier
        for peer in peers:
            await peer.until(lambda p=peer: posts_with(p, "after the flood"), 30)  # type: ignore[misc]
            assert not posts_with(peer, "flood two")
    finally:
        for peer in peers:
            await peer.close()


def _send_anyway(rt: CircleRuntime, lane: AnonymousLane, body: str) -> None:
    """What a modified client does: sign an anonymous post and put it in the rounds without
    asking its own budget."""
    made = make_anonymous_post(
        rt.membership.signing_seed, ring(rt), rt.id, rt.circle.epoch, body, lane.session.now_ms()
    )
    lane.member().submit(bytes([POST]) + made.post.signed)


def _my_tag(rt: CircleRuntime, lane: AnonymousLane) -> tuple[int, bytes]:
    """My anonymous posts' (window, linkage tag) now: what a cut-off names."""
    probe = make_anonymous_post(
        rt.membership.signing_seed, ring(rt), rt.id, rt.circle.epoch, "probe", lane.session.now_ms()
    )
    return probe.proof.window, probe.proof.linkage_tag


async def test_the_hourly_budget_refuses_more_posts_from_one_person_without_naming_them() -> None:
    """Each person's anonymous posts are counted by the linkage tag of the hour (never by who
    they are): past the budget the stock client says so and keeps the words; a modified client
    that sends anyway is refused by every member."""
    limits = replace(LIMITS, per_window=2)
    config = replace(FAST, anonymous=limits)
    peers = [await Peer(config=config).start() for _ in range(4)]
    host, author, other = peers[0], peers[2], peers[3]
    try:
        await host.do("/create --anonymous Feedback")
        link = str(host.last("circle")["invite"])
        for member in peers[1:]:
            await member.do(f"/join {link}")
        for peer in peers:
            await peer.until(lambda p=peer: len({e["key"] for e in p.of("peer_connected")}) >= 3)  # type: ignore[misc]
        circle_id = bytes.fromhex(str(host.last("circle")["id"]))
        for n in (1, 2):
            await author.do(f"/say feedback {n}")
        with pytest.raises(HearthError) as refused:
            await author.do("/say feedback 3")
        assert refused.value.code == "anonymous_limit" and "2 anonymous posts an hour" in str(
            refused.value
        )
        # A modified client signs a third and puts it in the rounds all the same.
        lane = session_of(author, circle_id).anon
        rt = session_of(author, circle_id).rt
        _send_anyway(rt, lane, "feedback 3, sent anyway")
        await author.until(lambda: lane.pending == 0, 30)
        await other.do("/say barrier after the budget")  # someone else's post, a later round
        for peer in peers:
            await peer.until(lambda p=peer: posts_with(p, "barrier after the budget"), 30)  # type: ignore[misc]
            assert posts_with(peer, "feedback 1") and posts_with(peer, "feedback 2")
            assert not posts_with(peer, "feedback 3, sent anyway")
    finally:
        for peer in peers:
            await peer.close()
