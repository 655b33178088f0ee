"""Direct messages through the desktop app's controller, two real peers on loopback, each with a
window (issue 15 item 2 and issue 14's typed events):

- A request appears in the recipient's list of private conversations, unread, and the
  controller's ``dmRequested`` signal fires (before, nothing showed at all).
- My own message reaches my screen through the core's ``dm_sent`` event, like a post, and its
  state moves to "delivered" once the recipient's client has it.
- After the recipient's app starts again, the list comes back from the profile.

Runs on the qasync loop; every wait is a future connected to a signal or event, or a bounded
poll.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from messenger.api import DeliveryState, DmRequestEvent, Messenger, PeerConnectedEvent
from messenger.options import parse_args
from messenger.storage import MINIMUM
from messenger.views import CircleSettingsView
from tests.qtasync import await_signal, next_event, until
from ui.controller import Controller
from ui.dialogs.dm_request import DmRequestDialog
from ui.dm_requests import DmRequests
from ui.main_window import MainWindow

pytestmark = pytest.mark.timeout(90)


async def started(profile: Path) -> Messenger:
    options = parse_args(["--profile", str(profile), "--interface", "127.0.0.1"])
    messenger = Messenger(options, kdf=MINIMUM)
    await messenger.start("a passphrase")
    return messenger


def test_a_request_shows_and_my_message_comes_back_through_the_core(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    alice_window, bob_window = MainWindow(), MainWindow()
    for window in (alice_window, bob_window):
        qtbot.addWidget(window)
        window.show()

    async def scenario() -> None:
        alice, bob = await started(tmp_path / "alice"), await started(tmp_path / "bob")
        alice_ctl, bob_ctl = Controller(alice_window, alice), Controller(bob_window, bob)
        try:
            met = [next_event(m, lambda e: isinstance(e, PeerConnectedEvent)) for m in (alice, bob)]
            circle = await alice.create_circle(
                "Pairs", pseudonym="Quiet Heron", settings=CircleSettingsView(auto_approve=True)
            )
            await bob.join_link(circle.invite_link, pseudonym="Gentle Fern")
            await asyncio.wait_for(asyncio.gather(*met), 20)
            bob_key = bob.circle(circle.id).my_key

            # Alice writes from her window; her message comes back through dm_sent.
            await alice_ctl.open_direct(circle.id, bob_key)
            requested = asyncio.ensure_future(await_signal(bob_ctl.dmRequested, 20))
            alice_window.conversation.directMessageRequested.emit(
                circle.id, bob_key, "may I ask you something?"
            )
            model = alice_window.conversation.model
            await until(lambda: [p.body for p in model.posts()] == ["may I ask you something?"])

            # Bob sees the request in his list, unread, and the controller says so.
            (event,) = await requested
            assert isinstance(event, DmRequestEvent) and event.member == "Quiet Heron"
            rows = bob_window.sidebar.direct_model.items()
            assert [(r.peer, r.unread, r.last and r.last.body) for r in rows] == [
                ("Quiet Heron", 1, "may I ask you something?")
            ]

            # Alice's copy moves to "delivered" once Bob's client has it.
            async def delivered() -> bool:
                mine = await alice.direct_messages(circle.id, bob_key)
                return mine[0].state is DeliveryState.DELIVERED

            for _ in range(200):
                if await delivered():
                    break
                await asyncio.sleep(0.05)
            assert await delivered()
        finally:
            await alice_ctl.idle()
            await bob_ctl.idle()
            await alice.close()
            await bob.close()

        # Bob's app starts again: the list of private conversations comes back.
        bob = await started(tmp_path / "bob")
        again = MainWindow()
        qtbot.addWidget(again)
        ctl = Controller(again, bob)
        try:
            await ctl.idle()
            rows = again.sidebar.direct_model.items()
            assert [(r.peer, r.last and r.last.body) for r in rows] == [
                ("Quiet Heron", "may I ask you something?")
            ]
        finally:
            await bob.close()

    qasync_loop.run_until_complete(scenario())


def test_declining_a_request_takes_it_away_and_tells_the_sender_nothing(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    """Bob opens Alice's request from his list and presses Decline: the row goes, nothing of
    hers shows, and a second message from her brings no new request; Alice sees her messages
    delivered, as if he had accepted (a decline is silent)."""
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()

    async def scenario() -> None:
        alice, bob = await started(tmp_path / "alice"), await started(tmp_path / "bob")
        bob_ctl = Controller(window, bob)
        requests = DmRequests(window, bob, bob_ctl.spawn)  # as the app wires it (ui/app.py)
        try:
            met = [next_event(m, lambda e: isinstance(e, PeerConnectedEvent)) for m in (alice, bob)]
            circle = await alice.create_circle(
                "Pairs", pseudonym="Quiet Heron", settings=CircleSettingsView(auto_approve=True)
            )
            await bob.join_link(circle.invite_link, pseudonym="Gentle Fern")
            await asyncio.wait_for(asyncio.gather(*met), 20)
            bob_key, alice_key = bob.circle(circle.id).my_key, alice.circle(circle.id).my_key
            requested = asyncio.ensure_future(await_signal(bob_ctl.dmRequested, 20))
            first = await alice.send_dm(circle.id, bob_key, "may I ask you something?")
            await requested
            await until(lambda: window.sidebar.direct_model.items())

            window.sidebar.directRequestSelected.emit(circle.id, alice_key, "Quiet Heron")
            dialog = window.dialog(DmRequestDialog)
            assert isinstance(dialog, DmRequestDialog) and requests is not None
            assert dialog.decline_button.accessibleName() == "Decline Quiet Heron's request"
            dialog.decline_button.click()
            await until(lambda: not window.sidebar.direct_model.items())
            assert [t for t in await bob.direct_threads(circle.id) if not t.request] == []

            second = await alice.send_dm(circle.id, bob_key, "are you there?")

            async def states() -> list[DeliveryState]:
                mine = {m.id: m.state for m in await alice.direct_messages(circle.id, bob_key)}
                return [mine[first.id], mine[second.id]]

            for _ in range(200):
                if await states() == [DeliveryState.DELIVERED] * 2:
                    break
                await asyncio.sleep(0.05)
            assert await states() == [DeliveryState.DELIVERED] * 2
            await bob_ctl.idle()
            assert window.sidebar.direct_model.items() == []  # no new request, nothing shown
            assert all("are you there?" not in p.body for p in window.conversation.model.posts())
        finally:
            await bob_ctl.idle()
            await alice.close()
            await bob.close()

    qasync_loop.run_until_complete(scenario())
