"""Tray notifications (redacted by default), quick hide, the panic wipe and its confirmation."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ui import sample_data as sample
from ui.dialogs.confirm import ConfirmDialog
from ui.main_window import MainWindow
from ui.preferences import NotificationContent, Preferences
from ui.tray import notification_text


def _window(qtbot: QtBot, **kwargs: object) -> MainWindow:
    window = MainWindow(suggest_pseudonym=lambda: "Gentle Fern", **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    return window


def test_notifications_say_only_what_the_settings_allow() -> None:
    circle, sender, body = "Grief circle", "Amber Fox", "It has been a hard week."
    title, text = notification_text(NotificationContent.REDACTED, circle, sender, body)
    assert (title, text) == ("Hearth", "New message in a circle")
    assert circle not in title + text and sender not in title + text
    title, text = notification_text(NotificationContent.WITH_SENDER, circle, sender, body)
    assert text == "New message from Amber Fox in Grief circle" and body not in text
    title, text = notification_text(NotificationContent.FULL, circle, sender, "x" * 500)
    assert title == "Amber Fox in Grief circle" and len(text) == 160 and text.endswith("…")
    _, text = notification_text(NotificationContent.WITH_SENDER, circle, "", body)
    assert text == "New message from someone in Grief circle"


def test_window_notifies_redacted_by_default(qtbot: QtBot) -> None:
    window = _window(qtbot)
    assert window.preferences.notifications is NotificationContent.REDACTED
    said = window.notify("Grief circle", "Amber Fox", "secret")
    assert said == ("Hearth", "New message in a circle") and window.tray.last == said


def test_without_a_system_tray_the_window_still_works(qtbot: QtBot) -> None:
    window = _window(qtbot)
    # Offscreen there is no tray: no icon, and nothing breaks.
    assert window.tray.available == (window.tray.icon is not None)
    window.tray.close()


def test_quick_hide_takes_the_window_off_screen_at_once(qtbot: QtBot) -> None:
    window = _window(qtbot)
    settings = window.open_settings()
    assert settings.isVisible()
    window.action("hide").trigger()
    assert not settings.isVisible()
    assert not window.isVisible() or window.isMinimized()
    window.show_again()
    assert window.isVisible() and not window.isMinimized()


def test_panic_asks_first_when_the_settings_say_so(qtbot: QtBot) -> None:
    window = _window(qtbot)
    wiped: list[int] = []
    window.panicWipeRequested.connect(lambda: wiped.append(1))
    on_screen: list[bool] = []  # was the window still showing when the wipe was asked for?
    window.panicWipeRequested.connect(
        lambda: on_screen.append(window.isVisible() and not window.isMinimized())
    )
    opened: list[object] = []
    window.dialogOpened.connect(opened.append)
    window.action("panic").trigger()
    box = opened[-1]
    assert isinstance(box, ConfirmDialog) and box.isVisible() and wiped == []
    assert box.cancel_button.isDefault() and box.cancel_button.text() == "Cancel"
    box.cancel_button.click()
    assert wiped == [] and window.isVisible()
    window.action("panic").trigger()
    box = opened[-1]
    assert isinstance(box, ConfirmDialog) and box.confirm_button.text() == "Wipe now"
    box.confirm_button.click()
    assert wiped == [1]
    assert on_screen == [False]  # off the screen first, then the wipe
    assert not window.isVisible() or window.isMinimized()


def test_panic_without_confirmation_wipes_at_once(qtbot: QtBot) -> None:
    window = _window(qtbot, preferences=Preferences(panic_confirm=False))
    wiped: list[int] = []
    window.panicWipeRequested.connect(lambda: wiped.append(1))
    on_screen: list[bool] = []
    window.panicWipeRequested.connect(
        lambda: on_screen.append(window.isVisible() and not window.isMinimized())
    )
    window.action("panic").trigger()
    assert wiped == [1]
    assert on_screen == [False]  # the window left the screen before the wipe was asked for


def test_settings_wipe_button_always_confirms(qtbot: QtBot) -> None:
    window = _window(qtbot, preferences=Preferences(panic_confirm=False))
    wiped: list[int] = []
    window.panicWipeRequested.connect(lambda: wiped.append(1))
    opened: list[object] = []
    window.dialogOpened.connect(opened.append)
    settings = window.open_settings()
    settings.wipe_button.click()
    assert wiped == [] and isinstance(opened[-1], ConfirmDialog)


def test_saved_settings_rebind_the_shortcuts(qtbot: QtBot) -> None:
    window = _window(qtbot)
    changed: list[object] = []
    window.preferencesChanged.connect(changed.append)
    settings = window.open_settings()
    new = Preferences(panic_shortcut="Ctrl+Alt+W", hide_shortcut="Ctrl+Alt+H")
    settings.settingsChanged.emit(new)
    assert changed == [new]
    assert window.action("panic").shortcut().toString() == "Ctrl+Alt+W"
    assert window.action("hide").shortcut().toString() == "Ctrl+Alt+H"


def test_reply_cues_appear_only_when_turned_on(qtbot: QtBot) -> None:
    import time
    from dataclasses import replace

    window = _window(qtbot)
    circle = sample.circle()
    now = time.time()
    me, amber = sample.key(sample.ME), sample.key("Amber Fox")
    posts = []
    base = sample.conversation(now)[0]
    for n in range(8):  # I post, Amber answers two minutes later, each time
        t = now - 10_000 + n * 600
        mine = replace(base, id=sample.post_id(n, b"q"), author_key=me, author=sample.ME)
        posts.append(replace(mine, seq=n + 1, ts=t))
        hers = replace(base, id=sample.post_id(n, b"a"), author_key=amber, author="Amber Fox")
        posts.append(replace(hers, seq=n + 1, ts=t + 120))
    window.set_circles([circle])
    window.show_circle(circle, posts, has_older=False)
    window.show_panel(circle)
    window.show_members(circle.id, sample.members())
    assert window.panel.members_model.cue(amber) == ""
    window.apply_preferences(Preferences(reply_cues=True), apply_look=False)
    assert window.panel.members_model.cue(amber) == "usually replies within a few minutes"
