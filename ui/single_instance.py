"""One Hearth per profile: a second launch hands its ``hearth://`` link to the running one.

Clicking an invite link starts ``hearth hearth://…`` (desktop file ``%u``, the Windows registry
key, macOS ``CFBundleURLTypes``). When Hearth already runs on that profile, the new process would
fail on the profile's lock; instead it connects to the running instance's local socket
(``QLocalServer``: a Unix socket, a named pipe on Windows), sends the link and exits, and the
running window comes forward with the join dialog filled in. macOS does not start a second
process at all: it sends the running app a ``QFileOpenEvent`` with the URL, handled here too.

The socket name is derived from the user and the profile's path (one name per profile, nothing
readable in it) and the server accepts only its own user (``UserAccessOption``). What arrives
is at most one line of :data:`MAX_LINK` bytes; anything but a ``hearth://`` link (or an empty
line: "come to the front") is ignored.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from .main_window import MainWindow

log = logging.getLogger(__name__)

SCHEME = "hearth"
MAX_LINK = 4096
CONNECT_MS = 1000


def socket_name(profile: Path) -> str:
    """The local socket name for this user and profile."""
    try:
        where = str(profile.expanduser().resolve())
    except OSError:
        where = str(profile)
    digest = hashlib.blake2b(f"{getpass.getuser()}\0{where}".encode(), digest_size=10)
    return f"hearth-{digest.hexdigest()}"


def is_link(text: str) -> bool:
    return text.lower().startswith(f"{SCHEME}://") and len(text.encode()) <= MAX_LINK


def hand_over(name: str, link: str) -> bool:
    """Give ``link`` ("" = just come forward) to a running instance; False when none answers."""
    sock = QLocalSocket()
    sock.connectToServer(name)
    if not sock.waitForConnected(CONNECT_MS):
        return False
    sock.write((link + "\n").encode())
    delivered = sock.waitForBytesWritten(CONNECT_MS)
    sock.disconnectFromServer()
    if sock.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        sock.waitForDisconnected(CONNECT_MS)
    return delivered


class Instance(QObject):
    """The running instance's end: a local server, and macOS URL open events."""

    linkReceived = Signal(str)  # a hearth:// link, or "" to come to the front

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        """Take the name; a name left by a crashed instance (no one answers) is taken over."""
        if self._server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)
        return self._server.listen(self.name)

    def close(self) -> None:
        self._server.close()

    def error(self) -> str:
        return str(self._server.errorString())

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            if sock is None:
                break
            sock.readyRead.connect(lambda s=sock: self._read(s))
            sock.disconnected.connect(sock.deleteLater)

    def _read(self, sock: QLocalSocket) -> None:
        if not sock.canReadLine() and sock.bytesAvailable() <= MAX_LINK:
            return  # the rest of the line is still coming
        line = bytes(sock.readLine(MAX_LINK + 1).data()).rstrip(b"\r\n")
        sock.disconnectFromServer()
        self.receive(line.decode("utf-8", "replace"))

    def receive(self, text: str) -> None:
        """A link from a second launch or the OS; what is not one is dropped (and logged)."""
        text = text.strip()
        if text and not is_link(text):
            log.info("ignored a message on the instance socket that is not a hearth:// link")
            return
        log.info("a second launch or the system handed over %s", "a link" if text else "nothing")
        self.linkReceived.emit(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """macOS: a clicked hearth:// link reaches the running app as a FileOpen event."""
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            url = event.url()
            if url.scheme().lower() == SCHEME:
                self.receive(url.toString())
                return True
        return super().eventFilter(watched, event)


def claim(profile: Path, link: str | None) -> Instance | None:
    """Become the instance for ``profile``, or hand ``link`` over and return None (then this
    process has nothing left to do). Needs a QCoreApplication."""
    name = socket_name(profile)
    if hand_over(name, link or ""):
        log.info("Hearth already runs on this profile: handed over to it")
        return None
    instance = Instance(name)
    if not instance.listen():
        log.warning("cannot listen for a second launch (%s)", instance.error())
    return instance


class LinkRouter:
    """Opens links in the window once the app is ready; earlier ones wait (the unlock dialog
    may still be up)."""

    def __init__(self, open_link: Callable[[str], None], bring_forward: Callable[[], None]) -> None:
        self._open, self._forward = open_link, bring_forward
        self._pending: list[str] = []
        self._ready = False

    def __call__(self, link: str) -> None:
        self._forward()
        if not link:
            return
        if self._ready:
            self._open(link)
        else:
            self._pending.append(link)

    def ready(self) -> None:
        self._ready = True
        for link in self._pending:
            self._open(link)
        self._pending.clear()


def open_in(window: MainWindow, link: str) -> None:
    """The join dialog with ``link`` filled in (the person checks the circle, then joins)."""
    dialog = window.open_join()
    dialog.input.setText(link)


def bring_forward(window: MainWindow) -> None:
    window.show()
    window.raise_()
    window.activateWindow()


def attach(window: MainWindow, instance: Instance | None, link: str | None) -> LinkRouter:
    """Route links from the command line, a second launch and macOS to ``window``; call
    ``ready()`` on the result once the app can join circles."""
    router = LinkRouter(lambda text: open_in(window, text), lambda: bring_forward(window))
    if instance is not None:
        instance.linkReceived.connect(router)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(instance)
    if link:
        router(link)
    return router
