"""The desktop app's main coroutine: one thread, Qt's loop is the asyncio loop (qasync)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import sys

import qasync
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from messenger import APP_ID, APP_NAME
from messenger import pseudonym as pseudonyms
from messenger.errors import HearthError
from messenger.facade import Messenger
from messenger.options import LaunchOptions
from messenger.paths import resource

from . import gc_guard, local_network, quiet_caret, single_instance
from .controller import Controller, preferences_from_dict, preferences_to_dict
from .dm_requests import DmRequests
from .host_tools import HostTools
from .i18n import install_translator
from .live_updates import LiveUpdates
from .main_window import MainWindow
from .post_actions import PostActions
from .quit_signals import QuitSignals
from .safety_numbers import SafetyNumbers
from .startup import start_messenger
from .theme import apply_theme
from .timeline_lines import TimelineLines

log = logging.getLogger(__name__)

SETTLE_SECONDS = 5.0  # requests in flight may finish before quitting; no longer


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName(APP_ID)
    # Every way out (close, Ctrl+Q, menus, tray, SIGTERM) asks _main to finish: Qt's loop must
    # not stop on its own before the shutdown path (close or wipe) has run.
    app.setQuitOnLastWindowClosed(False)
    icon = resource("icons", "hearth.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    install_translator(app)
    gc_guard.install(app)
    quiet_caret.install(app)
    apply_theme(app)
    return app


async def _main(options: LaunchOptions, instance: single_instance.Instance | None = None) -> int:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    quitting = asyncio.Event()
    app.aboutToQuit.connect(quitting.set)
    signals = QuitSignals(quitting.set)
    window = MainWindow(suggest_pseudonym=pseudonyms.generate)
    window.quitRequested.connect(quitting.set)
    window.set_ready(False)
    window.show()
    links = single_instance.attach(window, instance, options.link)
    try:
        return await _run(window, options, quitting, links)
    finally:
        signals.close()
        window.finish_quit()


async def _run(
    window: MainWindow,
    options: LaunchOptions,
    quitting: asyncio.Event,
    links: single_instance.LinkRouter,
) -> int:
    starting = asyncio.ensure_future(start_messenger(window, options))
    stopping = asyncio.ensure_future(quitting.wait())
    await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
    if not starting.done():  # quit while a first-run or unlock dialog was open
        starting.cancel()
    try:
        messenger = await starting
    except asyncio.CancelledError:
        return 0
    except HearthError as exc:
        log.error("could not start: %s", exc.code)
        return 1
    finally:
        stopping.cancel()
    if messenger is None:  # closed the first-run or unlock dialog
        return 0
    controller = Controller(window, messenger)
    window.set_ephemeral(messenger.profile_label == "ephemeral")
    # The window's other helpers, held for the whole session (a Qt connection to a bound
    # method does not keep its object alive).
    helpers = (
        LiveUpdates(window, messenger),
        HostTools(window, messenger, controller.spawn),
        SafetyNumbers(window, messenger, controller.spawn),
        DmRequests(window, messenger, controller.spawn),
        PostActions(window, messenger, controller.spawn),
        TimelineLines(window, messenger),
    )
    prefs = preferences_from_dict(await messenger.ui_preferences())
    window.apply_preferences(prefs)
    window.restore_geometry(prefs.geometry)
    controller.wipe_on_quit = prefs.wipe_on_quit
    controller.spawn(controller.apply_dm_preferences(prefs))
    controller.spawn(controller.apply_lobby(prefs))
    window.set_ready(True)
    links.ready()
    controller.spawn(local_network.explain_if_denied(window, messenger.listen_addresses))
    try:
        await quitting.wait()
    finally:
        window.quick_hide_for_quit()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(controller.idle(), SETTLE_SECONDS)
        if controller.wipe_on_quit:
            await messenger.wipe()
        else:
            await _remember_geometry(window, messenger)
            await messenger.close()
        del helpers  # alive until the session is closed
    return 0


async def _remember_geometry(window: MainWindow, messenger: Messenger) -> None:
    """The window opens where and as large as it was (kept in the encrypted profile)."""
    prefs = dataclasses.replace(window.preferences, geometry=window.saved_geometry())
    with contextlib.suppress(HearthError):
        await messenger.save_ui_preferences(preferences_to_dict(prefs))


def run_app(options: LaunchOptions) -> int:
    make_application()
    instance = None if options.ephemeral else single_instance.claim(options.profile, options.link)
    if instance is None and not options.ephemeral:
        return 0  # the Hearth already running on this profile took the link
    result: int = qasync.run(_main(options, instance))
    return result
