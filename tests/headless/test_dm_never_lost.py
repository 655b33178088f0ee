"""No direct message is lost, or marked delivered before the recipient's client has it (issue 15
item 2): real profiles on disk, real links on 127.0.0.1.

- A message from a member I blocked is acknowledged (so the sender can never tell a block) but
  kept: when I unblock them it is a request I can accept, and what they send after the unblock
  arrives (before, an unblock never lifted the silent decline: everything later was acknowledged
  and dropped, "Delivered" and lost for good).
- A request nobody answered survives the recipient's restart (it was held in memory only), and the
  list of private conversations comes back with it.
- A message sent right after the circle's secret rotated (a removal) arrives.
- "Delivered" only ever shows for a message the recipient's store already holds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from messenger.events import DmEvent, DmRequestEvent, DmStateEvent, Event, PeerConnectedEvent
from messenger.facade import Messenger
from messenger.views import CircleSettingsView, DeliveryState

from .test_dm_history import make

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(90)]


async def until(
    seen: list[Event], check: Callable[[Event], bool], *, after: int = 0, limit: float = 20.0
) -> Event:
    """The first event in ``seen`` (from index ``after``) for which ``check`` holds, waiting up
    to ``limit`` seconds."""
    deadline = asyncio.get_running_loop().time() + limit
    while True:
        for event in seen[after:]:
            if check(event):
                return event
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError([type(e).__name__ for e in seen])
        await asyncio.sleep(0.02)


def port_of(m: Messenger) -> int:
    return int(m.listen_addresses[0].rsplit(":", 1)[1])


class Pair:
    """Alice hosts a circle; Bob joins by its link and dials her."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.alice, self.bob = make(tmp_path / "alice"), make(tmp_path / "bob")
        self.alice_seen: list[Event] = []
        self.bob_seen: list[Event] = []
        self.delivered_but_missing: list[bytes] = []

    async def start(self) -> None:
        await self.alice.start("alice pass")
        await self.bob.start("bob pass")
        self.alice.subscribe(self.alice_seen.append)
        self.alice.subscribe(self._check_delivered)
        self.bob.subscribe(self.bob_seen.append)

    def _check_delivered(self, event: Event) -> None:
        """At the moment Alice is told "delivered", Bob's store must hold the message."""
        if isinstance(event, DmStateEvent) and event.state == DeliveryState.DELIVERED.value:
            # Asked on Bob's database thread, right now (the loop waits for the answer).
            asked = self.bob._db()._submit(lambda store, i: store.get_dm(i), event.id)
            if asked.result(timeout=10) is None:
                self.delivered_but_missing.append(event.id)

    async def link(self, circle_id: bytes) -> None:
        mark = len(self.bob_seen)
        await self.bob.dial("127.0.0.1", port_of(self.alice), circle_id)
        await until(self.bob_seen, lambda e: isinstance(e, PeerConnectedEvent), after=mark)

    async def close(self) -> None:
        await self.alice.close()
        await self.bob.close()


async def bodies_seen(seen: list[Event]) -> list[str]:
    return [e.message.body for e in seen if isinstance(e, DmEvent)]


async def test_block_unblock_and_a_rotation_lose_nothing(tmp_path: Path) -> None:
    pair = Pair(tmp_path)
    await pair.start()
    alice, bob = pair.alice, pair.bob
    try:
        circle = await alice.create_circle(
            "Pairs", pseudonym="Quiet Heron", settings=CircleSettingsView(auto_approve=True)
        )
        await bob.join_link(circle.invite_link, pseudonym="Gentle Fern")
        await pair.link(circle.id)
        alice_key, bob_key = alice.circle(circle.id).my_key, bob.circle(circle.id).my_key
        await alice.send_dm(circle.id, bob_key, "hello")
        await until(pair.bob_seen, lambda e: isinstance(e, DmRequestEvent))
        await bob.accept_dm(circle.id, alice_key)
        await until(pair.bob_seen, lambda e: isinstance(e, DmEvent))

        await bob.moderation.block(circle.id, alice_key)
        blocked = await alice.send_dm(circle.id, bob_key, "while you blocked me")
        await until(
            pair.alice_seen,
            lambda e: isinstance(e, DmStateEvent) and e.id == blocked.id and e.state == "delivered",
        )
        assert await bodies_seen(pair.bob_seen) == ["hello"]  # not shown while blocked
        assert [t.peer_key for t in await bob.direct_threads(circle.id)] == []

        mark = len(pair.bob_seen)
        await bob.moderation.unblock(circle.id, alice_key)
        await until(pair.bob_seen, lambda e: isinstance(e, DmRequestEvent), after=mark)
        threads = await bob.direct_threads(circle.id)
        assert [(t.peer, t.request) for t in threads] == [("Quiet Heron", True)]
        await alice.send_dm(circle.id, bob_key, "after the unblock")
        await bob.accept_dm(circle.id, alice_key)
        await until(
            pair.bob_seen,
            lambda e: isinstance(e, DmEvent) and e.message.body == "after the unblock",
        )
        assert "while you blocked me" in await bodies_seen(pair.bob_seen)

        # A rotation of the circle's secret (Alice removes a third member): the next
        # message still arrives.
        carol = make(tmp_path / "carol")
        await carol.start("carol pass")
        try:
            await carol.join_link(circle.invite_link, pseudonym="Brave Otter")
            carol_seen: list[Event] = []
            carol.subscribe(carol_seen.append)
            await carol.dial("127.0.0.1", port_of(alice), circle.id)
            await until(carol_seen, lambda e: isinstance(e, PeerConnectedEvent))
            await alice.moderation.remove(circle.id, carol.circle(circle.id).my_key)
        finally:
            await carol.close()
        await alice.send_dm(circle.id, bob_key, "after the rotation")
        await until(
            pair.bob_seen,
            lambda e: isinstance(e, DmEvent) and e.message.body == "after the rotation",
        )
        assert pair.delivered_but_missing == []
    finally:
        await pair.close()


async def test_an_unanswered_request_and_the_list_survive_a_restart(tmp_path: Path) -> None:
    pair = Pair(tmp_path)
    await pair.start()
    circle = await pair.alice.create_circle(
        "Pairs", pseudonym="Quiet Heron", settings=CircleSettingsView(auto_approve=True)
    )
    await pair.bob.join_link(circle.invite_link, pseudonym="Gentle Fern")
    await pair.link(circle.id)
    alice_key = pair.alice.circle(circle.id).my_key
    bob_key = pair.bob.circle(circle.id).my_key
    sent = await pair.alice.send_dm(circle.id, bob_key, "can we talk?")
    await until(pair.bob_seen, lambda e: isinstance(e, DmRequestEvent))
    await until(
        pair.alice_seen,
        lambda e: isinstance(e, DmStateEvent) and e.id == sent.id and e.state == "delivered",
    )
    assert pair.delivered_but_missing == []
    await pair.close()  # Bob quits without answering

    bob = make(tmp_path / "bob")
    await bob.start("bob pass")
    try:
        seen: list[Event] = []
        bob.subscribe(seen.append)
        threads = await bob.direct_threads(circle.id)
        assert [(t.peer_key, t.peer, t.request) for t in threads] == [
            (alice_key, "Quiet Heron", True)
        ]
        await bob.accept_dm(circle.id, alice_key)
        got = await until(seen, lambda e: isinstance(e, DmEvent))
        assert isinstance(got, DmEvent) and got.message.body == "can we talk?"
        assert [(t.peer_key, t.request) for t in await bob.direct_threads(circle.id)] == [
            (alice_key, False)
        ]
    finally:
        await bob.close()
