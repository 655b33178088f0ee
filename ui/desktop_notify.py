"""Desktop notifications where there is no tray (stock GNOME): the notification portal.

``org.freedesktop.portal.Notification`` answers on GNOME, KDE and inside Flatpak. It is asked
through ``gdbus`` (part of GLib, present wherever GNOME is), started detached so the window
never waits for it. Without ``gdbus`` or a session bus nothing is sent and the caller knows
(False): the window's title and the tray tooltip still carry the count.
"""

from __future__ import annotations

import itertools
import os
import shutil

from PySide6.QtCore import QProcess

SERVICE = "org.freedesktop.portal.Desktop"
PATH = "/org/freedesktop/portal/desktop"
METHOD = "org.freedesktop.portal.Notification.AddNotification"
_ids = itertools.count(1)


def _gvariant_string(text: str) -> str:
    """``text`` as a GVariant string literal (quotes and backslashes escaped)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def command(title: str, message: str) -> list[str]:
    """The ``gdbus`` arguments that ask the portal to show ``title`` and ``message``."""
    notification = (
        "{'title': <" + _gvariant_string(title) + ">, 'body': <" + _gvariant_string(message) + ">}"
    )
    return [
        "call",
        "--session",
        "--dest",
        SERVICE,
        "--object-path",
        PATH,
        "--method",
        METHOD,
        f"hearth-{next(_ids)}",
        notification,
    ]


def _session_bus() -> bool:
    """Whether there is a desktop session bus to ask (else gdbus would try to start one)."""
    if os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return True
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    return bool(runtime) and os.path.exists(os.path.join(runtime, "bus"))


def send(title: str, message: str) -> bool:
    """Ask the desktop to show a notification; False when it cannot be asked here."""
    gdbus = shutil.which("gdbus")
    if gdbus is None or not _session_bus():
        return False
    started, _ = QProcess.startDetached(gdbus, command(title, message))
    return bool(started)
