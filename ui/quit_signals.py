"""SIGTERM and SIGINT end the app through the same clean path as the Quit menu item.

Qt's loop runs in C++ most of the time, so a Python signal handler would wait for the next
Python callback. The C-level handler writes to a socket (``signal.set_wakeup_fd``); a
``QSocketNotifier`` on the other end wakes Qt's loop, Python runs, and the handler asks to quit.
"""

from __future__ import annotations

import contextlib
import signal
import socket
from collections.abc import Callable
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier

SIGNALS = (signal.SIGTERM, signal.SIGINT)


class QuitSignals(QObject):
    """While alive, SIGTERM and SIGINT call ``on_quit`` on the main thread; ``close`` restores."""

    def __init__(self, on_quit: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_quit = on_quit
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._old_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        self._old_handlers = {sig: signal.signal(sig, self._handle) for sig in SIGNALS}

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self._on_quit()

    def _drain(self) -> None:
        # Reading lets Python run its pending handlers (this is Python code on the main thread).
        with contextlib.suppress(BlockingIOError, OSError):
            while self._reader.recv(64):
                pass

    def close(self) -> None:
        self._notifier.setEnabled(False)
        for sig, handler in self._old_handlers.items():
            signal.signal(sig, handler)
        signal.set_wakeup_fd(self._old_fd)
        self._reader.close()
        self._writer.close()
