"""The main window: sidebar, conversation, circle panel; shortcuts, dialogs, tray, quick hide.

The window shows what it is fed (views from the core, through the controller) and emits what
the person asks for. Dialogs are opened with ``open()`` by the ``open_*`` methods, which also
emit :attr:`MainWindow.dialogOpened` so the controller can connect to each new dialog.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QWidget,
)

from messenger import APP_NAME
from messenger.errors import HearthError
from messenger.goodbyes import goodbyes as core_goodbyes
from messenger.paths import resource
from messenger.views import CircleView, MemberView, PostView, Role

from .anonymity_words import crowd_words
from .dialogs import (
    AboutDialog,
    CircleSettingsDialog,
    ConfirmDialog,
    CreateCircleDialog,
    DmRequestDialog,
    FirstRunDialog,
    InviteDialog,
    JoinDialog,
    LeaveDialog,
    ModerationQueueDialog,
    NoticeDialog,
    ReportDialog,
    RulesDialog,
    SafetyNumberDialog,
    SettingsDialog,
    ShortcutsDialog,
    SupportDialog,
    UnlockDialog,
)
from .invite_memory import InviteMemory
from .menu_bar import build_menu_bar
from .models.sidebar import ItemRole
from .preferences import Preferences
from .reply_cue import describe_reply_cue, typical_reply_seconds
from .requests import ModerationReport
from .texts import faq_markdown, intro_templates, support_entries, support_file
from .theme import apply_theme
from .tray import Tray, direct_notification_text
from .widgets.circle_panel import CirclePanel
from .widgets.conversation_area import ConversationArea, Mode
from .widgets.sidebar import Sidebar

D = TypeVar("D", bound=QDialog)


CONVERSATION_MIN_WIDTH = 440  # its header and composer whole beside the sidebar and the panel


class MainWindow(QMainWindow):
    dialogOpened = Signal(object)  # every dialog the window opens, right after open()
    panicWipeRequested = Signal()  # wipe everything now (confirmed when the settings ask)
    preferencesChanged = Signal(object)  # Preferences, saved in the settings dialog
    moderationQueueRequested = Signal(bytes)  # circle id: feed open_moderation(reports)
    membersRequested = Signal(bytes)  # circle id: feed show_members(circle_id, members)
    directConversationRequested = Signal(object)  # MemberView: open a DM with them
    hidePostRequested = Signal(object)  # PostView: a moderator hides it for everyone
    quitRequested = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        preferences: Preferences | None = None,
        suggest_pseudonym: Callable[[], str] | None = None,
        goodbyes: Callable[[], Sequence[str]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(APP_NAME)
        self.setAccessibleName(APP_NAME)
        self.resize(1040, 680)
        self.setMinimumSize(720, 480)
        self.preferences = preferences or Preferences()
        self.suggest_pseudonym = suggest_pseudonym
        self.goodbyes = goodbyes or core_goodbyes
        self.circles: dict[bytes, CircleView] = {}
        self.dialogs: dict[type[QDialog], QDialog] = {}
        self._may_close = False
        self.first_pseudonym = ""  # the name given on the welcome dialog, for the first circle
        self.invites = InviteMemory()  # open codes and waiting newcomers, while the dialog is shut

        self.sidebar = Sidebar()
        self.conversation = ConversationArea()
        self.panel = CirclePanel()
        self.panel.setVisible(False)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.conversation)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([270, 770, 340])
        self.setCentralWidget(self.splitter)

        self._wire()
        self._actions: dict[str, QAction] = {}
        self._make_actions()
        self.setMenuBar(build_menu_bar(self, self.action))
        icon = resource("icons", "hearth.svg")
        self.tray = Tray(QIcon(str(icon)) if icon.exists() else QIcon(), self)
        self.tray.showRequested.connect(self.show_again)
        self.tray.hideRequested.connect(self.quick_hide)
        self.tray.quitRequested.connect(self.quitRequested)
        self.apply_preferences(self.preferences, apply_look=False)
        self.conversation.show_welcome()
        for model in (self.sidebar.circle_model, self.sidebar.direct_model):
            for changed in (model.dataChanged, model.rowsInserted, model.rowsRemoved):
                changed.connect(self._refresh_count)
            model.modelReset.connect(self._refresh_count)

    # -- wiring ----------------------------------------------------------------------------
    def _wire(self) -> None:
        s, c, p = self.sidebar, self.conversation, self.panel
        s.createCircleRequested.connect(self.open_create_circle)
        s.joinCircleRequested.connect(self.open_join)
        s.settingsRequested.connect(self.open_settings)
        s.helpRequested.connect(self.open_support)
        s.aboutRequested.connect(self.open_about)
        c.empty.createCircleRequested.connect(self.open_create_circle)
        c.empty.joinCircleRequested.connect(self.open_join)
        c.inviteRequested.connect(self._invite_circle)
        c.circlePanelRequested.connect(self.toggle_panel)
        p.closeRequested.connect(self.hide_panel)
        p.inviteRequested.connect(self._invite_circle)
        p.leaveRequested.connect(self._leave_circle)
        p.moderationRequested.connect(self.moderationQueueRequested)
        p.safetyNumberRequested.connect(self.open_safety)
        p.reportRequested.connect(self.open_report)
        p.directMessageRequested.connect(self.directConversationRequested)
        s.personActivated.connect(self.directConversationRequested)
        c.messages.reportPostRequested.connect(self.report_post)
        c.messages.hidePostRequested.connect(self.hidePostRequested)

    def _make_actions(self) -> None:
        for name, text, keys, slot in (
            ("new", self.tr("Create a circle"), "Ctrl+N", self.open_create_circle),
            ("join", self.tr("Join a circle"), "Ctrl+J", self.open_join),
            ("circles", self.tr("Go to circles"), "Ctrl+K", self.sidebar.focus_circles),
            ("compose", self.tr("Write a message"), "Ctrl+L", self.focus_composer),
            ("search", self.tr("Search this circle"), "Ctrl+F", self.conversation.focus_search),
            ("panel", self.tr("About this circle"), "Ctrl+I", self._toggle_current_panel),
            ("settings", self.tr("Settings"), "Ctrl+,", self.open_settings),
            ("help", self.tr("Help elsewhere"), "F1", self.open_support),
            ("hide", self.tr("Quick hide"), self.preferences.hide_shortcut, self.quick_hide),
            ("panic", self.tr("Panic wipe"), self.preferences.panic_shortcut, self._panic_key),
            ("quit", self.tr("Quit Hearth"), "Ctrl+Q", self.quitRequested.emit),
            ("shortcuts", self.tr("Keyboard shortcuts"), "Ctrl+/", self.open_shortcuts),
            ("about", self.tr("About Hearth"), "", self.open_about),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            self._actions[name] = action

    def action(self, name: str) -> QAction:
        return self._actions[name]

    # -- preferences -----------------------------------------------------------------------
    def apply_preferences(self, preferences: Preferences, apply_look: bool = True) -> None:
        """Shortcuts, typing indicators, reply cues and (when ``apply_look``) the theme."""
        self.preferences = preferences
        self._actions["panic"].setShortcut(QKeySequence(preferences.panic_shortcut))
        self._actions["hide"].setShortcut(QKeySequence(preferences.hide_shortcut))
        self.conversation.composer.typing_enabled = preferences.typing_indicators
        if not preferences.typing_indicators:
            self.conversation.set_typing([])
        self._refresh_cues()
        app = QApplication.instance()
        if apply_look and isinstance(app, QApplication):
            apply_theme(app, preferences.theme)

    def _settings_saved(self, preferences: object) -> None:
        assert isinstance(preferences, Preferences)
        self.apply_preferences(preferences)
        self.preferencesChanged.emit(preferences)

    # -- feeding ---------------------------------------------------------------------------
    def set_circles(self, circles: Iterable[CircleView]) -> None:
        items = list(circles)
        self.circles = {c.id: c for c in items}
        self.sidebar.circle_model.set_circles(items)

    def update_circle(self, circle: CircleView) -> None:
        self.circles[circle.id] = circle
        self.sidebar.circle_model.upsert(circle)
        self.conversation.update_circle(circle)
        if self.conversation.current_circle_id() == circle.id:
            self._show_anonymity(circle)
        if self.panel.circle is not None and self.panel.circle.id == circle.id:
            self.panel.show_circle(circle, self.panel.members_model.members())

    def _show_anonymity(self, circle: CircleView) -> None:
        """The composer's honest words about anonymity, for as many people as are here now."""
        anonymous = circle.settings.anonymous_posting and not circle.removed
        words = crowd_words(circle.members_present) if anonymous else None
        self.conversation.composer.set_anonymity(words)

    def remove_circle(self, circle_id: bytes) -> None:
        self.circles.pop(circle_id, None)
        self.sidebar.circle_model.remove(circle_id)
        self.sidebar.direct_model.remove_circle(circle_id)
        self.sidebar.people_model.remove_circle(circle_id)
        if self.conversation.current_circle_id() == circle_id:
            self.conversation.show_welcome()
            self.sidebar.direct_model.open_key = None
            self.sidebar.circle_model.set_open(None)
            self.hide_panel()

    def show_circle(self, circle: CircleView, posts: Iterable[PostView], has_older: bool) -> None:
        """Open ``circle``'s conversation with its newest page of posts."""
        self.circles[circle.id] = circle
        self.conversation.messages.can_moderate = circle.role in (Role.HOST, Role.MODERATOR)
        self.sidebar.direct_model.open_key = None
        self.sidebar.circle_model.set_open(circle.id)
        self.conversation.show_circle(circle, posts, has_older)
        self.conversation.composer.warning_button.setVisible(True)
        self._show_anonymity(circle)
        self.sidebar.select_circle(circle.id)
        if self.panel.isVisible():
            self.show_panel(circle)
        self.focus_composer()

    def show_direct(
        self,
        circle_id: bytes,
        peer_key: bytes,
        peer: str,
        posts: Iterable[PostView],
        has_older: bool,
    ) -> None:
        self.conversation.messages.can_moderate = False
        self.conversation.show_direct(circle_id, peer_key, peer, posts, has_older)
        self.sidebar.direct_model.open_key = (circle_id, peer_key)
        self.sidebar.circle_model.set_open(None)
        self.conversation.composer.warning_button.setVisible(False)
        self.conversation.composer.set_anonymity(None)
        self.sidebar.direct_model.mark_read(circle_id, peer_key)
        self.hide_panel()
        self.focus_composer()

    def show_members(self, circle_id: bytes, members: Iterable[MemberView]) -> None:
        """The members of ``circle_id`` for the panel (and the "people here" list)."""
        items = list(members)
        circle = self.circles.get(circle_id)
        if (
            circle is not None
            and self.panel.circle is not None
            and self.panel.circle.id == (circle_id)
        ):
            self.panel.show_circle(circle, items)
            self._refresh_cues()
        self.sidebar.people_model.set_circle_members(circle_id, items)

    def update_member(self, member: MemberView) -> None:
        self.panel.update_member(member)
        self.sidebar.people_model.update_member(member)

    def notify(self, circle_name: str, sender: str, body: str) -> tuple[str, str]:
        """A message arrived while the window is not in front: a notification per settings."""
        return self.tray.notify(self.preferences.notifications, circle_name, sender, body)

    def notify_direct(self, peer: str, body: str) -> tuple[str, str]:
        """A private message arrived while the window is not in front."""
        content = self.preferences.notifications
        return self.tray.show(*direct_notification_text(content, peer, body))

    def notify_request(self, circle_name: str, peer: str) -> tuple[str, str]:
        """Someone asks to talk privately: a notification per settings."""
        return self.tray.notify_request(self.preferences.notifications, circle_name, peer)

    def unread_total(self) -> int:
        """Unread posts, direct messages and requests across the sidebar."""
        total = 0
        for model in (self.sidebar.circle_model, self.sidebar.direct_model):
            for row in range(model.rowCount()):
                count = model.index(row, 0).data(ItemRole.UNREAD)
                total += count if isinstance(count, int) else 0
        return total

    def _refresh_count(self) -> None:
        count = self.unread_total()
        self.setWindowTitle(f"{APP_NAME} ({count})" if count else APP_NAME)
        self.tray.set_count(count)

    # -- the circle panel ------------------------------------------------------------------
    def show_panel(self, circle: CircleView) -> None:
        same = self.panel.circle is not None and self.panel.circle.id == circle.id
        members = self.panel.members_model.members() if same else []
        self.panel.show_circle(circle, members)
        self.panel.setVisible(True)
        self.conversation.panel_button.setChecked(True)
        self._fit_panes()
        self.membersRequested.emit(circle.id)

    def hide_panel(self) -> None:
        self.panel.setVisible(False)
        self.conversation.panel_button.setChecked(False)
        self._fit_panes()

    def _fit_panes(self) -> None:
        """Too narrow for all three panes, the open circle panel takes the conversation's place
        (nothing squeezed or cut); closing the panel, or a wider window, brings it back."""
        three = self.sidebar.minimumWidth() + CONVERSATION_MIN_WIDTH + self.panel.minimumWidth()
        self.conversation.setVisible(not (self.panel.isVisible() and self.width() < three))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_panes()

    def toggle_panel(self, circle_id: bytes) -> None:
        circle = self.circles.get(circle_id) or self.conversation.circle
        if self.panel.isVisible() or circle is None:
            self.hide_panel()
        else:
            self.show_panel(circle)

    def _toggle_current_panel(self) -> None:
        if self.conversation.mode is Mode.CIRCLE and self.conversation.circle is not None:
            self.toggle_panel(self.conversation.circle.id)

    def _refresh_cues(self) -> None:
        if not self.preferences.reply_cues:
            self.panel.set_cues({})
            return
        posts = self.conversation.model.posts() if self.conversation.mode is Mode.CIRCLE else []
        cues = {
            m.key: describe_reply_cue(typical_reply_seconds(posts, m.key))
            for m in self.panel.members_model.members()
            if not m.is_me
        }
        self.panel.set_cues({k: v for k, v in cues.items() if v})

    # -- focus, hiding, panic --------------------------------------------------------------
    def focus_composer(self) -> None:
        edit = self.conversation.composer.edit
        if edit.isEnabled():
            edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def quick_hide(self) -> None:
        """Get the window off the screen at once (to the tray, or minimised without one)."""
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.hide()
        if self.tray.available:
            self.hide()
        else:
            self.showMinimized()

    def show_again(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def _panic_key(self) -> None:
        self.panic()

    def panic(self, confirm: bool | None = None) -> ConfirmDialog | None:
        """Wipe everything: asks first when the settings (or ``confirm``) say so. The window
        leaves the screen before anything else happens."""
        if confirm is None:
            confirm = self.preferences.panic_confirm
        if not confirm:
            self.quick_hide()
            self.panicWipeRequested.emit()
            return None
        dialog = self.confirm(
            self.tr("Wipe everything now?"),
            self.tr(
                "Your circles, names, keys and history on this computer are destroyed and "
                "Hearth quits. This cannot be undone."
            ),
            self.tr("Wipe now"),
            self.tr("Wipe everything now"),
        )

        def wipe() -> None:
            self.quick_hide()
            self.panicWipeRequested.emit()

        dialog.confirmed.connect(wipe)
        return dialog

    def confirm(
        self, title: str, text: str, action: str, accessible: str | None = None
    ) -> ConfirmDialog:
        """Ask before something irreversible; Cancel is the default (Enter does not act)."""
        return self._open(ConfirmDialog(title, text, action, accessible, self))

    def open_circle_settings(self, circle: CircleView) -> CircleSettingsDialog:
        return self._open(CircleSettingsDialog(circle, self))

    def open_rules(self, circle_id: bytes, circle: str, rules: str) -> RulesDialog:
        return self._open(RulesDialog(circle_id, circle, rules, self))

    def show_problem(self, text: str) -> NoticeDialog:
        """A calm notice in the app's own look (never a stock message box)."""
        return self._open(NoticeDialog(APP_NAME, text, self))

    # -- dialogs ---------------------------------------------------------------------------
    def _open(self, dialog: D) -> D:
        """Open ``dialog`` window-modal; it replaces (and frees) the last one of its kind.

        A dialog is kept after it closes (whoever handles its signal may still read it) and
        freed with ``deleteLater`` when the next of its kind opens: at most one per kind.
        """
        previous = self.dialogs.get(type(dialog))
        if previous is not None:
            if previous.isVisible():
                previous.reject()
            previous.deleteLater()
        self.dialogs[type(dialog)] = dialog
        dialog.open()
        self.dialogOpened.emit(dialog)
        return dialog

    def dialog(self, kind: type[D]) -> D | None:
        """The open dialog of ``kind`` (e.g. to feed JoinDialog.show_preview), if any."""
        found = self.dialogs.get(kind)
        return found if isinstance(found, kind) and found.isVisible() else None

    def open_first_run(self) -> FirstRunDialog:
        return self._open(FirstRunDialog(self.suggest_pseudonym, self))

    def open_unlock(self) -> UnlockDialog:
        return self._open(UnlockDialog(self))

    def open_create_circle(self) -> CreateCircleDialog:
        dialog = CreateCircleDialog(self.suggest_pseudonym, self)
        self._first_name(dialog.pseudonym.edit)
        return self._open(dialog)

    def open_join(self) -> JoinDialog:
        dialog = JoinDialog(intro_templates(), self.suggest_pseudonym, self)
        self._first_name(dialog.pseudonym.edit)
        return self._open(dialog)

    def _first_name(self, edit: QLineEdit) -> None:
        """The name chosen on the welcome dialog is the one offered for the first circle."""
        if self.first_pseudonym and not self.circles:
            edit.setText(self.first_pseudonym)

    def open_invite(self, circle: CircleView) -> InviteDialog:
        return self._open(InviteDialog(circle, self, memory=self.invites))

    def open_leave(self, circle: CircleView) -> LeaveDialog:
        try:
            goodbyes = list(self.goodbyes())
        except HearthError:  # a missing or unreadable file: offer leaving quietly
            goodbyes = []
        return self._open(LeaveDialog(circle, goodbyes, self))

    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self.preferences, self)
        dialog.settingsChanged.connect(self._settings_saved)
        dialog.wipeRequested.connect(lambda: self.panic(confirm=True))
        return self._open(dialog)

    def open_safety(self, member: MemberView) -> SafetyNumberDialog:
        return self._open(SafetyNumberDialog(member, self))

    def open_report(self, member: MemberView, post: PostView | None = None) -> ReportDialog:
        return self._open(ReportDialog(member, post, self, self._only_moderator(member)))

    def _only_moderator(self, member: MemberView) -> bool:
        """Would a report about ``member`` reach only ``member``? (warned before sending)"""
        moderators = {
            m.key
            for m in self.panel.members_model.members()
            if m.circle_id == member.circle_id and m.role in (Role.HOST, Role.MODERATOR)
        }
        return member.role in (Role.HOST, Role.MODERATOR) and moderators <= {member.key}

    def report_post(self, post: PostView) -> ReportDialog:
        """Report ``post`` and its author (known from the panel's members, or by the post)."""
        member = next(
            (m for m in self.panel.members_model.members() if m.key == post.author_key), None
        )
        if member is None:
            member = MemberView(
                circle_id=post.circle_id,
                key=post.author_key,
                pseudonym=post.author or self.tr("Anonymous"),
                role=Role.MEMBER,
                present=False,
            )
        return self.open_report(member, post)

    def open_moderation(self, reports: Iterable[ModerationReport]) -> ModerationQueueDialog:
        return self._open(ModerationQueueDialog(reports, self))

    def open_about(self) -> AboutDialog:
        dialog = AboutDialog(self)
        dialog.supportRequested.connect(self.open_support)
        return self._open(dialog)

    def open_dm_request(self, circle_id: bytes, peer_key: bytes, peer: str) -> DmRequestDialog:
        circle = self.circles.get(circle_id)
        name = circle.name if circle is not None else ""
        return self._open(DmRequestDialog(circle_id, peer_key, peer, name, self))

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(what, keys) for every window action that has a shortcut, as the sheet lists them."""
        rows = [
            (action.text(), action.shortcut().toString(QKeySequence.SequenceFormat.NativeText))
            for action in self._actions.values()
            if not action.shortcut().isEmpty()
        ]
        # on a selected message in the list
        return [
            *rows,
            (self.tr("Reply to the selected message"), "R"),
            (self.tr("React: I hear you, Thank you, Sending care, Me too"), "1 – 4"),
            (self.tr("Delete my selected message for everyone"), self.tr("Delete")),
            (self.tr("Actions on the selected message"), self.tr("Menu key or Shift+F10")),
        ]

    def open_shortcuts(self) -> ShortcutsDialog:
        return self._open(ShortcutsDialog(self.shortcut_rows(), self))

    def open_support(self) -> SupportDialog:
        path = support_file()
        return self._open(SupportDialog(support_entries(path=path), faq_markdown(), path, self))

    def _invite_circle(self, circle_id: bytes) -> None:
        circle = self.circles.get(circle_id)
        if circle is not None:
            self.open_invite(circle)

    def _leave_circle(self, circle_id: bytes) -> None:
        circle = self.circles.get(circle_id)
        if circle is not None:
            self.open_leave(circle)

    # -- geometry --------------------------------------------------------------------------
    def saved_geometry(self) -> str:
        return bytes(self.saveGeometry().toBase64().data()).decode("ascii")

    def restore_geometry(self, saved: str) -> bool:
        """Back where it was; a bad or foreign value leaves the window as it is."""
        if not saved:
            return False
        try:
            raw = base64.b64decode(saved.encode("ascii"), validate=True)
        except (ValueError, UnicodeEncodeError):
            return False
        return bool(self.restoreGeometry(QByteArray(raw)))

    # -- quitting --------------------------------------------------------------------------
    def set_ephemeral(self, ephemeral: bool) -> None:
        """A visible mark that nothing of this session is kept."""
        self.sidebar.set_ephemeral(ephemeral)
        self.setWindowTitle(self.windowTitle())

    def set_ready(self, ready: bool) -> None:
        """Until the profile is open nothing can be asked of the core: the window waits."""
        self.splitter.setEnabled(ready)
        for name, action in self._actions.items():
            if name not in ("quit", "hide"):
                action.setEnabled(ready)

    def quick_hide_for_quit(self) -> None:
        """Off the screen at once while the app closes (or wipes) behind it."""
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.hide()
        self.hide()
        self.tray.close()

    def finish_quit(self) -> None:
        """The app's main is done: the window may now really close."""
        self._may_close = True
        self.tray.close()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        """The title bar's X (or Alt+F4) quits like every other way out: through the app's
        shutdown path, which closes or wipes the profile and then closes the window."""
        if self._may_close:
            self.tray.close()
            event.accept()
            return
        event.ignore()
        self.quitRequested.emit()
