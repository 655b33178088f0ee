"""The composer: Enter sends, Shift+Enter breaks the line, starters, warnings, the counter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ui.texts import starters
from ui.widgets.composer import COUNTER_FROM, MAX_POST_BYTES, MAX_WARNING_BYTES, Composer


def _composer(qtbot: QtBot, **kwargs: object) -> tuple[Composer, list[tuple[str, str]]]:
    composer = Composer(**kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(composer)
    composer.show()
    composer.set_available(True)
    sent: list[tuple[str, str]] = []
    composer.submitted.connect(lambda text, warning: sent.append((text, warning)))
    return composer, sent


def test_enter_sends_shift_enter_breaks_the_line(qtbot: QtBot) -> None:
    composer, sent = _composer(qtbot)
    qtbot.keyClicks(composer.edit, "first line")
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(composer.edit, "second")
    qtbot.keyClick(composer.edit, Qt.Key.Key_Enter)
    assert sent == [("first line\nsecond", "")]
    assert composer.edit.toPlainText() == ""
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return)  # nothing to send: nothing sent
    qtbot.keyClicks(composer.edit, "   ")
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return)
    assert len(sent) == 1


def test_idle_composer_sends_nothing(qtbot: QtBot) -> None:
    composer, sent = _composer(qtbot)
    composer.edit.setPlainText("hello")
    composer.set_available(False)
    composer.submit()
    assert sent == [] and not composer.tools.isVisible()


def test_starters_come_from_the_resource_and_insert_at_the_cursor(qtbot: QtBot) -> None:
    questions = starters()
    assert len(questions) >= 10 and all(q.endswith("?") for q in questions)
    composer, sent = _composer(qtbot)
    assert composer.starter_questions() == questions
    composer.edit.setPlainText("Hello all. ")
    composer.edit.moveCursor(composer.edit.textCursor().MoveOperation.End)
    composer.starters_menu.actions()[1].trigger()
    assert composer.edit.toPlainText() == "Hello all. " + questions[1]
    assert composer.edit.hasFocus() or not composer.isActiveWindow()
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return)
    assert sent == [("Hello all. " + questions[1], "")]


def test_content_warning_toggle_shows_a_field_and_sends_it(qtbot: QtBot) -> None:
    composer, sent = _composer(qtbot)
    assert not composer.warning_edit.isVisible()
    composer.warning_button.click()
    assert composer.warning_edit.isVisible()
    qtbot.keyClicks(composer.warning_edit, "  grief  ")
    composer.edit.setPlainText("It has been a year.")
    composer.submit()
    assert sent == [("It has been a year.", "grief")]
    assert not composer.warning_button.isChecked() and not composer.warning_edit.isVisible()
    assert composer.warning_edit.text() == ""
    # A warning typed then switched off is not sent.
    composer.warning_button.click()
    composer.warning_edit.setText("hidden again")
    composer.warning_button.click()
    composer.edit.setPlainText("plain")
    composer.submit()
    assert sent[-1] == ("plain", "")
    assert composer.warning_edit.maxLength() == MAX_WARNING_BYTES


def test_counter_appears_near_the_limit_and_blocks_oversize(qtbot: QtBot) -> None:
    composer, sent = _composer(qtbot)
    composer.edit.setPlainText("short")
    assert not composer.counter.isVisible()
    composer.edit.setPlainText("a" * COUNTER_FROM)
    assert composer.counter.isVisible()
    assert composer.counter.text() == f"{COUNTER_FROM} / {MAX_POST_BYTES}"
    assert composer.send_button.isEnabled()
    composer.edit.setPlainText("é" * (MAX_POST_BYTES // 2 + 5))  # two bytes each
    assert composer.counter.property("over") == "true"
    assert "Too long by 10" in composer.counter.text()
    assert not composer.send_button.isEnabled()
    composer.submit()
    assert sent == []
    composer.edit.setPlainText("é" * (MAX_POST_BYTES // 2))
    assert composer.send_button.isEnabled()
    composer.submit()
    assert len(sent) == 1


def test_typing_is_signalled_at_most_every_few_seconds(qtbot: QtBot) -> None:
    now = [100.0]
    composer, _ = _composer(qtbot, clock=lambda: now[0])
    typed: list[int] = []
    composer.typing.connect(lambda: typed.append(1))
    qtbot.keyClicks(composer.edit, "abc")
    assert typed == []  # off unless the settings turn typing indicators on
    composer.typing_enabled = True
    qtbot.keyClicks(composer.edit, "def")
    assert typed == [1]
    now[0] += 1
    qtbot.keyClicks(composer.edit, "g")
    assert typed == [1]
    now[0] += 3
    qtbot.keyClicks(composer.edit, "h")
    assert typed == [1, 1]
