"""Desktop notifications where there is no tray (stock GNOME): the notification portal.

``org.freedesktop.portal.Notification`` answers on GNOME, KDE and inside Flatpak, and its
signature (a string and a dict of variants) marshals cleanly from Python. The message is sent
without waiting for an answer. Without a session bus nothing is sent and the caller knows
(False): the window's title still carries the count.
"""

from __future__ import annotations

import itertools

from PySide6.QtDBus import QDBusConnection, QDBusMessage

SERVICE = "org.freedesktop.portal.Desktop"
PATH = "/org/freedesktop/portal/desktop"
INTERFACE = "org.freedesktop.portal.Notification"
_ids = itertools.count(1)


def send(title: str, message: str) -> bool:
    """Ask the desktop to show a notification; False when there is no session bus."""
    bus = QDBusConnection.sessionBus()
    if not bus.isConnected():
        return False
    call = QDBusMessage.createMethodCall(SERVICE, PATH, INTERFACE, "AddNotification")
    call.setArguments([f"hearth-{next(_ids)}", {"title": title, "body": message}])
    return bool(bus.send(call))
