"""The desktop app's main coroutine: one thread, Qt's loop is the asyncio loop (qasync)."""

from __future__ import annotations

import asyncio
import logging
import sys

import qasync
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from messenger import APP_ID, APP_NAME
from messenger import pseudonym as pseudonyms
from messenger.errors import HearthError
from messenger.options import LaunchOptions
from messenger.paths import resource

from . import gc_guard, local_network, single_instance
from .controller import Controller, preferences_from_dict
from .i18n import install_translator
from .main_window import MainWindow
from .startup import start_messenger
from .theme import apply_theme

log = logging.getLogger(__name__)


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName(APP_ID)
    app.setQuitOnLastWindowClosed(True)
    icon = resource("icons", "hearth.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    install_translator(app)
    gc_guard.install(app)
    apply_theme(app)
    return app


async def _main(options: LaunchOptions, instance: single_instance.Instance | None = None) -> int:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    quitting = asyncio.Event()
    app.aboutToQuit.connect(quitting.set)
    window = MainWindow(suggest_pseudonym=pseudonyms.generate)
    window.show()
    links = single_instance.attach(window, instance, options.link)
    try:
        messenger = await start_messenger(window, options)
    except HearthError as exc:
        log.error("could not start: %s", exc.code)
        window.close()
        return 1
    if messenger is None:  # closed the first-run or unlock dialog
        window.close()
        return 0
    controller = Controller(window, messenger)
    prefs = preferences_from_dict(await messenger.ui_preferences())
    window.apply_preferences(prefs)
    controller.wipe_on_quit = prefs.wipe_on_quit
    controller.spawn(controller.apply_dm_preferences(prefs))
    controller.spawn(controller.apply_lobby(prefs))
    links.ready()
    controller.spawn(local_network.explain_if_denied(window, messenger.listen_addresses))
    try:
        await quitting.wait()
    finally:
        await controller.idle()
        if controller.wipe_on_quit:
            await messenger.wipe()
        else:
            await messenger.close()
    return 0


def run_app(options: LaunchOptions) -> int:
    make_application()
    instance = None if options.ephemeral else single_instance.claim(options.profile, options.link)
    if instance is None and not options.ephemeral:
        return 0  # the Hearth already running on this profile took the link
    result: int = qasync.run(_main(options, instance))
    return result
