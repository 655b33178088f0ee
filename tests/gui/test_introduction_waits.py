"""A newcomer's introduction waits for the host's yes (issue 15 item 8: "the introduction sent
only after"), through the newcomer's real window and controller; the host is a real peer with
no window, both on loopback.

The circle asks the host before letting link joiners in (the default). The newcomer pastes the
link, accepts the rules and writes an introduction: the window says it waits for the host and
the composer is shut, and nothing reaches the host. Once the host says yes, the introduction
arrives once they have accepted the rules (which come from the host once let in), once, and
the newcomer can write.
"""

from __future__ import annotations

import asyncio

import pytest
from pytestqt.qtbot import QtBot

from messenger.events import JoinRequestEvent, PostEvent
from messenger.views import CircleSettingsView
from tests.gui.peers import started
from tests.qtasync import next_event, until
from ui.controller import Controller
from ui.dialogs.join import JoinDialog
from ui.dialogs.rules import RulesDialog
from ui.main_window import MainWindow

pytestmark = pytest.mark.timeout(90)
INTRO = "Hi, I am Hopeful Finch. Mostly here to listen."


def test_the_introduction_is_posted_once_let_in_and_the_rules_are_accepted(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop
) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()

    async def scenario() -> None:
        host, guest = await started(), await started()
        controller = Controller(window, guest)
        try:
            circle = await host.create_circle(
                "Harbour",
                pseudonym="Quiet Heron",
                rules="Speak from your own experience.",
                settings=CircleSettingsView(),
            )
            asked = next_event(host, lambda e: isinstance(e, JoinRequestEvent))
            join = window.open_join()
            assert isinstance(join, JoinDialog)
            join.input.setText(circle.invite_link)
            join.next_button.click()
            await until(lambda: join.circle_name == "Harbour")
            join.pseudonym.edit.setText("Hopeful Finch")
            join.introduction.setPlainText(INTRO)
            join.accept_rules.setChecked(True)
            join.next_button.click()
            await until(lambda: guest.circles() and not join.isVisible())
            request = await asyncio.wait_for(asked, 30)
            assert isinstance(request, JoinRequestEvent)

            area = window.conversation
            await until(lambda: "waiting for the host to let you in" in area.subtitle.text())
            assert not area.composer.edit.isEnabled()
            assert "once the host lets you in" in area.composer.edit.placeholderText()
            await asyncio.sleep(0.5)  # nothing was sent meanwhile
            assert not [p for p in await host.history(circle.id) if p.body == INTRO]

            arrived = next_event(host, lambda e: isinstance(e, PostEvent) and e.post.body == INTRO)
            host.approve(request.request)
            # Let in: the host's rules arrive in their own dialog; the introduction still
            # waits until they are accepted.
            rules = await until(lambda: window.dialog(RulesDialog))
            assert isinstance(rules, RulesDialog)
            await until(lambda: area.composer.edit.isEnabled())
            await asyncio.sleep(0.5)
            assert not arrived.done()
            rules.accept_button.click()
            post = await asyncio.wait_for(arrived, 30)
            assert isinstance(post, PostEvent) and post.post.author == "Hopeful Finch"
            await until(lambda: "2 people here" in area.subtitle.text())
            await until(lambda: area.composer.edit.isEnabled())
            await until(lambda: any(p.body == INTRO for p in area.model.posts()))
            await asyncio.sleep(0.5)  # a second copy would show here
            assert [p.body for p in await host.history(circle.id)].count(INTRO) == 1
        finally:
            await controller.idle()
            for messenger in (host, guest):
                await messenger.close()

    qasync_loop.run_until_complete(asyncio.wait_for(scenario(), 80))
