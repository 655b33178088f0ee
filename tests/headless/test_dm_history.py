"""Direct messages are kept: a message queued for an absent member survives the sender's
restart and arrives once; both sides find the conversation again later."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from messenger.events import DmEvent, DmRequestEvent, Event, PeerConnectedEvent
from messenger.facade import Messenger
from messenger.options import parse_args
from messenger.storage import MINIMUM
from messenger.views import CircleSettingsView, DeliveryState
from network.node import NodeConfig
from tests.closing import close_all

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(90)]


def make(profile: Path) -> Messenger:
    options = parse_args(["--headless", "--profile", str(profile), "--interface", "127.0.0.1"])
    return Messenger(
        options, node_config=NodeConfig(interfaces=("127.0.0.1",), discovery=False), kdf=MINIMUM
    )


async def wait_for(seen: list[Event], kind: type, limit: float = 20.0) -> Event:
    deadline = asyncio.get_running_loop().time() + limit
    while True:
        for event in seen:
            if isinstance(event, kind):
                return event
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"no {kind.__name__}: {[type(e).__name__ for e in seen]}")
        await asyncio.sleep(0.05)


async def test_a_queued_dm_survives_a_restart_and_arrives_once(tmp_path: Path) -> None:
    alice, bob = make(tmp_path / "alice"), make(tmp_path / "bob")
    await alice.start("alice pass")
    await bob.start("bob pass")
    bob_seen: list[Event] = []
    bob.subscribe(bob_seen.append)
    circle = await alice.create_circle(
        "Pairs", pseudonym="Quiet Heron", settings=CircleSettingsView(auto_approve=True)
    )
    await bob.join_link(circle.invite_link, pseudonym="Gentle Fern")
    port = int(alice.listen_addresses[0].rsplit(":", 1)[1])
    await bob.dial("127.0.0.1", port, circle.id)
    await wait_for(bob_seen, PeerConnectedEvent)
    await bob.close()  # Bob goes away; Alice writes to him, it waits in her queue

    sent = await alice.send_dm(circle.id, "Gentle Fern", "are you alright?")
    assert sent.state is DeliveryState.QUEUED
    await alice.close()  # and Alice closes the app before Bob is back

    alice, bob = make(tmp_path / "alice"), make(tmp_path / "bob")
    await alice.start("alice pass")
    await bob.start("bob pass")
    try:
        bob_seen = []
        bob.subscribe(bob_seen.append)
        port = int(alice.listen_addresses[0].rsplit(":", 1)[1])
        await bob.dial("127.0.0.1", port, circle.id)
        request = await wait_for(bob_seen, DmRequestEvent)
        assert isinstance(request, DmRequestEvent) and request.member == "Quiet Heron"
        await bob.accept_dm(circle.id, "Quiet Heron")
        got = await wait_for(bob_seen, DmEvent)
        assert isinstance(got, DmEvent) and got.message.body == "are you alright?"
        assert len([e for e in bob_seen if isinstance(e, DmEvent)]) == 1
        # Both sides find the conversation again, and Alice's copy says it was delivered.
        mine = await alice.direct_messages(circle.id, bob.circle(circle.id).my_key)
        theirs = await bob.direct_messages(circle.id, alice.circle(circle.id).my_key)
        assert [m.body for m in mine] == [m.body for m in theirs] == ["are you alright?"]
        assert mine[0].outgoing and not theirs[0].outgoing
        for _ in range(100):
            mine = await alice.direct_messages(circle.id, bob.circle(circle.id).my_key)
            if mine[0].state is DeliveryState.DELIVERED:
                break
            await asyncio.sleep(0.05)
        assert mine[0].state is DeliveryState.DELIVERED
    finally:
        await close_all(alice, bob)


async def test_read_receipts_and_typing_only_when_both_turn_them_on(tmp_path: Path) -> None:
    from messenger.events import DmStateEvent, TypingEvent

    alice, bob = make(tmp_path / "alice"), make(tmp_path / "bob")
    await alice.start("a")
    await bob.start("b")
    try:
        alice_seen: list[Event] = []
        bob_seen: list[Event] = []
        alice.subscribe(alice_seen.append)
        bob.subscribe(bob_seen.append)
        circle = await alice.create_circle(
            "Pairs", pseudonym="Quiet Heron", settings=CircleSettingsView(auto_approve=True)
        )
        await bob.join_link(circle.invite_link, pseudonym="Gentle Fern")
        await bob.dial("127.0.0.1", int(alice.listen_addresses[0].rsplit(":", 1)[1]), circle.id)
        await wait_for(bob_seen, PeerConnectedEvent)
        alice_key, bob_key = alice.circle(circle.id).my_key, bob.circle(circle.id).my_key

        # Off by default: typing and reading say nothing.
        sent = await alice.send_dm(circle.id, bob_key, "first")
        await wait_for(bob_seen, DmRequestEvent)
        await bob.accept_dm(circle.id, alice_key)
        await wait_for(bob_seen, DmEvent)
        await bob.typing(circle.id, alice_key)
        await bob.mark_read(circle.id, alice_key, [sent.id])
        # Barrier: a reply sent after them; had the typing or the receipt gone out, it came first.
        await bob.send_dm(circle.id, alice_key, "barrier")
        for _ in range(400):
            if any(isinstance(e, DmEvent) and e.message.body == "barrier" for e in alice_seen):
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the barrier reply never arrived")
        assert not [e for e in alice_seen if isinstance(e, TypingEvent)]
        assert not [e for e in alice_seen if isinstance(e, DmStateEvent) and e.state == "read"]

        # Both turn them on.
        for m in (alice, bob):
            await m.set_dm_preferences(read_receipts=True, typing_indicators=True)
        second = await alice.send_dm(circle.id, bob_key, "second")
        await bob.typing(circle.id, alice_key)
        typing = await wait_for(alice_seen, TypingEvent)
        assert isinstance(typing, TypingEvent) and typing.member == "Gentle Fern"
        await bob.mark_read(circle.id, alice_key, [second.id])
        for _ in range(100):
            if any(
                isinstance(e, DmStateEvent) and e.id == second.id and e.state == "read"
                for e in alice_seen
            ):
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("no read receipt")
    finally:
        await close_all(alice, bob)
