"""Moderation and personal safety through the desktop app's widgets, three real peers on loopback:
the host and a member each in a window, a third member with no window.

The member reports the third through the circle panel's Report button (anonymously, the
default); the report, with the third's post as evidence, appears in the host's moderation queue,
where Hide hides the post for everyone. The member then blocks the third with the panel's Block
button: their posts are hidden on the member's screen and their direct messages never surface.
Last, the host removes the third from the panel (after a question), and the third is told.

Runs on the qasync loop; every wait is a future connected to an event, or a bounded poll.
"""

from __future__ import annotations

import asyncio

import pytest
from pytestqt.qtbot import QtBot

from messenger.anonymous.rounds import RoundLimits
from messenger.config import MessengerConfig
from messenger.events import (
    DmEvent,
    DmRequestEvent,
    DmStateEvent,
    Event,
    Info,
    MemberRemovedEvent,
    PeerConnectedEvent,
)
from messenger.facade import Messenger
from messenger.moderating import PostHiddenEvent, ReportEvent
from messenger.moderation import EngineLimits
from messenger.options import parse_args
from messenger.views import CircleSettingsView
from tests.qtasync import next_event, until
from ui.controller import Controller
from ui.dialogs.confirm import ConfirmDialog
from ui.dialogs.moderation import ModerationQueueDialog
from ui.dialogs.report import ReportDialog
from ui.main_window import MainWindow
from ui.requests import ReportReason

pytestmark = pytest.mark.timeout(90)


async def started() -> Messenger:
    options = parse_args(["--ephemeral", "--interface", "127.0.0.1"])
    rounds = RoundLimits(round_every_ms=300, quiet_every_ms=300, round_timeout_ms=5000)
    messenger = Messenger(
        options,
        moderation_limits=EngineLimits(report_delay_ms=0),
        config=MessengerConfig(anonymous=rounds),  # anonymous reports travel in rounds
    )
    await messenger.start()
    return messenger


def test_report_hide_and_block_through_the_widgets(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop
) -> None:
    host_window, member_window = MainWindow(), MainWindow()
    for window in (host_window, member_window):
        qtbot.addWidget(window)
        window.show()

    async def scenario() -> None:
        host, member, third = await started(), await started(), await started()
        host_ctl, member_ctl = Controller(host_window, host), Controller(member_window, member)
        seen: list[Event] = []
        member.subscribe(seen.append)
        try:
            met = [
                next_event(m, lambda e: isinstance(e, PeerConnectedEvent))
                for m in (host, member, third)
            ]
            circle = await host.create_circle(
                "Harbour", pseudonym="Quiet Heron", settings=CircleSettingsView(auto_approve=True)
            )
            let_in = [
                next_event(m, lambda e: isinstance(e, Info) and "you were let in" in e.message)
                for m in (member, third)
            ]
            await member.join_link(circle.invite_link, pseudonym="Gentle Fern")
            await third.join_link(circle.invite_link, pseudonym="Rude Crow")
            await asyncio.wait_for(asyncio.gather(*met, *let_in), 20)
            await until(lambda: len([m for m in member.members(circle.id) if m.present]) == 3)
            third_key = third.circles()[0].my_key
            arrived = next_event(member, lambda e: getattr(e, "post", None) is not None)
            await third.post(circle.id, "nobody here is worth talking to")
            await asyncio.wait_for(arrived, 20)
            await member_ctl.open_circle(circle.id)
            await host_ctl.open_circle(circle.id)

            # The member reports the third through the panel; anonymous is the default.
            member_window.show_panel(member.circle(circle.id))
            member_ctl.show_members(circle.id)
            panel = member_window.panel
            panel.select_member(third_key)
            reported = next_event(host, lambda e: isinstance(e, ReportEvent))
            panel.report_button.click()
            dialog = member_window.dialog(ReportDialog)
            assert isinstance(dialog, ReportDialog) and dialog.anonymous.isChecked()
            dialog.reason.setCurrentIndex(dialog.reason.findData(ReportReason.HARASSMENT))
            dialog.details.setPlainText("keeps putting people down")
            dialog.send_button.click()
            report = await asyncio.wait_for(reported, 20)
            assert isinstance(report, ReportEvent)
            assert report.report.reporter_key is None and report.report.reporter == ""
            assert report.report.post is not None
            assert report.report.post.body == "nobody here is worth talking to"
            assert not [e for e in seen if isinstance(e, ReportEvent)]

            # The host opens the queue from the panel and hides the post for everyone.
            host_window.show_panel(host.circle(circle.id))
            host_window.panel.moderation_button.click()
            queue = await until(lambda: host_window.dialog(ModerationQueueDialog))
            assert isinstance(queue, ModerationQueueDialog)
            assert len(queue.reports) == 1
            row = queue.current()
            assert row is not None and row.member.pseudonym == "Rude Crow"
            assert row.reporter == "" and row.reason is ReportReason.HARASSMENT
            hidden_there = next_event(third, lambda e: isinstance(e, PostHiddenEvent))
            queue.hide_button.click()
            await asyncio.wait_for(hidden_there, 20)
            await until(lambda: all(p.hidden for p in member_window.conversation.model.posts()))
            await host_ctl.idle()
            assert host.moderation.reports(circle.id) == []  # settled

            # The member blocks the third: their posts are hidden on the member's screen only,
            # nothing is sent, and their DMs never surface.
            model = member_window.conversation.model
            again = next_event(member, lambda e: getattr(e, "post", None) is not None)
            await third.post(circle.id, "still here")
            await asyncio.wait_for(again, 20)
            await until(lambda: [p.body for p in model.posts() if not p.hidden] == ["still here"])
            panel.select_member(third_key)
            panel.block_button.click()
            assert panel.confirm_dialog is not None
            panel.confirm_dialog.confirm_button.click()  # "Block Patient Willow?" yes
            await until(lambda: any(m.blocked for m in member.members(circle.id)))
            await until(lambda: all(p.hidden for p in model.posts()))
            assert not any(
                p.hidden for p in await host.history(circle.id) if p.body == "still here"
            )
            delivered = next_event(
                third, lambda e: isinstance(e, DmStateEvent) and e.state == "delivered"
            )
            await third.send_dm(circle.id, "Gentle Fern", "answer me")
            await asyncio.wait_for(delivered, 20)
            await asyncio.sleep(0.3)
            assert not [e for e in seen if isinstance(e, DmEvent | DmRequestEvent)]
            assert panel.block_button.text() == "Unblock"
            panel.block_button.click()  # unblocking shows their posts again (not the hidden one)
            await until(lambda: [p.body for p in model.posts() if not p.hidden] == ["still here"])

            # The host removes the third from the panel, after saying yes to the question.
            told = next_event(third, lambda e: isinstance(e, MemberRemovedEvent))
            host_ctl.show_members(circle.id)
            host_window.panel.select_member(third_key)
            host_window.panel.remove_button.click()
            box = await until(lambda: host_window.dialog(ConfirmDialog))
            assert isinstance(box, ConfirmDialog) and box.cancel_button.isDefault()
            box.confirm_button.click()
            removed = await asyncio.wait_for(told, 20)
            assert isinstance(removed, MemberRemovedEvent) and removed.key == third_key
            await until(lambda: all(m.key != third_key for m in member.members(circle.id)))
            await until(lambda: all(p.hidden for p in model.posts()))
        finally:
            await host_ctl.idle()
            await member_ctl.idle()
            for m in (host, member, third):
                await m.close()

    qasync_loop.run_until_complete(asyncio.wait_for(scenario(), 80))


def test_my_boundaries_fold_matching_posts_for_me_only(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop
) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()

    async def scenario() -> None:
        me, other = await started(), await started()
        controller = Controller(window, me)
        try:
            met = next_event(me, lambda e: isinstance(e, PeerConnectedEvent))
            circle = await me.create_circle(
                "Harbour", pseudonym="Quiet Heron", settings=CircleSettingsView(auto_approve=True)
            )
            let_in = next_event(
                other, lambda e: isinstance(e, Info) and "you were let in" in e.message
            )
            await other.join_link(circle.invite_link, pseudonym="Gentle Fern")
            await asyncio.wait_for(met, 20)
            await asyncio.wait_for(let_in, 20)  # a post before the host's ADMIT is refused
            arrived = next_event(me, lambda e: getattr(e, "post", None) is not None)
            await other.post(circle.id, "the hospital called again today")
            await asyncio.wait_for(arrived, 20)
            await controller.open_circle(circle.id)
            window.show_panel(me.circle(circle.id))
            controller.show_members(circle.id)
            panel = window.panel
            assert panel.boundaries.text() == ""
            panel.boundaries.setText("Hospital, funerals")
            panel.boundaries_button.click()
            await until(lambda: me.moderation.boundaries(circle.id))
            await controller.idle()
            # The post folds behind a notice here (click to reveal), and not for its author.
            shown = window.conversation.model.posts()
            assert len(shown) == 1 and shown[0].content_warning
            assert "hospital" in shown[0].content_warning.lower()
            assert shown[0].body == "the hospital called again today"  # still there to reveal
            theirs = await other.history(circle.id)
            assert [p.content_warning for p in theirs] == [None]
        finally:
            await controller.idle()
            await me.close()
            await other.close()

    qasync_loop.run_until_complete(asyncio.wait_for(scenario(), 80))
