"""Opening the profile from the window: first run, unlock, or an ephemeral session.

Dialogs open with ``open()`` and answer through signals; this coroutine awaits a future that
those signals resolve, so no dialog ever runs a nested event loop.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from typing import Generic, TypeVar

from messenger.errors import HearthError
from messenger.facade import Messenger
from messenger.options import LaunchOptions
from messenger.storage import WrongPassphrase, profile_exists, wipe_profile_async

from .main_window import MainWindow
from .requests import FirstRunChoice

log = logging.getLogger(__name__)


class NewProfile:
    """The unlock dialog's answer "wipe this profile and start a new one" (confirmed there)."""


T = TypeVar("T")


class Answer(Generic[T]):
    """The next answer a dialog gives through its signals, awaited as a future."""

    def __init__(self) -> None:
        self._future: asyncio.Future[T] | None = None

    def give(self, value: T) -> None:
        if self._future is not None and not self._future.done():
            self._future.set_result(value)

    async def next(self) -> T:
        self._future = asyncio.get_running_loop().create_future()
        return await self._future


async def _first_run(window: MainWindow) -> FirstRunChoice | None:
    answer: Answer[FirstRunChoice | None] = Answer()
    dialog = window.open_first_run()
    dialog.completed.connect(answer.give)
    dialog.rejected.connect(lambda: answer.give(None))
    return await answer.next()


async def start_messenger(window: MainWindow, options: LaunchOptions) -> Messenger | None:
    """A started Messenger for the window, or None when the person closed the dialogs."""
    if options.ephemeral:
        messenger = Messenger(options)
        await messenger.start()
        return messenger
    if not profile_exists(options.profile):
        choice = await _first_run(window)
        if choice is None:
            return None
        window.first_pseudonym = choice.pseudonym
        if choice.ephemeral:
            messenger = Messenger(dataclasses.replace(options, ephemeral=True))
            await messenger.start()
        else:
            messenger = Messenger(options)
            await messenger.start(choice.passphrase)
        return messenger
    return await _unlock(window, options)


async def _unlock(window: MainWindow, options: LaunchOptions) -> Messenger | None:
    dialog = window.open_unlock()
    answer: Answer[str | NewProfile | None] = Answer()
    dialog.unlockRequested.connect(answer.give)
    dialog.ephemeralRequested.connect(lambda: answer.give(None))
    dialog.newProfileRequested.connect(lambda: answer.give(NewProfile()))
    dialog.rejected.connect(lambda: answer.give(""))
    while True:
        passphrase = await answer.next()
        if passphrase == "":
            return None
        if isinstance(passphrase, NewProfile):  # confirmed in the dialog: wipe, then a first run
            await wipe_profile_async(options.profile)
            return await start_messenger(window, options)
        if passphrase is None:
            dialog.unlocked()
            messenger = Messenger(dataclasses.replace(options, ephemeral=True))
            await messenger.start()
            return messenger
        dialog.set_busy(True)
        messenger = Messenger(options)
        try:
            await messenger.start(passphrase)
        except WrongPassphrase:
            dialog.set_busy(False)
            dialog.show_wrong_passphrase()
            continue
        except HearthError as exc:
            dialog.set_busy(False)
            dialog.show_wrong_passphrase(str(exc))
            continue
        dialog.unlocked()
        return messenger
