"""The app's own settings (this machine only); the settings dialog edits one of these."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .theme import ThemeChoice

DEFAULT_PANIC_SHORTCUT = "Ctrl+Shift+F12"
DEFAULT_HIDE_SHORTCUT = "Ctrl+Shift+H"


class NotificationContent(Enum):
    REDACTED = "redacted"  # "New message in a circle"
    WITH_SENDER = "with_sender"  # "New message from Amber Fox in Tuesday group"
    FULL = "full"  # ... and the text


@dataclass(frozen=True)
class Preferences:
    lobby_visible: bool = False  # be findable in the open lobby on this network
    read_receipts: bool = False
    typing_indicators: bool = False
    reply_cues: bool = False  # "usually replies within …", computed here only
    wipe_on_quit: bool = False
    panic_shortcut: str = DEFAULT_PANIC_SHORTCUT  # portable text, e.g. "Ctrl+Shift+F12"
    panic_confirm: bool = True  # ask before the panic wipe
    hide_shortcut: str = DEFAULT_HIDE_SHORTCUT
    notifications: NotificationContent = NotificationContent.REDACTED
    theme: ThemeChoice = ThemeChoice.SYSTEM
    geometry: str = ""  # the main window's place and size (Qt's saveGeometry, base64)
