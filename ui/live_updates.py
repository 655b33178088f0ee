"""Keeps what the window shows about a circle current as people come and go: the header's
"N people here" follows every link that comes up or goes down, and every removal."""

from __future__ import annotations

import contextlib

from messenger.errors import HearthError
from messenger.events import Event, MemberRemovedEvent, PeerConnectedEvent, PeerLostEvent
from messenger.facade import Messenger

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
