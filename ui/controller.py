"""The controller: connects the window's requests to the :class:`Messenger`, and the core's
events to the window. Async work runs as tasks it owns; failures become calm words."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QObject, Signal

from messenger.api import (
    CircleEvent,
    CirclesChanged,
    CircleSettingsView,
    DmEvent,
    DmRequestEvent,
    DmSentEvent,
    DmStateEvent,
    ErrorEvent,
    HearthError,
    Info,
    InviteLinkError,
    KeyChangedEvent,
    MemberRemovedEvent,
    MemberView,
    Messenger,
    PeerConnectedEvent,
    PeerLostEvent,
    PostEvent,
    PostHiddenEvent,
    PostView,
    ReportEvent,
    ReportView,
    Role,
    RulesEvent,
    SlowModeActive,
    TypingEvent,
    looks_like_link,
)
from messenger.api import parse_invite_link as parse_link

from .core_events import CoreEvents
from .dialogs.confirm import ConfirmDialog
from .dialogs.create_circle import CreateCircleDialog
from .dialogs.invite import InviteDialog
from .dialogs.join import JoinDialog
from .dialogs.leave import LeaveDialog
from .dialogs.moderation import ModerationQueueDialog
from .dialogs.report import ReportDialog
from .dialogs.settings import SettingsDialog
from .direct import post_from_direct
from .invite_tools import InviteTools
from .main_window import MainWindow
from .preferences import Preferences
from .requests import ModerationReport, ReportReason, ReportRequest

log = logging.getLogger(__name__)

PAGE = 50


class Controller(QObject):
    dmRequested = Signal(DmRequestEvent)
    """Someone asks to talk privately (after the conversation appeared in the list)."""

    def __init__(self, window: MainWindow, messenger: Messenger) -> None:
        super().__init__(window)
        self.window = window
        self.messenger = messenger
        self._tasks: set[asyncio.Task[None]] = set()
        self._introductions: dict[bytes, str] = {}  # circle -> mine, until the host lets me in
        self.current: bytes | None = None
        self.wipe_on_quit = False
        self.events = CoreEvents(window)
        self.invite_tools = InviteTools(window, messenger, self.events, self.spawn)
        self._wire()
        self._listen()
        messenger.subscribe(self.events.deliver)
        self.refresh_circles()
        with contextlib.suppress(RuntimeError):  # no loop yet: the app loads it when it starts
            asyncio.get_running_loop()
            if messenger.running:
                self.spawn(self.load_direct_list())

    # -- tasks ----------------------------------------------------------------------------
    def spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(self._guarded(coro))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _guarded(self, coro: Coroutine[Any, Any, None]) -> None:
        try:
            await coro
        except HearthError as exc:
            self.show_problem(str(exc))
        except Exception:
            log.exception("a request from the window failed")
            self.show_problem(self.window.tr("Something went wrong. Nothing was lost."))

    async def idle(self) -> None:
        """Wait for every request in flight (tests, and before quitting)."""
        while self._tasks:
            waiting = list(self._tasks)
            await asyncio.gather(*waiting, return_exceptions=True)
            # Not left to the done callbacks: since Python 3.12 awaiting a gather of finished
            # tasks need not yield to the loop, and they would never run (a 100% CPU spin).
            self._tasks.difference_update(waiting)

    def show_problem(self, text: str) -> None:
        self.window.show_problem(text)

    # -- wiring ---------------------------------------------------------------------------
    def _wire(self) -> None:
        w = self.window
        w.sidebar.circleSelected.connect(lambda cid: self.spawn(self.open_circle(cid)))
        w.sidebar.directSelected.connect(lambda cid, key: self.spawn(self.open_direct(cid, key)))
        w.conversation.postRequested.connect(
            lambda cid, text, cw, reply: self.spawn(self._post(cid, text, cw, reply))
        )
        w.conversation.directMessageRequested.connect(
            lambda cid, key, text: self.spawn(self._dm(cid, key, text))
        )
        w.conversation.model.fetchOlder.connect(lambda post: self.spawn(self._older(post)))
        w.conversation.typingActivity.connect(self._typing)
        w.panel.boundariesChanged.connect(
            lambda cid, words: self.spawn(self._set_boundaries(cid, words))
        )
        w.membersRequested.connect(self.show_members)
        w.directConversationRequested.connect(self._direct_with)
        w.dialogOpened.connect(self._wire_dialog)
        w.preferencesChanged.connect(lambda prefs: self.spawn(self._save_prefs(prefs)))
        w.panicWipeRequested.connect(lambda: self.spawn(self.wipe_and_quit()))
        # moderation and personal safety (block and mute send nothing to anyone)
        w.panel.blockRequested.connect(lambda m, on: self.spawn(self._block(m, on)))
        w.panel.muteRequested.connect(lambda m, on: self.spawn(self._mute(m, on)))
        w.panel.removeRequested.connect(self.confirm_remove)
        w.hidePostRequested.connect(lambda post: self.spawn(self._hide(post)))
        w.moderationQueueRequested.connect(self.open_moderation)

    def _wire_dialog(self, dialog: object) -> None:
        if isinstance(dialog, CreateCircleDialog):
            dialog.createCircleRequested.connect(
                lambda name, desc, rules, settings, pseudo: self.spawn(
                    self._create(name, desc, rules, settings, pseudo)
                )
            )
        elif isinstance(dialog, JoinDialog):
            dialog.previewRequested.connect(lambda text: self._preview(dialog, text))
            dialog.joinRequested.connect(
                lambda text, intro, pseudo: self.spawn(self._join(dialog, text, intro, pseudo))
            )
        elif isinstance(dialog, InviteDialog):
            self.invite_tools.wire(dialog)
        elif isinstance(dialog, LeaveDialog):
            dialog.leaveRequested.connect(lambda cid, bye: self.spawn(self._leave(cid, bye)))
        elif isinstance(dialog, SettingsDialog):
            dialog.wipeRequested.connect(self.window.panic)
        elif isinstance(dialog, ReportDialog):
            dialog.reportRequested.connect(lambda req: self.spawn(self._report(req)))
        elif isinstance(dialog, ModerationQueueDialog):
            dialog.hidePostRequested.connect(lambda r: self.spawn(self._settle(r, "hide")))
            dialog.removeMemberRequested.connect(lambda r: self.spawn(self._settle(r, "remove")))
            dialog.dismissRequested.connect(lambda r: self.spawn(self._settle(r, "dismiss")))

    # -- views ----------------------------------------------------------------------------
    def refresh_circles(self) -> None:
        self.window.set_circles(self.messenger.circles())

    async def open_circle(self, circle_id: bytes) -> None:
        posts = await self.messenger.history(circle_id, PAGE)
        self.current = circle_id
        self.window.show_circle(self.messenger.circle(circle_id), posts, len(posts) == PAGE)
        self.window.sidebar.circle_model.set_unread(circle_id, 0)
        self.show_members(circle_id)

    async def open_direct(self, circle_id: bytes, peer_key: bytes) -> None:
        members = {m.key: m for m in self.messenger.members(circle_id)}
        member = members.get(peer_key)
        name = member.pseudonym if member else peer_key[:4].hex()
        history = await self.messenger.direct_messages(circle_id, peer_key, PAGE)
        me = self.messenger.circle(circle_id).my_key
        posts = [post_from_direct(message, me) for message in history]
        self.current = None
        self.window.show_direct(circle_id, peer_key, name, posts, False)
        theirs = [m.id for m in history if not m.outgoing]
        if theirs:
            await self.messenger.mark_read(circle_id, peer_key, theirs)

    def _direct_with(self, member: object) -> None:
        assert isinstance(member, MemberView)
        self.spawn(self.open_direct(member.circle_id, member.key))

    def show_members(self, circle_id: bytes) -> None:
        with contextlib.suppress(HearthError):  # the circle was just left
            self.window.show_members(circle_id, self.messenger.members(circle_id))
            panel = self.window.panel
            if panel.circle is not None and panel.circle.id == circle_id:
                panel.set_boundaries(self.messenger.moderation.boundaries(circle_id))

    async def _older(self, oldest: object) -> None:
        assert isinstance(oldest, PostView)
        posts = await self.messenger.history(oldest.circle_id, PAGE, before=oldest)
        self.window.conversation.model.prepend_page(posts, len(posts) == PAGE)

    # -- requests -------------------------------------------------------------------------
    async def _post(
        self, circle_id: bytes, text: str, warning: str, reply_to: bytes | None = None
    ) -> None:
        try:
            await self.messenger.post(
                circle_id, text, content_warning=warning or None, reply_to=reply_to
            )
        except HearthError as exc:  # refused: the words go back in the box, nothing is lost
            edit = self.window.conversation.composer.edit
            if self.current == circle_id and not edit.toPlainText().strip():
                edit.setPlainText(text)
            if not isinstance(exc, SlowModeActive):
                raise
            self.show_problem(
                self.window.tr(
                    "Slow mode is on in this circle: you can post again in {n} s. What you "
                    "wrote is still in the box."
                ).format(n=exc.seconds)
            )

    async def _dm(self, circle_id: bytes, peer_key: bytes, text: str) -> None:
        await self.messenger.send_dm(circle_id, peer_key, text)  # shown by its dm_sent event

    async def _create(
        self, name: str, description: str, rules: str, settings: object, pseudonym: str
    ) -> None:
        assert isinstance(settings, CircleSettingsView)
        view = await self.messenger.create_circle(
            name, description=description, rules=rules, settings=settings, pseudonym=pseudonym
        )
        self.refresh_circles()
        await self.open_circle(view.id)

    def _preview(self, dialog: JoinDialog, text: str) -> None:
        # The rules come from the host, signed, once connected: they are shown to accept then.
        if not looks_like_link(text):
            dialog.show_preview(self.window.tr("a circle nearby"), "", pending=True)
            return
        try:
            link = parse_link(text)
        except InviteLinkError as exc:
            dialog.show_failure(str(exc))
            return
        dialog.show_preview(link.name, "", pending=bool(link.rules_digest))

    async def _join(self, dialog: JoinDialog, text: str, intro: str, pseudonym: str) -> None:
        try:
            if looks_like_link(text):
                view = await self.messenger.join_link(text, pseudonym=pseudonym or None)
            else:
                view = await self.messenger.join_code(text, pseudonym=pseudonym or None)
        except HearthError as exc:
            dialog.show_failure(str(exc))
            return
        dialog.joined()
        self.refresh_circles()
        await self.open_circle(view.id)
        if intro.strip():  # said once I am let in and accepted the rules (they may come later)
            self._introductions[view.id] = intro.strip()
            await self._introduce()

    async def _introduce(self) -> None:
        """Post each introduction held for a circle that let me in and whose rules I accepted."""
        for circle_id in list(self._introductions):
            try:
                view = self.messenger.circle(circle_id)
                # let in, the host's rules arrived (revision 1 on) and were accepted
                if view.waiting or not view.rules_revision or not view.rules_accepted:
                    continue
            except HearthError:  # left meanwhile: nothing to say
                self._introductions.pop(circle_id, None)
                continue
            text = self._introductions.pop(circle_id, None)  # another pass may have taken it
            if text is not None:
                await self.messenger.post(circle_id, text)

    async def _leave(self, circle_id: bytes, goodbye: str) -> None:
        await self.messenger.leave(circle_id, goodbye or None)
        self.window.remove_circle(circle_id)
        self.refresh_circles()

    # -- moderation and personal safety --------------------------------------------------
    async def _block(self, member: object, block: bool) -> None:
        assert isinstance(member, MemberView)
        moderation = self.messenger.moderation
        if block:
            await moderation.block(member.circle_id, member.key)
        else:
            await moderation.unblock(member.circle_id, member.key)
        self._member_changed(member)
        if self.current == member.circle_id:
            model = self.window.conversation.model
            for post in model.posts():
                if post.author_key == member.key:
                    model.set_hidden(post.id, moderation.hides(post))

    async def _mute(self, member: object, mute: bool) -> None:
        assert isinstance(member, MemberView)
        await self.messenger.moderation.mute(member.circle_id, member.key, mute)
        self._member_changed(member)

    def _member_changed(self, member: MemberView) -> None:
        """The panel and the people list show the member's new flags (the selection stays)."""
        with contextlib.suppress(HearthError):
            for view in self.messenger.members(member.circle_id):
                if view.key == member.key:
                    self.window.update_member(view)
                    self.window.sidebar.people_model.update_member(view)

    def confirm_remove(self, member: object) -> ConfirmDialog:
        """Removing is for good: ask first, Cancel the default (the dialog is returned)."""
        assert isinstance(member, MemberView)
        w = self.window
        dialog = w.confirm(
            w.tr("Remove %s?") % member.pseudonym,
            w.tr(
                "Remove %s from this circle? Their posts are hidden for everyone, they can no "
                "longer connect, and the circle's secret changes."
            )
            % member.pseudonym,
            w.tr("Remove"),
            w.tr("Remove the member"),
        )
        dialog.confirmed.connect(lambda: self.spawn(self._remove(member)))
        return dialog

    async def _remove(self, member: object) -> None:
        assert isinstance(member, MemberView)
        await self.messenger.moderation.remove(member.circle_id, member.key)
        await self._refresh_after(member.circle_id)

    async def _hide(self, post: object) -> None:
        assert isinstance(post, PostView)
        await self.messenger.moderation.hide(post.circle_id, post.id)

    async def _report(self, request: object) -> None:
        assert isinstance(request, ReportRequest)
        await self.messenger.moderation.report(
            request.circle_id,
            request.member_key,
            request.reason.value,
            request.details,
            post_id=request.post_id,
            anonymous=request.anonymous,
        )
        self.window.statusBar().showMessage(
            self.window.tr("Your report is on its way to the circle's moderators."), 8000
        )

    async def _refresh_after(self, circle_id: bytes) -> None:
        """Members and posts again, as a block or a removal changes what is shown."""
        self.show_members(circle_id)
        if self.current == circle_id:
            await self.open_circle(circle_id)

    def open_moderation(self, circle_id: bytes) -> ModerationQueueDialog:
        """The moderation queue of ``circle_id`` (host and co-moderators)."""
        reports = self.messenger.moderation.reports(circle_id)
        return self.window.open_moderation([self.queue_row(r) for r in reports])

    def queue_row(self, report: ReportView) -> ModerationReport:
        members = {m.key: m for m in self.messenger.members(report.circle_id)}
        member = members.get(report.member_key) or MemberView(
            report.circle_id, report.member_key, report.member, Role.MEMBER, False
        )
        try:
            reason, details = ReportReason(report.reason), report.details
        except ValueError:  # sent by a member's client, as it cut someone off for flooding
            reason = ReportReason.OTHER
            details = self.window.tr("Sent automatically: they sent far too much, too fast.")
        return ModerationReport(
            id=report.id.hex(),
            circle_id=report.circle_id,
            member=member,
            reason=reason,
            details=details,
            reporter=report.reporter,
            ts=report.ts,
            post=report.post,
        )

    async def _settle(self, row: object, action: str) -> None:
        assert isinstance(row, ModerationReport)
        moderation = self.messenger.moderation
        if action == "hide" and row.post is not None:
            await moderation.hide(row.circle_id, row.post.id)
        elif action == "remove":
            await moderation.remove(row.circle_id, row.member.key)
            await self._refresh_after(row.circle_id)
        await moderation.settle_report(
            row.circle_id, bytes.fromhex(row.id), actioned=action != "dismiss"
        )

    async def _save_prefs(self, prefs: object) -> None:
        assert isinstance(prefs, Preferences)
        self.wipe_on_quit = prefs.wipe_on_quit
        await self.messenger.save_ui_preferences(preferences_to_dict(prefs))
        await self.apply_dm_preferences(prefs)
        await self.apply_lobby(prefs)

    async def apply_dm_preferences(self, prefs: Preferences) -> None:
        await self.messenger.set_dm_preferences(
            read_receipts=prefs.read_receipts, typing_indicators=prefs.typing_indicators
        )

    async def _set_boundaries(self, circle_id: bytes, words: list[str]) -> None:
        saved = await self.messenger.moderation.set_boundaries(circle_id, words)
        self.window.panel.set_boundaries(saved)
        if self.current == circle_id:
            await self.open_circle(circle_id)  # posts fold (or unfold) at once

    def _typing(self, circle_id: bytes) -> None:
        peer = self.window.conversation.peer
        if peer is not None and peer[0] == circle_id:
            self.spawn(self.messenger.typing(circle_id, peer[1]))

    async def apply_lobby(self, prefs: Preferences) -> None:
        """Be in the open lobby exactly when the settings say so (off by default)."""
        if prefs.lobby_visible != self.messenger.lobby_visible:
            await self.messenger.set_lobby_visible(prefs.lobby_visible)
            self.refresh_circles()

    async def wipe_and_quit(self) -> None:
        """Panic: wipe at once, then quit through the app's one shutdown path (ui/app.py)."""
        self.wipe_on_quit = True
        await self.messenger.wipe()
        self.window.quitRequested.emit()

    # -- events from the core: one handler per kind (ui/core_events.py) ---------------------
    def _listen(self) -> None:
        e = self.events
        e.post.connect(self._on_post)
        e.postHidden.connect(self._on_post_hidden)
        e.circlesChanged.connect(self._on_circles_changed)
        e.circle.connect(self._on_circles_changed)
        e.peerConnected.connect(self._on_presence)
        e.peerLost.connect(self._on_presence)
        e.keyChanged.connect(self._on_presence)
        e.memberRemoved.connect(self._on_member_removed)
        e.dm.connect(self._on_dm)
        e.dmSent.connect(self._on_dm_sent)
        e.dmRequest.connect(self._on_dm_request)
        e.dmState.connect(self._on_dm_state)
        e.typing.connect(self._on_typing)
        e.rules.connect(self._ask_rules)
        e.report.connect(self._on_report)
        e.info.connect(self._on_info)
        e.error.connect(self._on_error)

    def _on_post(self, event: PostEvent) -> None:
        w, post = self.window, event.post
        if post.circle_id == self.current:
            w.conversation.model.add_post(post)
        elif not post.mine:
            circle = self.messenger.circle(post.circle_id)
            w.sidebar.circle_model.set_unread(post.circle_id, circle.unread)
        if not post.mine and not w.isActiveWindow() and self.messenger.moderation.notifies(post):
            circle = self.messenger.circle(post.circle_id)
            body = post.content_warning or post.body  # a warning, never what it hides
            w.notify(circle.name, post.author, body)

    def _on_post_hidden(self, event: PostHiddenEvent) -> None:
        if event.circle == self.current:
            self.window.conversation.model.set_hidden(event.id, event.hidden)

    def _on_circles_changed(self, _event: CirclesChanged | CircleEvent) -> None:
        for circle in self.messenger.circles():
            self.window.update_circle(circle)
        if self._introductions:
            self.spawn(self._introduce())

    def _on_presence(self, event: PeerConnectedEvent | PeerLostEvent | KeyChangedEvent) -> None:
        self.show_members(event.circle)

    def _on_member_removed(self, event: MemberRemovedEvent) -> None:
        self.show_members(event.circle)
        if event.circle == self.current:
            self.spawn(self.open_circle(event.circle))

    def _on_dm(self, event: DmEvent) -> None:
        w, message = self.window, event.message
        w.sidebar.direct_model.add_message(message)
        peer = w.conversation.peer
        if peer is not None and peer[1] == message.peer_key:
            w.conversation.model.add_post(post_from_direct(message))
            w.conversation.set_typing([])
            if w.isActiveWindow():
                self.spawn(
                    self.messenger.mark_read(message.circle_id, message.peer_key, [message.id])
                )

    def _on_dm_sent(self, event: DmSentEvent) -> None:
        """My message, on its way: shown like theirs, through the core's event."""
        w, message = self.window, event.message
        w.sidebar.direct_model.add_message(message, unread=False)
        peer = w.conversation.peer
        if peer is not None and (peer[0], peer[1]) == (message.circle_id, message.peer_key):
            w.conversation.model.add_post(post_from_direct(message))

    def _on_dm_request(self, event: DmRequestEvent) -> None:
        """Someone asks to talk privately: their conversation appears in the list (unread),
        with a notification; opening it shows what they wrote; writing back accepts them
        (or :meth:`accept_dm` / :meth:`decline_dm`)."""
        self.spawn(self._show_request(event))

    async def _show_request(self, event: DmRequestEvent) -> None:
        """The request's first message goes in its row (the notification is DmRequests')."""
        first = await self.messenger.direct_messages(event.circle, event.key, 1)
        for message in first:
            self.window.sidebar.direct_model.add_message(message, unread=True)
        self.dmRequested.emit(event)

    def _on_dm_state(self, event: DmStateEvent) -> None:
        self.window.conversation.model.update_state(event.id, event.state)

    def _on_typing(self, event: TypingEvent) -> None:
        w = self.window
        peer = w.conversation.peer
        if peer is not None and peer[1] == event.key and w.preferences.typing_indicators:
            w.conversation.set_typing([event.member] if event.typing else [])

    def _on_report(self, event: ReportEvent) -> None:
        w = self.window
        queue = w.dialog(ModerationQueueDialog)
        if queue is not None:
            queue.add_report(self.queue_row(event.report))
        w.statusBar().showMessage(w.tr("A new report waits in the moderation queue."), 8000)

    def _on_info(self, event: Info) -> None:
        self.window.statusBar().showMessage(event.message, 8000)

    def _on_error(self, event: ErrorEvent) -> None:
        """Something the core could not do by itself (a request's own failure is shown
        where it was made)."""
        self.window.statusBar().showMessage(event.message, 8000)

    # -- direct-message requests ----------------------------------------------------------
    async def accept_dm(self, circle_id: bytes, peer_key: bytes) -> None:
        await self.messenger.accept_dm(circle_id, peer_key)

    async def decline_dm(self, circle_id: bytes, peer_key: bytes) -> None:
        await self.messenger.decline_dm(circle_id, peer_key)

    async def load_direct_list(self) -> None:
        """The private conversations kept in the profile (requests among them), newest first."""
        latest = []
        for circle in self.messenger.circles():
            for thread in await self.messenger.direct_threads(circle.id):
                for message in await self.messenger.direct_messages(circle.id, thread.peer_key, 1):
                    latest.append((message, 1 if thread.request else 0))
        self.window.sidebar.direct_model.set_latest(latest)

    async def _accept_rules(self, circle_id: bytes) -> None:
        await self.messenger.accept_rules(circle_id)
        await self._introduce()  # an introduction waits for the rules to be accepted

    def _ask_rules(self, event: RulesEvent) -> None:
        """The host's rules arrived or changed: ask for consent before taking part."""
        circle = self.messenger.circle(event.circle)
        dialog = self.window.open_rules(event.circle, circle.name, event.rules)
        dialog.rulesAccepted.connect(lambda cid: self.spawn(self._accept_rules(cid)))


def preferences_to_dict(prefs: Preferences) -> dict[str, object]:
    return {k: (v.value if hasattr(v, "value") else v) for k, v in prefs.__dict__.items()}


def preferences_from_dict(data: object) -> Preferences:
    from dataclasses import fields

    from .preferences import NotificationContent
    from .theme import ThemeChoice

    if not isinstance(data, dict):
        return Preferences()
    kinds = {"notifications": NotificationContent, "theme": ThemeChoice}
    values: dict[str, Any] = {}
    for f in fields(Preferences):
        if f.name in data:
            raw = data[f.name]
            try:
                values[f.name] = kinds[f.name](raw) if f.name in kinds else raw
            except ValueError:
                continue
    try:
        return Preferences(**values)
    except TypeError:
        return Preferences()
