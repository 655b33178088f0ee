"""The tray icon and its notifications: redacted by default; skipped where there is no tray."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from messenger import APP_NAME

from . import desktop_notify
from .preferences import NotificationContent

translate = QCoreApplication.translate
MAX_NOTIFIED_BODY = 160


def notification_text(
    content: NotificationContent, circle: str, sender: str, body: str
) -> tuple[str, str]:
    """The (title, message) a notification shows under the chosen level of detail."""
    if content is NotificationContent.REDACTED:
        return APP_NAME, translate("Tray", "New message in a circle")
    who = sender or translate("Tray", "someone")
    if content is NotificationContent.WITH_SENDER:
        return APP_NAME, translate("Tray", "New message from {sender} in {circle}").format(
            sender=who, circle=circle
        )
    text = body if len(body) <= MAX_NOTIFIED_BODY else body[: MAX_NOTIFIED_BODY - 1] + "…"
    return translate("Tray", "{sender} in {circle}").format(sender=who, circle=circle), text


BADGE_SIZE = 64
BADGE_COLOUR = "#c0502e"


def badged_icon(icon: QIcon, count: int) -> QIcon:
    """``icon`` with the unread count in a round badge at its top right (none for 0)."""
    if count <= 0:
        return icon
    pixmap = icon.pixmap(BADGE_SIZE, BADGE_SIZE)
    if pixmap.isNull():
        pixmap = QPixmap(BADGE_SIZE, BADGE_SIZE)
        pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    diameter = BADGE_SIZE * 0.55
    badge = QRectF(BADGE_SIZE - diameter, 0, diameter, diameter)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(BADGE_COLOUR))
    painter.drawEllipse(badge)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(diameter * 0.6))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), str(count) if count < 10 else "9+")
    painter.end()
    return QIcon(pixmap)


def request_notification_text(
    content: NotificationContent, circle: str, peer: str
) -> tuple[str, str]:
    """The (title, message) for "someone asks to talk privately" under the chosen detail."""
    if content is NotificationContent.REDACTED:
        return APP_NAME, translate("Tray", "Someone asks to talk privately")
    return APP_NAME, translate("Tray", "{peer} in {circle} asks to talk privately").format(
        peer=peer or translate("Tray", "someone"), circle=circle
    )


def direct_notification_text(content: NotificationContent, peer: str, body: str) -> tuple[str, str]:
    """The (title, message) for a private message under the chosen level of detail."""
    if content is NotificationContent.REDACTED:
        return APP_NAME, translate("Tray", "New private message")
    who = peer or translate("Tray", "someone")
    if content is NotificationContent.WITH_SENDER:
        return APP_NAME, translate("Tray", "New private message from {sender}").format(sender=who)
    text = body if len(body) <= MAX_NOTIFIED_BODY else body[: MAX_NOTIFIED_BODY - 1] + "…"
    return translate("Tray", "{sender}, privately").format(sender=who), text


class Tray(QObject):
    """A tray icon with Show / Hide / Quit; ``icon`` is None where the system has no tray."""

    showRequested = Signal()
    hideRequested = Signal()
    quitRequested = Signal()

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.icon: QSystemTrayIcon | None = None
        self.base_icon = icon
        self.last: tuple[str, str] | None = None  # the last notification (title, message)
        self.count = 0  # unread messages and requests, as the icon shows them
        self.shown = 0  # notifications shown so far
        # The menu exists even without a tray (its actions are the ones a tray would show).
        menu = QMenu()
        menu.setAccessibleName(translate("Tray", "Tray menu"))
        for text, signal in (
            (translate("Tray", "Show Hearth"), self.showRequested),
            (translate("Tray", "Hide Hearth"), self.hideRequested),
            (translate("Tray", "Quit"), self.quitRequested),
        ):
            action = QAction(text, menu)
            action.triggered.connect(signal)
            menu.addAction(action)
        self.menu = menu
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        tray = QSystemTrayIcon(icon, self)
        tray.setToolTip(APP_NAME)
        tray.setContextMenu(menu)
        tray.activated.connect(self._activated)
        tray.show()
        self.icon = tray

    @property
    def available(self) -> bool:
        return self.icon is not None

    def notify(
        self, content: NotificationContent, circle: str, sender: str, body: str
    ) -> tuple[str, str]:
        """Show a notification (when there is a tray); returns what it said."""
        return self.show(*notification_text(content, circle, sender, body))

    def notify_request(
        self, content: NotificationContent, circle: str, peer: str
    ) -> tuple[str, str]:
        return self.show(*request_notification_text(content, circle, peer))

    def show(self, title: str, message: str) -> tuple[str, str]:
        """In the tray's bubble, or through the desktop's notifications where there is none."""
        self.last = (title, message)
        self.shown += 1
        if self.icon is not None and QSystemTrayIcon.supportsMessages():
            self.icon.showMessage(title, message, QSystemTrayIcon.MessageIcon.NoIcon, 5000)
        else:
            desktop_notify.send(title, message)
        return title, message

    def set_count(self, count: int) -> None:
        """The number of unread messages and requests, on the tray icon and its tooltip."""
        self.count = count
        if self.icon is not None:
            self.icon.setIcon(badged_icon(self.base_icon, count))
            self.icon.setToolTip(
                translate("Tray", "{app}: {count} unread").format(app=APP_NAME, count=count)
                if count
                else APP_NAME
            )

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.showRequested.emit()

    def close(self) -> None:
        if self.icon is not None:
            self.icon.hide()
