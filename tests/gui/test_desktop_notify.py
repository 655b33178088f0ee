"""The portal notification asked through gdbus where there is no tray (issue 15 item 9)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui import desktop_notify


def test_the_portal_call_quotes_what_it_shows() -> None:
    args = desktop_notify.command("Hearth", "Amber's \\ request")
    assert args[:8] == [
        "call",
        "--session",
        "--dest",
        "org.freedesktop.portal.Desktop",
        "--object-path",
        "/org/freedesktop/portal/desktop",
        "--method",
        "org.freedesktop.portal.Notification.AddNotification",
    ]
    assert args[8].startswith("hearth-")
    assert args[9] == "{'title': <'Hearth'>, 'body': <'Amber\\'s \\\\ request'>}"


def test_without_gdbus_nothing_is_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ui.desktop_notify.shutil.which", lambda name: None)
    assert desktop_notify.send("Hearth", "Someone asks to talk privately") is False


def test_without_a_session_bus_nothing_is_sent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """No desktop session (a bare X server, a service): gdbus is not started (it would try
    to launch a bus of its own and print an error for every notice)."""
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))  # no "bus" socket in it
    monkeypatch.setattr("ui.desktop_notify.shutil.which", lambda name: "/usr/bin/gdbus")
    assert desktop_notify.send("Hearth", "New private message") is False


def test_private_messages_notify_at_the_chosen_detail() -> None:
    from ui.preferences import NotificationContent
    from ui.tray import direct_notification_text

    said = direct_notification_text(NotificationContent.REDACTED, "Amber Fox", "hello")
    assert said == ("Hearth", "New private message")
    said = direct_notification_text(NotificationContent.WITH_SENDER, "Amber Fox", "hello")
    assert said == ("Hearth", "New private message from Amber Fox")
    said = direct_notification_text(NotificationContent.FULL, "Amber Fox", "hello")
    assert said == ("Amber Fox, privately", "hello")


def test_the_tray_icon_carries_the_unread_count(qapp: object) -> None:
    from PySide6.QtGui import QColor, QIcon, QPixmap

    from ui.tray import BADGE_COLOUR, BADGE_SIZE, badged_icon

    plain = QPixmap(BADGE_SIZE, BADGE_SIZE)
    plain.fill(QColor("#336699"))
    base = QIcon(plain)
    assert badged_icon(base, 0) is base
    image = badged_icon(base, 3).pixmap(BADGE_SIZE, BADGE_SIZE).toImage()
    corner = image.pixelColor(BADGE_SIZE - 8, 14)  # inside the badge, away from the digit
    assert corner.name() == QColor(BADGE_COLOUR).name()
    assert image.pixelColor(4, BADGE_SIZE - 4).name() == "#336699"  # the icon itself
