"""Every dialog opens with open(), is filled in like a person would, and emits its typed request."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from messenger.views import CircleSettingsView, DmPolicy, Retention, Role
from tests.qtasync import await_signal
from ui import sample_data as sample
from ui.dialogs import (
    AboutDialog,
    CircleSettingsDialog,
    CreateCircleDialog,
    FirstRunDialog,
    InviteDialog,
    JoinDialog,
    LeaveDialog,
    ModerationQueueDialog,
    ReportDialog,
    SafetyNumberDialog,
    SettingsDialog,
    SupportDialog,
    UnlockDialog,
)
from ui.dialogs.invite import countdown_text
from ui.dialogs.join import JoinInputError, JoinKind, parse_join_input
from ui.dialogs.passphrase import Strength, strength
from ui.dialogs.safety import group_digits
from ui.preferences import NotificationContent, Preferences
from ui.requests import FirstRunChoice, ModerationReport, ReportReason, ReportRequest
from ui.texts import support_entries
from ui.theme import ThemeChoice


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _record(signal: Any) -> list[tuple[Any, ...]]:
    got: list[tuple[Any, ...]] = []
    signal.connect(lambda *args: got.append(args))
    return got


def _opened(dialog: Any) -> Any:
    dialog.open()
    assert dialog.isVisible() and dialog.isModal()
    return dialog


# -- first run and unlock -----------------------------------------------------------------
def test_first_run_with_a_passphrase(parent: QWidget, qtbot: QtBot) -> None:
    names = iter(["Gentle Fern", "Calm Otter"])
    dialog = _opened(FirstRunDialog(lambda: next(names), parent))
    done = _record(dialog.completed)
    assert "What Hearth hides" in dialog.threat_model.text()
    assert "screenshots" in dialog.threat_model.text()
    dialog.next()
    assert dialog.pages.currentIndex() == dialog.STORAGE
    qtbot.keyClicks(dialog.passphrase, "short")
    assert dialog.strength_label.text().startswith("Too short")
    dialog.next()
    assert "at least 8" in dialog.error.text() and dialog.pages.currentIndex() == dialog.STORAGE
    dialog.passphrase.setText("correct horse battery staple")
    assert dialog.strength_label.text() == "Strong."
    dialog.confirm.setText("correct horse battery stapler")
    dialog.next()
    assert "differ" in dialog.error.text()
    dialog.confirm.setText("correct horse battery staple")
    dialog.next()
    assert dialog.pages.currentIndex() == dialog.NAME
    assert dialog.pseudonym.text() == "Gentle Fern"
    dialog.pseudonym.suggest_button.click()
    assert dialog.pseudonym.text() == "Calm Otter"
    dialog.pseudonym.edit.setText("Admin")
    dialog.next()
    assert "reserved" in dialog.error.text()
    dialog.pseudonym.edit.setText("  Calm Otter ")
    dialog.next()
    (choice,) = done[0]
    assert choice == FirstRunChoice(False, "correct horse battery staple", "Calm Otter")
    assert "correct" not in repr(choice)
    assert not dialog.isVisible() and dialog.passphrase.text() == ""


def test_first_run_ephemeral_needs_no_passphrase(parent: QWidget) -> None:
    dialog = _opened(FirstRunDialog(lambda: "Gentle Fern", parent))
    done = _record(dialog.completed)
    dialog.next()
    dialog.ephemeral_choice.setChecked(True)
    assert not dialog.passphrase_box.isEnabled()
    dialog.next()
    dialog.back()
    assert dialog.pages.currentIndex() == dialog.STORAGE
    dialog.next()
    dialog.next()
    assert done == [(FirstRunChoice(True, "", "Gentle Fern"),)]


def test_passphrase_strength_levels() -> None:
    assert strength("") is Strength.EMPTY
    assert strength("abc") is Strength.TOO_SHORT
    assert strength("aaaaaaaaaaaa") is Strength.WEAK
    assert strength("password1") is Strength.WEAK
    assert strength("tulip river 1984") is Strength.FAIR
    assert strength("tulip river lantern morning") is Strength.STRONG
    assert strength("Xk#9vL!q2@Rm8&Zp") is Strength.STRONG


def test_unlock_says_clearly_when_the_passphrase_is_wrong(parent: QWidget, qtbot: QtBot) -> None:
    dialog = _opened(UnlockDialog(parent))
    asked = _record(dialog.unlockRequested)
    dialog.submit()
    assert dialog.error.text() == "Type your passphrase." and asked == []
    qtbot.keyClicks(dialog.passphrase, "wrong one")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert asked == [("wrong one",)]
    assert not dialog.unlock_button.isEnabled()  # busy while the key is derived
    dialog.show_wrong_passphrase()
    assert "did not open this profile" in dialog.error.text()
    assert dialog.unlock_button.isEnabled() and dialog.isVisible()
    dialog.passphrase.setText("right one")
    dialog.submit()
    dialog.unlocked()
    assert not dialog.isVisible() and dialog.passphrase.text() == ""


def test_unlock_offers_an_ephemeral_session(parent: QWidget) -> None:
    dialog = _opened(UnlockDialog(parent))
    ephemeral = _record(dialog.ephemeralRequested)
    dialog.ephemeral_button.click()
    assert ephemeral == [()] and not dialog.isVisible()


# -- circles ------------------------------------------------------------------------------
def test_create_circle_emits_name_rules_and_settings(parent: QWidget, qtbot: QtBot) -> None:
    dialog = _opened(CreateCircleDialog(lambda: "Gentle Fern", parent))
    created = _record(dialog.createCircleRequested)
    dialog.create_button.click()
    assert "name" in dialog.error.text() and created == []
    qtbot.keyClicks(dialog.name, "Tuesday group")
    dialog.description.setText("Peer support")
    dialog.rules.setPlainText("Be kind.")
    dialog.retention.setCurrentIndex(dialog.retention.findData(Retention.HOURS))
    assert dialog.retention_amount.isVisibleTo(dialog)
    assert dialog.retention_amount.suffix() == " hours"
    dialog.retention_amount.setValue(12)
    dialog.dm_policy.setCurrentIndex(dialog.dm_policy.findData(DmPolicy.MODERATORS))
    dialog.slow_mode.setValue(30)
    dialog.anonymous.setChecked(True)
    dialog.auto_approve.setChecked(True)
    dialog.create_button.click()
    expected = CircleSettingsView(Retention.HOURS, 12, DmPolicy.MODERATORS, 30, True, True)
    assert created == [("Tuesday group", "Peer support", "Be kind.", expected, "Gentle Fern")]
    assert not dialog.isVisible()


def test_create_circle_forever_hides_the_amount(parent: QWidget) -> None:
    dialog = _opened(CreateCircleDialog(lambda: "Gentle Fern", parent))
    dialog.retention.setCurrentIndex(dialog.retention.findData(Retention.FOREVER))
    assert not dialog.retention_amount.isVisibleTo(dialog)
    dialog.rules.setPlainText("x" * 4001)
    dialog.name.setText("n")
    dialog.submit()
    assert "too long" in dialog.error.text()


def test_invite_link_copy_code_countdown_and_newcomers(parent: QWidget) -> None:
    now = [1_000.0]
    circle = sample.circle()
    dialog = _opened(InviteDialog(circle, parent, clock=lambda: now[0]))
    asked = _record(dialog.codeRequested)
    approved = _record(dialog.approveRequested)
    denied = _record(dialog.denyRequested)
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == circle.invite_link
    dialog.code_button.click()
    assert asked == [(circle.id,)] and not dialog.code_button.isEnabled()
    dialog.show_code(replace(sample.join_code(now[0]), expires=now[0] + 125))
    assert dialog.code_display.text() == "7-amber-lantern"
    assert dialog.countdown.text() == "Expires in 2:05"
    now[0] += 65
    dialog.tick()
    assert dialog.countdown.text() == "Expires in 1:00"
    now[0] += 61
    dialog.tick()
    assert dialog.countdown.text() == "This code has expired."
    assert dialog.code_button.isVisible() and dialog.code_button.text() == "Show a new code"
    assert dialog.no_newcomers.isVisible()
    first = sample.join_request()
    second = replace(first, request="r-2", pseudonym="Shy Robin")
    dialog.add_join_request(first)
    dialog.add_join_request(first)  # shown once
    dialog.add_join_request(second)
    dialog.add_join_request(replace(first, circle_id=b"other", request="r-3"))  # not this one
    assert list(dialog.rows) == ["r-1", "r-2"] and not dialog.no_newcomers.isVisible()
    dialog.rows["r-1"].approve_button.click()
    dialog.rows["r-2"].deny_button.click()
    assert approved == [(first,)] and denied == [(second,)]
    assert dialog.rows == {} and dialog.no_newcomers.isVisible()


def test_countdown_text() -> None:
    assert countdown_text(272) == "4:32"
    assert countdown_text(0.2) == "0:01"
    assert countdown_text(-5) == "0:00"


@pytest.mark.parametrize(
    ("typed", "kind", "value"),
    [
        ("7-amber-lantern", JoinKind.CODE, "7-amber-lantern"),
        ("  7 Amber  Lantern ", JoinKind.CODE, "7-amber-lantern"),
        ("12_quiet.heron", JoinKind.CODE, "12-quiet-heron"),
        ("hearth://join/v1/abc#k=xyz", JoinKind.LINK, "hearth://join/v1/abc#k=xyz"),
    ],
)
def test_join_input_is_a_link_or_a_tidied_code(typed: str, kind: JoinKind, value: str) -> None:
    assert parse_join_input(typed) == (kind, value)


@pytest.mark.parametrize("typed", ["", "   ", "hello there", "amber-lantern", "7", "hearth://a b"])
def test_join_input_errors_say_why(typed: str) -> None:
    with pytest.raises(JoinInputError) as caught:
        parse_join_input(typed)
    assert str(caught.value)


def test_join_asks_for_a_preview_then_rules_then_joins(parent: QWidget, qtbot: QtBot) -> None:
    templates = ["Hello, I am new here.", "Hi everyone."]
    dialog = _opened(JoinDialog(templates, lambda: "Gentle Fern", parent))
    previews = _record(dialog.previewRequested)
    joins = _record(dialog.joinRequested)
    qtbot.keyClicks(dialog.input, "not a code")
    qtbot.keyClick(dialog.input, Qt.Key.Key_Return)
    assert "neither an invite link nor a code" in dialog.error.text() and previews == []
    dialog.input.setText("7 amber lantern")
    dialog.next()
    assert previews == [("7-amber-lantern",)] and dialog.pages.currentIndex() == dialog.WAITING
    dialog.show_failure("Nobody on this network has that code open.")
    assert dialog.pages.currentIndex() == dialog.ENTER and "Nobody" in dialog.error.text()
    dialog.next()
    dialog.show_preview("Tuesday group", "Be kind.\nListen.", "Peer support")
    assert dialog.heading.text() == "Join Tuesday group"
    assert dialog.rules.text() == "Be kind.\nListen." and not dialog.next_button.isEnabled()
    dialog.submit()
    assert "tick the box" in dialog.error.text() and joins == []
    dialog.accept_rules.setChecked(True)
    assert dialog.next_button.isEnabled()
    dialog.template.setCurrentIndex(2)
    assert dialog.introduction.toPlainText() == "Hi everyone."
    dialog.introduction.setPlainText("Hi everyone, glad to be here.")
    dialog.next_button.click()
    assert joins == [("7-amber-lantern", "Hi everyone, glad to be here.", "Gentle Fern")]
    assert dialog.pages.currentIndex() == dialog.WAITING and dialog.isVisible()
    dialog.joined()
    assert not dialog.isVisible()


def test_join_flow_on_the_qasync_loop(
    parent: QWidget, qasync_loop: asyncio.AbstractEventLoop
) -> None:
    """A controller that answers asynchronously, as the real one will."""
    dialog = _opened(JoinDialog([], lambda: "Gentle Fern", parent))

    async def controller() -> None:
        (target,) = await await_signal(dialog.previewRequested)
        await asyncio.sleep(0.01)  # looking the circle up
        dialog.show_preview("Tuesday group", f"rules for {target}")

    async def scenario() -> tuple[Any, ...]:
        task = asyncio.ensure_future(controller())
        loop = asyncio.get_running_loop()
        dialog.input.setText("hearth://join/v1/x#k=y")
        loop.call_soon(dialog.next)
        await task
        assert dialog.rules.text() == "rules for hearth://join/v1/x#k=y"
        dialog.accept_rules.setChecked(True)
        loop.call_soon(dialog.next_button.click)
        return await await_signal(dialog.joinRequested)

    got = qasync_loop.run_until_complete(asyncio.wait_for(scenario(), 10))
    assert got == ("hearth://join/v1/x#k=y", "", "Gentle Fern")
    dialog.reject()


def test_leave_offers_goodbyes(parent: QWidget) -> None:
    circle = sample.circle(Role.HOST)
    dialog = _opened(LeaveDialog(circle, ["Thank you all, take care.", "Goodbye for now."], parent))
    left = _record(dialog.leaveRequested)
    assert dialog.choice.count() == 3 and dialog.goodbye.toPlainText() == ""
    dialog.choice.setCurrentIndex(1)
    assert dialog.goodbye.toPlainText() == "Thank you all, take care."
    dialog.leave_button.click()
    assert left == [(circle.id, "Thank you all, take care.")]


def test_leave_quietly(parent: QWidget) -> None:
    dialog = _opened(LeaveDialog(sample.circle(Role.MEMBER), [], parent))
    left = _record(dialog.leaveRequested)
    dialog.submit()
    assert left == [(sample.CIRCLE_ID, "")]


# -- settings, safety, reports ------------------------------------------------------------
def test_settings_emit_preferences(parent: QWidget) -> None:
    dialog = _opened(SettingsDialog(Preferences(), parent))
    saved = _record(dialog.settingsChanged)
    wipes = _record(dialog.wipeRequested)
    assert not dialog.read_receipts.isChecked() and dialog.panic_confirm.isChecked()
    dialog.lobby.setChecked(True)
    dialog.read_receipts.setChecked(True)
    dialog.typing.setChecked(True)
    dialog.reply_cues.setChecked(True)
    dialog.wipe_on_quit.setChecked(True)
    dialog.panic_confirm.setChecked(False)
    dialog.notifications.setCurrentIndex(
        dialog.notifications.findData(NotificationContent.WITH_SENDER)
    )
    dialog.theme.setCurrentIndex(dialog.theme.findData(ThemeChoice.DARK))
    dialog.wipe_button.click()
    assert wipes == [()]
    dialog.save_button.click()
    (prefs,) = saved[0]
    assert prefs == Preferences(
        lobby_visible=True,
        read_receipts=True,
        typing_indicators=True,
        reply_cues=True,
        wipe_on_quit=True,
        panic_confirm=False,
        notifications=NotificationContent.WITH_SENDER,
        theme=ThemeChoice.DARK,
    )


def test_settings_refuse_the_same_shortcut_twice(parent: QWidget) -> None:
    prefs = Preferences(hide_shortcut="Ctrl+Shift+F12")
    dialog = _opened(SettingsDialog(prefs, parent))
    saved = _record(dialog.settingsChanged)
    dialog.submit()
    assert saved == [] and "must differ" in dialog.error.text()


def test_safety_number_verification(parent: QWidget) -> None:
    member = next(m for m in sample.members() if m.key_changed)
    dialog = _opened(SafetyNumberDialog(member, parent))
    verified = _record(dialog.verifiedRequested)
    assert dialog.number.text().splitlines()[0] == "37261 04587 99120 45566"
    labels = [w.text() for w in dialog.findChildren(type(dialog.number))]
    assert any("key changed" in text for text in labels)
    dialog.verify_button.click()
    assert verified == [(member,)]


def test_safety_number_not_available(parent: QWidget) -> None:
    member = replace(sample.members()[1], safety_number="")
    dialog = _opened(SafetyNumberDialog(member, parent))
    assert not dialog.verify_button.isEnabled()
    assert group_digits("1234567890") == "12345 67890"


def test_report_emits_a_typed_request(parent: QWidget) -> None:
    member = sample.members()[2]
    post = sample.conversation(1_000.0)[4]
    dialog = _opened(ReportDialog(member, post, parent))
    sent = _record(dialog.reportRequested)
    dialog.reason.setCurrentIndex(dialog.reason.findData(ReportReason.OTHER))
    dialog.submit()
    assert sent == [] and "few words" in dialog.error.text()
    dialog.details.setPlainText("  Kept messaging me after I said stop.  ")
    dialog.anonymous.setChecked(False)
    dialog.send_button.click()
    assert sent == [
        (
            ReportRequest(
                circle_id=member.circle_id,
                member_key=member.key,
                post_id=post.id,
                reason=ReportReason.OTHER,
                details="Kept messaging me after I said stop.",
                anonymous=False,
            ),
        )
    ]


def test_report_is_anonymous_by_default(parent: QWidget) -> None:
    dialog = _opened(ReportDialog(sample.members()[1], None, parent))
    sent = _record(dialog.reportRequested)
    dialog.submit()
    (request,) = sent[0]
    assert request.anonymous and request.post_id is None
    assert request.reason is ReportReason.HARASSMENT


def test_moderation_queue_actions(parent: QWidget) -> None:
    members = sample.members()
    post = sample.conversation(1_000.0)[2]
    reports = [
        ModerationReport("a", sample.CIRCLE_ID, members[3], ReportReason.SPAM, "", "", 1.0, post),
        ModerationReport("b", sample.CIRCLE_ID, members[2], ReportReason.HATE, "x", "Amber", 2.0),
        ModerationReport("c", sample.CIRCLE_ID, members[4], ReportReason.OTHER, "", "", 3.0),
    ]
    dialog = _opened(ModerationQueueDialog(reports, parent))
    hidden = _record(dialog.hidePostRequested)
    removed = _record(dialog.removeMemberRequested)
    dismissed = _record(dialog.dismissRequested)
    assert dialog.list.count() == 3 and dialog.current() == reports[0]
    assert dialog.evidence.text() == post.body and dialog.hide_button.isEnabled()
    assert "asked not to be named" in dialog.summary.text()
    dialog.hide_button.click()
    assert hidden == [(reports[0],)]
    assert dialog.current() == reports[1] and not dialog.hide_button.isEnabled()
    assert "Amber" in dialog.summary.text()
    dialog.remove_button.click()
    dialog.dismiss_button.click()
    assert removed == [(reports[1],)] and dismissed == [(reports[2],)]
    assert dialog.empty.isVisible() and not dialog.list.isVisible()


def test_about_shows_version_licence_and_threat_model(parent: QWidget) -> None:
    dialog = _opened(AboutDialog(parent))
    support = _record(dialog.supportRequested)
    assert dialog.version.text().startswith("Version ")
    assert "What it does not" in dialog.threat_model.text()
    dialog.support_button.click()
    assert support == [()]


def test_support_lists_editable_resources_and_the_faq(parent: QWidget) -> None:
    entries = support_entries()
    titles = [e.title for e in entries]
    assert any("danger" in t for t in titles) and "Talk to someone you trust" in titles
    dialog = _opened(SupportDialog(entries, "## A question\n\nAn answer.", None, parent))
    assert len(dialog.cards) == len(entries)
    assert "A question" in dialog.faq.toPlainText()
    assert any("file your community can edit" in label.text() for label in dialog.findChildren(
        type(dialog.heading)
    ))  # fmt: skip


def test_circle_settings_let_the_host_change_who_asks_to_join(parent: QWidget) -> None:
    dialog = CircleSettingsDialog(sample.circle(Role.HOST), parent)
    assert not dialog.auto_approve.isChecked() and dialog.changes().auto_approve is None
    dialog.auto_approve.setChecked(True)
    assert dialog.changes().auto_approve is True
    member = CircleSettingsDialog(sample.circle(Role.MEMBER), parent)
    member.auto_approve.setChecked(True)  # not shown to members, and never sent
    assert member.auto_approve.isHidden() and member.changes().auto_approve is None


def test_turning_anonymous_posting_on_says_how_strong_it_is(parent: QWidget) -> None:
    """Issue 17's honest words where the setting is turned on: nobody, not even the host, can
    tell who wrote a post, and that is only as strong as the circle is big."""
    dialog = _opened(CreateCircleDialog(lambda: "Gentle Fern", parent))
    assert not dialog.anonymity_note.isVisible()
    dialog.anonymous.setChecked(True)
    note = dialog.anonymity_note
    assert note.isVisible() and "not even the host" in note.text()
    assert "only as strong as the circle is big" in note.text()
    dialog.anonymous.setChecked(False)
    assert not note.isVisible()


def test_circle_settings_say_among_how_many_people_an_anonymous_post_hides(
    parent: QWidget,
) -> None:
    anonymous = next(c for c in sample.other_circles() if c.settings.anonymous_posting)
    for members, words in ((2, "at least 3 people"), (4, "weak"), (12, "among the 12 people")):
        circle = replace(anonymous, members=members)
        dialog = _opened(CircleSettingsDialog(circle, parent))
        assert dialog.anonymity_note.isVisible() and words in dialog.anonymity_note.text()
        dialog.close()
    named = next(c for c in sample.other_circles() if not c.settings.anonymous_posting)
    dialog = _opened(CircleSettingsDialog(named, parent))
    assert not dialog.anonymity_note.isVisible()
    dialog.close()
