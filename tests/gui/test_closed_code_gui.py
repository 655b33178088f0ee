"""Three wrong guesses close a spoken code for good (issue 16 item 4), through the desktop app's
widgets: the host's real window, controller and Invite window; a guesser, later the newcomer,
with no window; both real peers on loopback.

With the Invite window open, each wrong try is counted down there; the third closes the code,
and the window says so calmly, hides the dead code, stops its countdown and offers one button,
"Make a new code", which makes a new one. A code that closes while the window is shut is said in
the status bar and shown when Invite opens again; its "Make a new code" gives the code the
newcomer then joins with.

Runs on the qasync loop; every wait is a future connected to a signal, or a bounded poll.
"""

from __future__ import annotations

import asyncio

import pytest
from pytestqt.qtbot import QtBot

from messenger.joining import WrongCode
from messenger.views import CircleSettingsView
from tests.codes import wrong
from tests.gui.peers import started
from tests.qtasync import signal_future, until
from ui.controller import Controller
from ui.dialogs.invite import InviteDialog
from ui.live_updates import LiveUpdates
from ui.main_window import MainWindow

pytestmark = pytest.mark.timeout(150)


async def new_code(dialog: InviteDialog, old: str) -> str:
    """Click the code button; the new code, once the window shows it."""
    dialog.code_button.click()
    await until(lambda: dialog.code is not None and dialog.code.code != old)
    assert dialog.code is not None
    return dialog.code.code


def test_a_closed_code_is_said_calmly_and_one_button_makes_a_new_one(
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
            await controller.open_circle(circle.id)
            window.open_invite(host.circle(circle.id))
            dialog = window.dialog(InviteDialog)
            assert isinstance(dialog, InviteDialog)
            first = await new_code(dialog, "")
            assert dialog.counting_down

            # Two wrong tries are counted down in the window; the third closes the code.
            for left in (2, 1):
                tried = signal_future(controller.events.wrongCode)
                with pytest.raises(WrongCode):
                    await guest.join_code(wrong(first))
                await asyncio.wait_for(tried, 10)
                assert dialog.code_note.isVisible()
                assert ("One more" if left == 1 else f"{left} more") in dialog.code_note.text()
            closed = signal_future(controller.events.codeClosed)
            with pytest.raises(WrongCode):
                await guest.join_code(wrong(first))
            await asyncio.wait_for(closed, 10)
            assert "closed after three wrong tries" in dialog.code_note.text()
            assert dialog.code_note.isVisible() and not dialog.code_display.isVisible()
            assert not dialog.countdown.isVisible() and not dialog.counting_down
            button = dialog.code_button
            assert button.isVisible() and button.isEnabled()
            assert button.text() == "Make a new code"
            assert button.accessibleName() == "Make a new spoken code"

            # The button makes a new code, counting down, without the old news.
            second = await new_code(dialog, first)
            assert dialog.code_display.text() == second and dialog.counting_down
            assert dialog.countdown.text().startswith("Expires in")
            assert not dialog.code_note.isVisible()

            # A code that closes while the window is shut: the status bar, then the window.
            dialog.accept()
            assert window.dialog(InviteDialog) is None
            for _ in range(3):
                with pytest.raises(WrongCode):
                    await guest.join_code(wrong(second))
            await until(
                lambda: "closed after three wrong tries" in window.statusBar().currentMessage()
            )
            assert "Harbour" in window.statusBar().currentMessage()
            window.open_invite(host.circle(circle.id))
            dialog = window.dialog(InviteDialog)
            assert isinstance(dialog, InviteDialog)
            assert dialog.code is None and not dialog.code_display.isVisible()
            assert "closed after three wrong tries" in dialog.code_note.text()
            assert dialog.code_button.text() == "Make a new code"

            # Its new code works: the newcomer types it and is let in.
            third = await new_code(dialog, second)
            assert third not in (first, second)
            joining = asyncio.ensure_future(guest.join_code(third, pseudonym="Hopeful Finch"))
            await until(lambda: bool(dialog.rows) or joining.done(), 30)
            (row,) = dialog.rows.values()
            assert row.request.pseudonym == "Hopeful Finch"
            row.approve_button.click()
            joined = await asyncio.wait_for(joining, 30)
            assert joined.id == circle.id
        finally:
            del updates
            await controller.idle()
            for messenger in (host, guest):
                await messenger.close()

    qasync_loop.run_until_complete(asyncio.wait_for(scenario(), 140))
