"""Two app instances in one test, on loopback, driven through their real widgets:
first run → create circle → invite by link → join (rules accepted) → post → the other sees it.

Runs on the qasync loop; every wait is a future connected to a signal or an event (never a
nested loop), bounded in time.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from messenger.events import PeerConnectedEvent, PostEvent
from messenger.facade import Messenger
from messenger.options import parse_args
from tests.qtasync import next_event, until
from ui.controller import Controller
from ui.dialogs.first_run import FirstRunDialog
from ui.dialogs.invite import InviteDialog
from ui.dialogs.join import JoinDialog
from ui.main_window import MainWindow
from ui.startup import start_messenger

pytestmark = pytest.mark.timeout(90)


async def first_run(window: MainWindow, profile: Path) -> tuple[Messenger, Controller]:
    options = parse_args(["--profile", str(profile), "--interface", "127.0.0.1"])
    starting = asyncio.ensure_future(start_messenger(window, options))
    dialog = await until(lambda: window.dialog(FirstRunDialog))
    assert isinstance(dialog, FirstRunDialog)
    dialog.ephemeral_choice.setChecked(True)
    for _ in range(6):
        if dialog.isVisible():
            dialog.next_button.click()
        await asyncio.sleep(0)
    messenger = await asyncio.wait_for(starting, 20)
    assert messenger is not None and messenger.profile_label == "ephemeral"
    assert not profile.exists()  # an ephemeral choice writes nothing
    return messenger, Controller(window, messenger)


def test_two_apps_create_invite_join_and_talk(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    host_window, guest_window = MainWindow(), MainWindow()
    for window in (host_window, guest_window):
        qtbot.addWidget(window)
        window.show()

    async def scenario() -> None:
        host, host_ctl = await first_run(host_window, tmp_path / "host")
        guest, guest_ctl = await first_run(guest_window, tmp_path / "guest")
        try:
            # The host creates a circle through the dialog.
            create = host_window.open_create_circle()
            create.name.setText("Tuesday Evening")
            create.rules.setPlainText("Speak from your own experience.")
            create.pseudonym.edit.setText("Quiet Heron")
            # Asking the host first is the default (tests/gui/test_link_approval_gui.py);
            # this flow is about talking, so the host lets people in without asking.
            create.auto_approve.setChecked(True)
            create.create_button.click()
            await until(lambda: host.circles())
            circle = host.circles()[0]
            await until(lambda: host_window.conversation.current_circle_id() == circle.id)
            assert create.isHidden()

            # The invite dialog shows the link with a copy button.
            invite = host_window.open_invite(circle)
            assert isinstance(invite, InviteDialog) and invite.link.text() == circle.invite_link
            invite.close()

            # The guest pastes it, accepts the rules, joins.
            connected = next_event(host, lambda e: isinstance(e, PeerConnectedEvent))
            join = guest_window.open_join()
            assert isinstance(join, JoinDialog)
            join.input.setText("  <" + circle.invite_link + ">  ")  # as pasted from an e-mail
            join.next_button.click()
            await until(lambda: join.circle_name == "Tuesday Evening")
            join.pseudonym.edit.setText("Gentle Fern")
            join.next_button.click()  # without ticking the box: refused, says why
            assert join.isVisible()
            join.accept_rules.setChecked(True)
            join.next_button.click()
            await until(lambda: guest.circles())
            await until(lambda: not join.isVisible())
            met = await asyncio.wait_for(connected, 20)
            assert isinstance(met, PeerConnectedEvent) and met.member == "Gentle Fern"

            # The host writes in the composer and presses Enter; the guest's screen shows it.
            arrived = next_event(guest, lambda e: isinstance(e, PostEvent) and not e.post.mine)
            composer = host_window.conversation.composer
            qtbot.keyClicks(composer.edit, "Welcome. Take your time.")
            qtbot.keyClick(composer.edit, Qt.Key.Key_Return)
            post = await asyncio.wait_for(arrived, 20)
            assert isinstance(post, PostEvent) and post.post.author == "Quiet Heron"
            model = guest_window.conversation.model
            await until(lambda: any(p.body == "Welcome. Take your time." for p in model.posts()))
            assert [p.author for p in model.posts()] == ["Quiet Heron"]
            # The host's own post is on the host's screen once (it is shown when stored, which
            # can come a moment after the guest already has it).
            host_model = host_window.conversation.model
            await until(lambda: bool(host_model.posts()))
            await asyncio.sleep(0.2)  # a second copy would show up here
            host_posts = [p.body for p in host_model.posts()]
            assert host_posts == ["Welcome. Take your time."]
        finally:
            await host_ctl.idle()
            await guest_ctl.idle()
            await host.close()
            await guest.close()

    qasync_loop.run_until_complete(asyncio.wait_for(scenario(), 80))
