"""The Invite window and the core: asking for a spoken code, letting newcomers in or not, and
showing what happens to the code. A newcomer asking, a new code, a wrong try, or three wrong
tries that closed the code reach the open Invite window; while it is shut, a closed code is kept
for it (:class:`~ui.invite_memory.InviteMemory`) and the status bar says so."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Coroutine
from typing import Any

from messenger.api import (
    CodeClosedEvent,
    CodeEvent,
    HearthError,
    JoinCodeView,
    JoinRequestEvent,
    JoinRequestView,
    Messenger,
    WrongCodeEvent,
)

from .core_events import CoreEvents
from .dialogs.invite import InviteDialog
from .main_window import MainWindow

Spawn = Callable[[Coroutine[Any, Any, None]], object]


class InviteTools:
    def __init__(
        self, window: MainWindow, messenger: Messenger, events: CoreEvents, spawn: Spawn
    ) -> None:
        self.window = window
        self.messenger = messenger
        self.spawn = spawn
        events.joinRequest.connect(self._on_join_request)
        events.code.connect(self._on_code)
        events.wrongCode.connect(self._on_wrong_code)
        events.codeClosed.connect(self._on_code_closed)

    def wire(self, dialog: InviteDialog) -> None:
        dialog.codeRequested.connect(lambda cid: self.spawn(self.open_code(dialog, cid)))
        dialog.approveRequested.connect(lambda req: self.decide(dialog, req, True))
        dialog.denyRequested.connect(lambda req: self.decide(dialog, req, False))

    async def open_code(self, dialog: InviteDialog, circle_id: bytes) -> None:
        """The circle's code that still works, or a new one (after it expired or closed)."""
        try:
            view = await self.messenger.open_join_code(circle_id, reuse=True)
        except HearthError as exc:
            dialog.show_code_error(str(exc))
            return
        dialog.show_code(view)

    def decide(self, dialog: InviteDialog, request: object, approve: bool) -> None:
        assert isinstance(request, JoinRequestView)
        try:
            if approve:
                self.messenger.approve(request.request)
            else:
                self.messenger.deny(request.request)
        except HearthError as exc:
            self.window.show_problem(str(exc))
        dialog.remove_join_request(request.request)

    # -- the core's events ----------------------------------------------------------------
    def _on_join_request(self, event: JoinRequestEvent) -> None:
        dialog = self.window.dialog(InviteDialog)
        if dialog is not None:
            dialog.add_join_request(JoinRequestView(event.circle, event.request, event.member))

    def _on_code(self, event: CodeEvent) -> None:
        dialog = self.window.dialog(InviteDialog)
        if dialog is not None:
            dialog.show_code(JoinCodeView(event.circle, event.code, event.expires))

    def _on_wrong_code(self, event: WrongCodeEvent) -> None:
        dialog = self.window.dialog(InviteDialog)
        if dialog is not None and dialog.circle.id == event.circle:
            dialog.show_wrong_try(event.circle, event.attempts_left)

    def _on_code_closed(self, event: CodeClosedEvent) -> None:
        w = self.window
        dialog = w.dialog(InviteDialog)
        if dialog is not None and dialog.circle.id == event.circle:
            dialog.show_code_closed(event.circle)
            return
        w.invites.close_code(event.circle)  # the Invite window says so when it opens
        name = ""
        with contextlib.suppress(HearthError):
            name = self.messenger.circle(event.circle).name
        w.statusBar().showMessage(
            w.tr(
                "The spoken code for %s closed after three wrong tries: open Invite to make "
                "a new one."
            )
            % name,
            15000,
        )
