"""Safety numbers compared in person: "They match" marks the member verified in the core
(kept in the profile); the member list and the dialog show it from then on."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Coroutine
from typing import Any

from messenger.errors import HearthError
from messenger.facade import Messenger
from messenger.views import MemberView

from .dialogs.safety import SafetyNumberDialog
from .main_window import MainWindow

Spawn = Callable[[Coroutine[Any, Any, None]], object]


class SafetyNumbers:
    def __init__(self, window: MainWindow, messenger: Messenger, spawn: Spawn) -> None:
        self.window = window
        self.messenger = messenger
        self.spawn = spawn
        window.dialogOpened.connect(self._wire)

    def _wire(self, dialog: object) -> None:
        if isinstance(dialog, SafetyNumberDialog):
            dialog.verifiedRequested.connect(lambda m: self.spawn(self.mark(m)))

    async def mark(self, member: object) -> None:
        assert isinstance(member, MemberView)
        await self.messenger.verification.mark(member.circle_id, member.key)
        with contextlib.suppress(HearthError):
            self.window.show_members(member.circle_id, self.messenger.members(member.circle_id))
        self.window.statusBar().showMessage(
            self.window.tr("%s is verified: your safety numbers matched.") % member.pseudonym,
            8000,
        )
