"""Joining by link asks the host (issue 15 item 5), through the desktop app's widgets: the host's
real window and controller, a newcomer with no window, both real peers on loopback.

The circle is made with "Let people in without asking me" off (the create dialog's default).
The newcomer pastes the link and links up, but is let in to nothing: it cannot post, and the
host's status bar says someone asks to join. The host opens Invite, where the newcomer waits
with "Let in" and "Decline"; "Let in" admits them: the newcomer is told, catches up on what was
said before, and its post reaches the host, whose "People here" now counts two.

Runs on the qasync loop; every wait is a future connected to an event, or a bounded poll.
"""

from __future__ import annotations

import asyncio

import pytest
from pytestqt.qtbot import QtBot

from messenger.events import Info, JoinRequestEvent, PeerConnectedEvent, PostEvent
from messenger.moderating import ModerationRefused
from messenger.views import CircleSettingsView
from tests.gui.peers import started
from tests.qtasync import next_event, until
from ui.controller import Controller
from ui.dialogs.invite import InviteDialog
from ui.live_updates import LiveUpdates
from ui.main_window import MainWindow

pytestmark = pytest.mark.timeout(90)


def test_the_host_lets_a_newcomer_with_the_link_in_from_the_invite_window(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop
) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()

    async def scenario() -> None:
        host, guest = await started(), await started()
        controller = Controller(window, host)
        updates = LiveUpdates(window, host)  # the status bar and the invite memory, as the app
        try:
            circle = await host.create_circle(
                "Harbour", pseudonym="Quiet Heron", settings=CircleSettingsView()
            )
            assert not circle.settings.auto_approve
            await controller.open_circle(circle.id)
            await host.post(circle.id, "said before anyone new came")

            asked = next_event(host, lambda e: isinstance(e, JoinRequestEvent))
            linked = next_event(guest, lambda e: isinstance(e, PeerConnectedEvent))
            await guest.join_link(circle.invite_link, pseudonym="Hopeful Finch")
            await asyncio.wait_for(linked, 30)  # the guest reached the host ...
            request = await asyncio.wait_for(asked, 30)  # ... who is asked
            assert isinstance(request, JoinRequestEvent) and request.member == "Hopeful Finch"
            with pytest.raises(ModerationRefused):
                await guest.post(circle.id, "can I come in?")
            assert await guest.history(circle.id) == []
            assert host.circle(circle.id).members_present == 1
            await until(lambda: "asks to join" in window.statusBar().currentMessage())

            # The host opens Invite: the newcomer waits there; "Let in".
            window.open_invite(host.circle(circle.id))
            dialog = window.dialog(InviteDialog)
            assert isinstance(dialog, InviteDialog)
            await until(lambda: request.request in dialog.rows)
            row = dialog.rows[request.request]
            assert row.approve_button.accessibleName() == "Let Hopeful Finch in"
            let_in = next_event(
                guest, lambda e: isinstance(e, Info) and "you were let in" in e.message
            )
            caught_up = next_event(
                guest,
                lambda e: isinstance(e, PostEvent) and e.post.body == "said before anyone new came",
            )
            row.approve_button.click()
            await asyncio.wait_for(let_in, 30)
            await asyncio.wait_for(caught_up, 30)
            assert request.request not in dialog.rows

            arrived = next_event(
                host, lambda e: isinstance(e, PostEvent) and e.post.body == "thank you"
            )
            await guest.post(circle.id, "thank you")
            await asyncio.wait_for(arrived, 30)
            await until(lambda: host.circle(circle.id).members_present == 2)
            assert "Hopeful Finch" in [m.pseudonym for m in host.members(circle.id)]
        finally:
            del updates
            await controller.idle()
            for messenger in (host, guest):
                await messenger.close()

    qasync_loop.run_until_complete(asyncio.wait_for(scenario(), 80))
