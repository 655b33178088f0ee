"""Direct messages in the window, beside the controller: a request gets a sidebar row with a
badge, a notification, and a dialog to accept or decline (accepting shows the messages that
waited, in their conversation); a private message while the window is not in front notifies.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Coroutine
from typing import Any

from messenger.errors import HearthError
from messenger.events import DmEvent, DmRequestEvent, Event
from messenger.facade import Messenger

from .dialogs.dm_request import DmRequestDialog
from .main_window import MainWindow

Spawn = Callable[[Coroutine[Any, Any, None]], object]


class DmRequests:
    def __init__(self, window: MainWindow, messenger: Messenger, spawn: Spawn) -> None:
        self.window = window
        self.messenger = messenger
        self.spawn = spawn
        window.sidebar.directRequestSelected.connect(self.open)
        messenger.subscribe(self.on_event)

    def on_event(self, event: Event) -> None:
        if isinstance(event, DmEvent):
            if not self.window.isActiveWindow():
                self.window.notify_direct(event.message.peer, event.message.body)
            return
        if not isinstance(event, DmRequestEvent):
            return
        self.window.sidebar.direct_model.add_request(event.circle, event.key, event.member)
        circle = ""
        with contextlib.suppress(HearthError):
            circle = self.messenger.circle(event.circle).name
        if not self.window.isActiveWindow():
            self.window.notify_request(circle, event.member)
        self.window.statusBar().showMessage(
            self.window.tr("%s asks to talk privately.") % event.member, 8000
        )

    def open(self, circle_id: bytes, peer_key: bytes, peer: str) -> DmRequestDialog:
        dialog = self.window.open_dm_request(circle_id, peer_key, peer)
        dialog.accepted_request.connect(lambda cid, key: self.spawn(self.accept(cid, key)))
        dialog.declined_request.connect(lambda cid, key: self.spawn(self.decline(cid, key)))
        return dialog

    async def accept(self, circle_id: bytes, peer_key: bytes) -> None:
        await self.messenger.accept_dm(circle_id, peer_key)
        # The messages that waited arrive as DmEvents (the controller lists them); open the
        # conversation as a click on its row would.
        self.window.sidebar.direct_model.clear_request(circle_id, peer_key)
        self.window.sidebar.directSelected.emit(circle_id, peer_key)

    async def decline(self, circle_id: bytes, peer_key: bytes) -> None:
        await self.messenger.decline_dm(circle_id, peer_key)
        self.window.sidebar.direct_model.remove(circle_id, peer_key)
