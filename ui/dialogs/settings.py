"""Settings: privacy, safety (wipe on quit, the panic shortcut), notifications and theme."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QKeySequenceEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..preferences import DEFAULT_PANIC_SHORTCUT, NotificationContent, Preferences
from ..theme import ThemeChoice
from .base import Dialog


def _page(tabs: QTabWidget, title: str) -> QVBoxLayout:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(12, 14, 12, 12)
    layout.setSpacing(8)
    tabs.addTab(page, title)
    return layout


class SettingsDialog(Dialog):
    settingsChanged = Signal(object)  # Preferences
    wipeRequested = Signal()  # "wipe everything now" (the window asks to confirm)

    def __init__(self, preferences: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Settings"), parent)
        self.setMinimumWidth(520)
        self.initial = preferences

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Settings"))
        self.content.addWidget(self.tabs)

        privacy = _page(self.tabs, self.tr("Privacy"))
        self.lobby = self._check(
            privacy,
            self.tr("Be visible in the open lobby on this network"),
            self.tr("Others running Hearth here can see a lobby name for you and say hello."),
            preferences.lobby_visible,
        )
        self.read_receipts = self._check(
            privacy,
            self.tr("Send read receipts"),
            self.tr("Others see when you have read their messages; you see theirs."),
            preferences.read_receipts,
        )
        self.typing = self._check(
            privacy,
            self.tr("Show and send typing indicators"),
            self.tr("Others see when you are writing; you see when they are."),
            preferences.typing_indicators,
        )
        self.reply_cues = self._check(
            privacy,
            self.tr("Show how soon people usually reply"),
            self.tr("Worked out on this computer from message times; never sent anywhere."),
            preferences.reply_cues,
        )
        privacy.addStretch(1)

        safety = _page(self.tabs, self.tr("Safety"))
        self.wipe_on_quit = self._check(
            safety,
            self.tr("Wipe everything when I quit"),
            self.tr("Each start is then a fresh, empty session."),
            preferences.wipe_on_quit,
        )
        self.panic = QKeySequenceEdit(QKeySequence(preferences.panic_shortcut))
        self.panic.setMaximumSequenceLength(1)
        self.panic.setClearButtonEnabled(True)
        self.field(
            self.tr("Panic shortcut: hide the window and wipe everything"),
            self.panic,
            safety,
        )
        self.panic_confirm = self._check(
            safety,
            self.tr("Ask before wiping"),
            self.tr("Without this, the panic shortcut wipes at once."),
            preferences.panic_confirm,
        )
        self.hide_shortcut = QKeySequenceEdit(QKeySequence(preferences.hide_shortcut))
        self.hide_shortcut.setMaximumSequenceLength(1)
        self.hide_shortcut.setClearButtonEnabled(True)
        self.field(self.tr("Quick hide shortcut"), self.hide_shortcut, safety)
        self.hint(self.tr("Both shortcuts work while Hearth has focus."), safety)
        self.wipe_button = QPushButton(self.tr("Wipe everything now…"))
        self.wipe_button.setObjectName("Danger")
        self.wipe_button.setAccessibleName(self.tr("Wipe everything now"))
        self.wipe_button.setAutoDefault(False)
        self.wipe_button.clicked.connect(self.wipeRequested)
        safety.addSpacing(6)
        safety.addWidget(self.wipe_button, 0, Qt.AlignmentFlag.AlignLeft)
        safety.addStretch(1)

        look = _page(self.tabs, self.tr("Notifications and look"))
        self.notifications = QComboBox()
        for text, value in (
            (self.tr("Say only that there is a new message"), NotificationContent.REDACTED),
            (self.tr("Show who sent it and where"), NotificationContent.WITH_SENDER),
            (self.tr("Show the message itself"), NotificationContent.FULL),
        ):
            self.notifications.addItem(text, value)
        self.notifications.setCurrentIndex(
            max(0, self.notifications.findData(preferences.notifications))
        )
        self.field(
            self.tr("Notifications"),
            self.notifications,
            look,
            help_text=self.tr("Others nearby may see your screen: the less it says, the safer."),
        )
        self.theme = QComboBox()
        for text, theme in (
            (self.tr("Follow the system"), ThemeChoice.SYSTEM),
            (self.tr("Light"), ThemeChoice.LIGHT),
            (self.tr("Dark"), ThemeChoice.DARK),
        ):
            self.theme.addItem(text, theme)
        self.theme.setCurrentIndex(max(0, self.theme.findData(preferences.theme)))
        self.field(self.tr("Theme"), self.theme, look)
        look.addStretch(1)

        self.add_cancel()
        self.save_button = self.add_primary(self.tr("Save"))
        self.save_button.clicked.connect(self.submit)

    def _check(
        self, layout: QVBoxLayout, text: str, help_text: str | None, checked: bool
    ) -> QCheckBox:
        box = QCheckBox(text)
        box.setAccessibleName(text)
        box.setChecked(checked)
        layout.addWidget(box)
        if help_text:
            box.setAccessibleDescription(help_text)
            hint = self.hint(help_text, layout)
            hint.setContentsMargins(24, 0, 0, 4)
        return box

    def preferences(self) -> Preferences:
        notifications = self.notifications.currentData()
        theme = self.theme.currentData()
        assert isinstance(notifications, NotificationContent)
        assert isinstance(theme, ThemeChoice)
        panic = self.panic.keySequence().toString(QKeySequence.SequenceFormat.PortableText)
        hide = self.hide_shortcut.keySequence().toString(QKeySequence.SequenceFormat.PortableText)
        return replace(
            self.initial,
            lobby_visible=self.lobby.isChecked(),
            read_receipts=self.read_receipts.isChecked(),
            typing_indicators=self.typing.isChecked(),
            reply_cues=self.reply_cues.isChecked(),
            wipe_on_quit=self.wipe_on_quit.isChecked(),
            panic_shortcut=panic or DEFAULT_PANIC_SHORTCUT,
            panic_confirm=self.panic_confirm.isChecked(),
            hide_shortcut=hide,
            notifications=notifications,
            theme=theme,
        )

    def submit(self) -> None:
        prefs = self.preferences()
        if prefs.hide_shortcut and prefs.hide_shortcut == prefs.panic_shortcut:
            self.show_error(self.tr("The quick hide and panic shortcuts must differ."))
            return
        self.settingsChanged.emit(prefs)
        self.accept()
