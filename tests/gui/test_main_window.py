"""The main window's frame and empty state, in real widgets offscreen."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.qtasync import await_signal
from ui.main_window import MainWindow
from ui.theme import DARK, LIGHT, ThemeChoice, apply_theme


def test_empty_state_is_the_welcome_with_next_steps(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
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


def test_every_button_has_an_accessible_name(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QAbstractButton

    window = MainWindow()
    qtbot.addWidget(window)
    for button in window.findChildren(QAbstractButton):
        assert button.accessibleName() or button.text(), button


def test_composer_enter_sends_shift_enter_breaks_line(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    composer = window.conversation.composer
    composer.set_available(True)
    sent: list[str] = []
    composer.submitted.connect(sent.append)
    qtbot.keyClicks(composer.edit, "first line")
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(composer.edit, "second")
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return)
    assert sent == ["first line\nsecond"]
    assert composer.edit.toPlainText() == ""


def test_theme_follows_choice(qapp: QApplication) -> None:
    assert apply_theme(qapp, ThemeChoice.DARK) is DARK
    assert qapp.palette().window().color().name() == DARK.window
    assert apply_theme(qapp, ThemeChoice.LIGHT) is LIGHT
    assert qapp.palette().window().color().name() == LIGHT.window


def test_welcome_buttons_signal_on_the_qasync_loop(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop
) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()

    async def scenario() -> None:
        asyncio.get_running_loop().call_later(
            0.05, window.conversation.empty.join_button.click
        )
        await await_signal(window.conversation.empty.joinCircleRequested, timeout=5)

    qasync_loop.run_until_complete(asyncio.wait_for(scenario(), 10))
