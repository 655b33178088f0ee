"""Keeps what the window shows current as people come and go: the header's "N people here"
follows every link that comes up or goes down, and every removal; a newcomer asking to join (or
a new code) while the invite dialog is shut is kept for it and announced."""

from __future__ import annotations

import contextlib

from messenger import APP_NAME
from messenger.errors import HearthError
from messenger.events import (
    CodeEvent,
    Event,
    JoinRequestEvent,
    MemberRemovedEvent,
    PeerConnectedEvent,
    PeerLostEvent,
)
from messenger.facade import Messenger
from messenger.views import JoinCodeView, JoinRequestView

from .dialogs.invite import InviteDialog
from .main_window import MainWindow


class LiveUpdates:
    def __init__(self, window: MainWindow, messenger: Messenger) -> None:
        self.window = window
        self.messenger = messenger
        messenger.subscribe(self.on_event)

    def on_event(self, event: Event) -> None:
        if isinstance(event, PeerConnectedEvent | PeerLostEvent | MemberRemovedEvent):
            with contextlib.suppress(HearthError):  # the circle was just left
                self.window.update_circle(self.messenger.circle(event.circle))
        elif isinstance(event, JoinRequestEvent | CodeEvent):
            self._invite_event(event)

    def _invite_event(self, event: JoinRequestEvent | CodeEvent) -> None:
        """A newcomer or a new code while the invite dialog is shut: kept for when it opens
        again, and a newcomer is announced (an open dialog shows them itself)."""
        w = self.window
        if w.dialog(InviteDialog) is not None:
            return
        if isinstance(event, CodeEvent):
            w.invites.set_code(JoinCodeView(event.circle, event.code, event.expires))
            return
        w.invites.add_request(JoinRequestView(event.circle, event.request, event.member))
        circle = w.circles.get(event.circle)
        name = circle.name if circle is not None else ""
        w.statusBar().showMessage(
            w.tr("%s asks to join %s: open Invite to let them in.") % (event.member, name), 15000
        )
        if not w.isActiveWindow():
            w.tray.show(APP_NAME, w.tr("Someone asks to join a circle"))
