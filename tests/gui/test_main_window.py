"""The main window: welcome, conversation, panel, shortcuts, themes, on real widgets offscreen."""

from __future__ import annotations

import asyncio
import dataclasses
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from messenger.views import DeliveryState, DirectMessageView, Role
from tests.qtasync import await_signal
from ui import sample_data as sample
from ui.dialogs import CreateCircleDialog, JoinDialog, ReportDialog, SettingsDialog, SupportDialog
from ui.main_window import MainWindow
from ui.preferences import Preferences
from ui.theme import DARK, LIGHT, ThemeChoice, apply_theme, current


def _window(qtbot: QtBot, **kwargs: object) -> MainWindow:
    window = MainWindow(suggest_pseudonym=lambda: "Gentle Fern", **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    return window


def test_empty_state_is_the_welcome_with_next_steps(qtbot: QtBot) -> None:
    window = _window(qtbot)
    area = window.conversation
    assert area.stack.currentWidget() is area.empty
    assert area.empty.title.text() == "Welcome to Hearth"
    assert area.empty.create_button.isVisible() and area.empty.join_button.isVisible()
    # The composer is there but idle, and says why.
    assert not area.composer.edit.isEnabled()
    assert "Create or join a circle" in area.composer.edit.placeholderText()
    # Empty sidebar sections show hints, not empty boxes.
    for section in (window.sidebar.circles, window.sidebar.direct, window.sidebar.people):
        assert section.hint.isVisible() and not section.view.isVisible()
    assert not window.panel.isVisible()


def test_showing_a_circle_and_posting(qtbot: QtBot) -> None:
    window = _window(qtbot)
    circle = sample.circle()
    window.set_circles(sample.other_circles())
    window.show_circle(circle, sample.conversation(time.time()), has_older=False)
    area = window.conversation
    assert area.title.text() == circle.name
    assert "4 people here" in area.subtitle.text() and "you host it" in area.subtitle.text()
    assert area.messages.isVisible() and area.model.rowCount() == 7
    assert window.sidebar.circles.view.isVisible()
    assert window.sidebar.circles.view.currentIndex().row() == 0
    posted: list[tuple[bytes, str, str]] = []
    area.postRequested.connect(lambda c, t, w, _reply: posted.append((c, t, w)))
    qtbot.keyClicks(area.composer.edit, "Hello everyone")
    qtbot.keyClick(area.composer.edit, Qt.Key.Key_Return)
    assert posted == [(circle.id, "Hello everyone", "")]


def test_circle_selection_from_the_sidebar(qtbot: QtBot) -> None:
    window = _window(qtbot)
    window.set_circles(sample.other_circles())
    chosen: list[bytes] = []
    window.sidebar.circleSelected.connect(chosen.append)
    view = window.sidebar.circles.view
    rect = view.visualRect(window.sidebar.circle_model.index(1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert chosen == [sample.other_circles()[1].id]
    assert window.sidebar.circle_model.data(
        window.sidebar.circle_model.index(1), Qt.ItemDataRole.AccessibleTextRole
    ).endswith("3 unread messages")


def test_direct_conversation_sends_direct_messages(qtbot: QtBot) -> None:
    window = _window(qtbot)
    peer = sample.key("Amber Fox")
    window.show_direct(sample.CIRCLE_ID, peer, "Amber Fox", [], has_older=False)
    area = window.conversation
    assert area.title.text() == "Amber Fox" and not area.invite_button.isVisible()
    assert not area.composer.warning_button.isVisible()
    assert area.no_posts.isVisible()
    sent: list[tuple[bytes, bytes, str]] = []
    area.directMessageRequested.connect(lambda c, k, t: sent.append((c, k, t)))
    area.composer.edit.setPlainText("See you Tuesday")
    area.composer.submit()
    assert sent == [(sample.CIRCLE_ID, peer, "See you Tuesday")]


def test_a_circle_update_leaves_an_open_direct_conversation_alone(qtbot: QtBot) -> None:
    """Seen in a scenario's screenshot: a newcomer opened a private conversation, then "you were
    let in" refreshed its circle and the header named the circle and its people instead of the
    person they were writing to."""
    window = _window(qtbot)
    peer = sample.key("Amber Fox")
    window.show_direct(sample.CIRCLE_ID, peer, "Amber Fox", [], has_older=False)
    area = window.conversation
    area.update_circle(sample.circle())
    assert area.title.text() == "Amber Fox"
    assert area.subtitle.text().startswith("Direct messages")
    assert "Amber Fox" in area.composer.edit.placeholderText()
    window.show_circle(sample.circle(), [], has_older=False)  # back in the circle, it updates
    area.update_circle(dataclasses.replace(sample.circle(), name="Renamed"))
    assert area.title.text() == "Renamed"


def test_direct_list_orders_by_latest_and_counts_unread(qtbot: QtBot) -> None:
    window = _window(qtbot)
    model = window.sidebar.direct_model

    def dm(peer: str, n: int, outgoing: bool) -> DirectMessageView:
        return DirectMessageView(
            sample.CIRCLE_ID, sample.post_id(n), sample.key(peer), peer, outgoing,
            1000.0 + n, "hi", DeliveryState.SENT,
        )  # fmt: skip

    model.add_message(dm("Amber Fox", 1, False))
    model.add_message(dm("Bright Wren", 2, False))
    model.add_message(dm("Amber Fox", 3, False))
    model.add_message(dm("Amber Fox", 4, True))
    assert [model.item_at(r).peer for r in range(2)] == ["Amber Fox", "Bright Wren"]
    assert model.item_at(0).unread == 2
    assert model.mark_read(sample.CIRCLE_ID, sample.key("Amber Fox"))
    assert model.item_at(0).unread == 0
    assert window.sidebar.direct.view.isVisible()


def test_people_here_lists_present_members_but_not_me(qtbot: QtBot) -> None:
    window = _window(qtbot)
    window.show_members(sample.CIRCLE_ID, sample.members())
    names = [m.pseudonym for m in window.sidebar.people_model.items()]
    assert names == ["Amber Fox", "Bright Wren", "Patient Willow"]
    gone = next(m for m in sample.members() if m.pseudonym == "Amber Fox")
    from dataclasses import replace

    window.update_member(replace(gone, present=False))
    assert [m.pseudonym for m in window.sidebar.people_model.items()] == [
        "Bright Wren",
        "Patient Willow",
    ]


def test_circle_panel_opens_from_the_header_and_asks_for_members(qtbot: QtBot) -> None:
    window = _window(qtbot)
    circle = sample.circle()
    window.set_circles([circle])
    window.show_circle(circle, [], has_older=False)
    asked: list[bytes] = []
    window.membersRequested.connect(asked.append)
    window.conversation.panel_button.click()
    assert window.panel.isVisible() and asked == [circle.id]
    window.show_members(circle.id, sample.members())
    assert window.panel.members_model.rowCount() == 5
    assert window.panel.rules.text() == circle.rules
    window.panel.close_button.click()
    assert not window.panel.isVisible()


def test_typing_indicator_words(qtbot: QtBot) -> None:
    window = _window(qtbot, preferences=Preferences(typing_indicators=True))
    window.show_circle(sample.circle(), [], has_older=False)
    area = window.conversation
    area.set_typing(["Amber Fox"])
    assert area.typing_label.isVisible() and area.typing_label.text() == "Amber Fox is typing…"
    area.set_typing(["Amber Fox", "Bright Wren"])
    assert area.typing_label.text() == "Amber Fox and Bright Wren are typing…"
    area.set_typing(["a", "b", "c"])
    assert area.typing_label.text() == "Several people are typing…"
    window.apply_preferences(Preferences(typing_indicators=False), apply_look=False)
    assert not area.typing_label.isVisible()


def test_keyboard_shortcuts(qtbot: QtBot) -> None:
    window = _window(qtbot)
    with qtbot.waitActive(window):
        window.activateWindow()
    window.set_circles(sample.other_circles())
    opened: list[object] = []
    window.dialogOpened.connect(opened.append)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(opened[-1], CreateCircleDialog)
    dialog = opened[-1]
    assert isinstance(dialog, CreateCircleDialog) and dialog.isVisible()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Esc closes dialogs
    assert not dialog.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(opened[-1], JoinDialog)
    qtbot.keyClick(opened[-1], Qt.Key.Key_Escape)
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(opened[-1], SettingsDialog)
    qtbot.keyClick(opened[-1], Qt.Key.Key_Escape)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert isinstance(opened[-1], SupportDialog)
    qtbot.keyClick(opened[-1], Qt.Key.Key_Escape)
    window.action("circles").trigger()  # Ctrl+K
    assert window.sidebar.circles.view.hasFocus() or QApplication.focusWidget() is (
        window.sidebar.circles.view
    )
    assert window.action("circles").shortcut().toString() == "Ctrl+K"
    assert window.action("new").shortcut().toString() == "Ctrl+N"
    assert window.action("join").shortcut().toString() == "Ctrl+J"


def test_host_only_controls(qtbot: QtBot) -> None:
    window = _window(qtbot)
    member_circle = sample.circle(Role.MEMBER)
    window.set_circles([member_circle])
    window.show_circle(member_circle, [], has_older=False)
    assert not window.conversation.invite_button.isEnabled()
    window.show_panel(member_circle)
    assert not window.panel.remove_button.isVisible()
    assert not window.panel.link.isVisible()


def test_theme_follows_choice(qapp: QApplication) -> None:
    assert apply_theme(qapp, ThemeChoice.DARK) is DARK
    assert qapp.palette().window().color().name() == DARK.window and current() is DARK
    assert apply_theme(qapp, ThemeChoice.LIGHT) is LIGHT
    assert qapp.palette().window().color().name() == LIGHT.window and current() is LIGHT


def test_dark_and_light_texts_contrast() -> None:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def contrast(a: str, b: str) -> float:
        hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
        return (hi + 0.05) / (lo + 0.05)

    for c in (LIGHT, DARK):
        for background in (
            c.window, c.surface, c.bubble_mine, c.bubble_other, c.sidebar, c.cw_bg
        ):  # fmt: skip
            assert contrast(c.text, background) >= 7, (c.name, background)
            assert contrast(c.muted, background) >= 4.5, (c.name, background)
        assert contrast(c.accent_text, c.accent) >= 4.5, c.name
        assert contrast(c.badge_text, c.badge) >= 4.5, c.name
        assert contrast(c.warning_text, c.warning_bg) >= 4.5, c.name
        assert contrast(c.danger, c.warning_bg) >= 4.5, c.name  # "Key changed"
        assert contrast(c.accent, c.window) >= 4.5, c.name  # link buttons


def test_welcome_buttons_signal_on_the_qasync_loop(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop
) -> None:
    window = _window(qtbot)
    opened: list[object] = []
    window.dialogOpened.connect(opened.append)

    async def scenario() -> None:
        asyncio.get_running_loop().call_later(0.05, window.conversation.empty.join_button.click)
        await await_signal(window.conversation.empty.joinCircleRequested, timeout=5)

    qasync_loop.run_until_complete(asyncio.wait_for(scenario(), 10))
    assert isinstance(opened[-1], JoinDialog)
    opened[-1].reject()


def test_a_post_can_be_reported_or_hidden_from_its_menu(qtbot: QtBot) -> None:
    window = _window(qtbot)
    circle = sample.circle(Role.HOST)
    posts = sample.conversation(time.time())
    window.set_circles([circle])
    window.show_circle(circle, posts, has_older=False)
    window.show_panel(circle)
    window.show_members(circle.id, sample.members())
    view = window.conversation.messages
    theirs = next(p for p in posts if not p.mine)
    menu = view.post_menu(theirs)
    texts = [a.text() for a in menu.actions()]
    assert texts == ["Copy text", "Reply", "Report…", "Hide for everyone", "React"]
    hidden: list[object] = []
    window.hidePostRequested.connect(hidden.append)
    opened: list[object] = []
    window.dialogOpened.connect(opened.append)
    menu.actions()[3].trigger()
    menu.actions()[2].trigger()
    assert hidden == [theirs]
    report = opened[-1]
    assert isinstance(report, ReportDialog) and report.post == theirs
    assert report.member.pseudonym == theirs.author
    menu.actions()[0].trigger()
    assert QApplication.clipboard().text() == theirs.body
    # Mine cannot be reported; a plain member cannot hide posts.
    mine = next(p for p in posts if p.mine)
    assert [a.text() for a in view.post_menu(mine).actions()] == [
        "Copy text",
        "Reply",
        "Hide for everyone",
        "Delete for everyone…",
        "React",
    ]
    window.show_circle(sample.circle(Role.MEMBER), posts, has_older=False)
    assert [a.text() for a in view.post_menu(theirs).actions()] == [
        "Copy text",
        "Reply",
        "Report…",
        "React",
    ]
    warned = next(p for p in posts if p.content_warning)
    assert "Show the message" in [a.text() for a in view.post_menu(warned).actions()]


def test_the_composer_says_among_how_many_people_here_a_post_hides(qtbot: QtBot) -> None:
    """An anonymous post goes out in a round of the people present: the composer's words count
    them (the same N as the header's "N people here") and follow people coming and going."""
    window = _window(qtbot)
    anonymous = next(c for c in sample.other_circles() if c.settings.anonymous_posting)
    label = window.conversation.composer.anonymity
    window.show_circle(dataclasses.replace(anonymous, members_present=2), [], has_older=False)
    assert label.isVisible() and "at least 3 people here" in label.text()
    window.update_circle(dataclasses.replace(anonymous, members_present=4))
    assert "among the 4 people here: weak" in label.text()
    window.update_circle(dataclasses.replace(anonymous, members_present=6))
    assert "among the 6 people here." in label.text()
    assert "6 people here" in window.conversation.subtitle.text()
    named = next(c for c in sample.other_circles() if not c.settings.anonymous_posting)
    window.show_circle(named, [], has_older=False)
    assert not label.isVisible()
