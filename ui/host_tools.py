"""The host's (and co-moderators') tools in the window, and my name in a circle: the circle
settings dialog and the panel's appoint/dismiss button, wired to the Messenger."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Coroutine
from typing import Any

from messenger.errors import HearthError
from messenger.facade import Messenger
from messenger.views import MemberView

from .dialogs.circle_settings import CircleChanges, CircleSettingsDialog
from .main_window import MainWindow

Spawn = Callable[[Coroutine[Any, Any, None]], object]


class HostTools:
    def __init__(self, window: MainWindow, messenger: Messenger, spawn: Spawn) -> None:
        self.window = window
        self.messenger = messenger
        self.spawn = spawn
        window.panel.circleSettingsRequested.connect(self.open)
        window.panel.moderatorChangeRequested.connect(
            lambda member, appoint: self.spawn(self.set_moderator(member, appoint))
        )

    def open(self, circle_id: bytes) -> CircleSettingsDialog:
        dialog = self.window.open_circle_settings(self.messenger.circle(circle_id))
        dialog.changesRequested.connect(lambda changes: self.spawn(self.apply(changes)))
        dialog.closeCircleRequested.connect(lambda cid: self.spawn(self.close_circle(cid)))
        return dialog

    async def apply(self, changes: object) -> None:
        assert isinstance(changes, CircleChanges)
        cid = changes.circle_id
        if changes.pseudonym is not None:
            await self.messenger.set_pseudonym(cid, changes.pseudonym)
        if changes.details_changed:
            await self.messenger.update_circle(
                cid, description=changes.description, rules=changes.rules
            )
        if changes.auto_approve is not None:
            settings = self.messenger.circle(cid).settings
            await self.messenger.update_circle(
                cid, settings=dataclasses.replace(settings, auto_approve=changes.auto_approve)
            )
        if changes.slow_mode is not None:
            await self.messenger.moderation.set_slow_mode(cid, changes.slow_mode)
        self._refresh(cid)
        self.window.statusBar().showMessage(
            self.window.tr("The circle's settings are saved."), 6000
        )

    async def close_circle(self, circle_id: bytes) -> None:
        await self.messenger.moderation.close_circle(circle_id)
        self._refresh(circle_id)

    async def set_moderator(self, member: object, appoint: bool) -> None:
        assert isinstance(member, MemberView)
        if appoint:
            await self.messenger.moderation.appoint(member.circle_id, member.key)
        else:
            await self.messenger.moderation.dismiss(member.circle_id, member.key)
        self._refresh(member.circle_id)

    def _refresh(self, circle_id: bytes) -> None:
        with contextlib.suppress(HearthError):
            self.window.update_circle(self.messenger.circle(circle_id))
            self.window.show_members(circle_id, self.messenger.members(circle_id))
