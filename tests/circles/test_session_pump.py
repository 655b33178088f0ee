"""The pump (:mod:`messenger.pump`) performs a circle protocol's outputs in order, on a real
event loop with a real (in-memory SQLCipher) store on its own thread: an output that fails is
counted and logged once, never in full, and what was queued after it still happens."""

from __future__ import annotations

import logging

import pytest

from messenger.events import Info
from messenger.mux import Lane
from messenger.outputs import Read, Write
from messenger.pump import SessionPump
from messenger.storage import Store, open_ephemeral_async
from messenger.storage.errors import StorageError
from network.node import PeerKey
from tests.circles.test_session_protocol import circle_of_two

pytestmark = pytest.mark.asyncio


class Wire:
    """Where a pump's sends go in this test: a list (the network has its own tests)."""

    def __init__(self) -> None:
        self.sent: list[tuple[PeerKey, Lane, bytes]] = []

    async def send(self, peer: PeerKey, lane: Lane, body: bytes) -> None:
        self.sent.append((peer, lane, body))

    def disconnect(self, peer: PeerKey) -> None: ...
    async def rebind(self) -> None: ...
    def invite_changed(self, circle_id: bytes, link: str) -> None: ...


async def test_a_failing_output_is_logged_once_and_the_rest_still_happen(
    caplog: pytest.LogCaptureFixture,
) -> None:
    host, _ada = circle_of_two()
    store = await open_ephemeral_async()
    shown: list[object] = []
    wire = Wire()
    pump = SessionPump(host.session, store=store, wire=wire, emit=shown.append)
    peer = next(iter(host.links))
    out = host.session.out
    out.queue.clear()

    def refused(_db: Store) -> None:
        raise StorageError("a secret word that must not reach the log")

    def broken(_db: Store) -> None:
        raise ValueError("another secret word")

    answers: list[str] = []
    try:
        with caplog.at_level(logging.INFO):
            for _ in range(50):
                out.put(Write(refused))
                out.put(Write(broken))
            out.put(Read(lambda _db: "read", answers.append))
            out.send(peer, Lane.CONVERSATION, b"after the failures")
            host.session.emit(Info("still shown"))
            await pump.drain()
        assert answers == ["read"]
        assert wire.sent == [(peer, Lane.CONVERSATION, b"after the failures")]
        assert shown == [Info("still shown")]
        lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
        assert 1 <= len(lines) <= 4, lines  # a line a minute per kind, not 100
        assert not any("secret" in line for line in lines)
        assert not out.queue
    finally:
        pump.close()
        await store.close()
