"""The desktop app's main coroutine: one thread, Qt's loop is the asyncio loop (qasync)."""

from __future__ import annotations

import asyncio
import logging
import sys

import qasync
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from messenger import APP_ID, APP_NAME
from messenger.errors import HearthError
from messenger.facade import Messenger
from messenger.options import LaunchOptions
from messenger.paths import resource

from .main_window import MainWindow
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
    icon = resource("icons", "hearth.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    apply_theme(app)
    return app


async def _main(options: LaunchOptions) -> int:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    quitting = asyncio.Event()
    app.aboutToQuit.connect(quitting.set)
    messenger = Messenger(options)
    try:
        await messenger.start()
    except HearthError as exc:
        log.error("could not start: %s", exc)
        return 1
    window = MainWindow()
    window.show()
    try:
        await quitting.wait()
    finally:
        await messenger.close()
    return 0


def run_app(options: LaunchOptions) -> int:
    make_application()
    result: int = qasync.run(_main(options))
    return result
