"""The real desktop app, plus a local control channel for scenario tests (test-only).

``python -m tests.scenarios.driven_app --control SOCKET -- [hearth arguments]`` makes the real
QApplication (``ui.app.make_application``), opens a ``QLocalServer`` on ``SOCKET`` and then runs
the real ``ui.cli.main``: everything else is the app a person starts. The test sends one JSON
object per line and reads one JSON answer per line; all of it runs on Qt's main thread between
the app's own events, the way a person's clicks and keys do.

Widgets are found the way a person (or a screen reader) finds them: by accessible name, object
name or the text they show, among the visible windows.
"""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QAbstractItemModel, QByteArray, QModelIndex, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QTextEdit,
    QWidget,
)

Reply = dict[str, Any]


class Problem(Exception):
    """A request the driver cannot do (no such widget, bad arguments): answered, not raised."""


def _text_of(widget: QWidget) -> str:
    if isinstance(widget, QLineEdit | QLabel | QAbstractButton):
        return widget.text()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return widget.toPlainText()
    return ""


def _plain(text: str) -> str:
    return text.replace("&", "").strip()


def _windows() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def _all_widgets(within: str | None) -> Iterator[QWidget]:
    """Every widget of the visible windows (``within`` one of them), skipping any that Qt has
    already deleted (a tray bubble going away leaves wrappers behind)."""
    for top in _windows():
        if within and within not in (top.windowTitle(), top.accessibleName(), top.objectName()):
            continue
        yield top
        yield from (w for w in top.findChildren(QWidget) if shiboken6.isValid(w))


def _matches(widget: QWidget, name: str) -> bool:
    return name in (widget.accessibleName(), widget.objectName(), _plain(_text_of(widget)))


def _rank(widget: QWidget, name: str) -> int:
    """Accessible names first (what a screen reader says), then object names, then text."""
    if widget.accessibleName() == name:
        return 0
    return 1 if widget.objectName() == name else 2


EDITABLE = (QLineEdit, QPlainTextEdit, QTextEdit, QSpinBox)


def _find(args: Reply, prefer: tuple[type[QWidget], ...] = ()) -> QWidget:
    name = str(args["name"])
    kind = args.get("cls")
    found = [
        w
        for w in _all_widgets(args.get("within"))
        if w.isVisible()
        and _matches(w, name)
        and (kind is None or kind in (type(w).__name__, *[c.__name__ for c in type(w).__mro__]))
    ]
    found = [w for w in found if shiboken6.isValid(w)]
    found.sort(key=lambda w: (not isinstance(w, prefer), _rank(w, name)))
    index = int(args.get("index", 0))
    if len(found) <= index:
        seen = sorted(
            {w.accessibleName() or _plain(_text_of(w)) for w in _all_widgets(None) if w.isVisible()}
            - {""}
        )
        raise Problem(f"no visible widget named {name!r} (visible: {seen[:80]})")
    return found[index]


def _describe(widget: QWidget) -> Reply:
    size, hint = widget.size(), widget.sizeHint()
    described: Reply = {
        "cls": type(widget).__name__,
        "name": widget.accessibleName(),
        "object": widget.objectName(),
        "text": _text_of(widget),
        "visible": widget.isVisible(),
        "enabled": widget.isEnabled(),
        "size": [size.width(), size.height()],
        "hint": [hint.width(), hint.height()],
        "title": widget.windowTitle() if widget.isWindow() else "",
        # how much of it is on screen (less than ``size`` when a parent clips it)
        "shown": [
            widget.visibleRegion().boundingRect().width(),
            widget.visibleRegion().boundingRect().height(),
        ],
        "wraps": widget.hasHeightForWidth(),
        # the height it needs at its width (wrapped text), else its hint's height
        "needs": widget.heightForWidth(size.width())
        if widget.hasHeightForWidth()
        else hint.height(),
    }
    if isinstance(widget, QAbstractButton):
        described["checked"] = widget.isChecked()
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        described["placeholder"] = widget.placeholderText()
    if isinstance(widget, QAbstractItemView) and widget.model() is not None:
        described["rows"] = _rows(widget.model())
        # what a screen reader says for each row (status lines, badges)
        described["spoken"] = _rows(widget.model(), Qt.ItemDataRole.AccessibleTextRole)
    return described


def _rows(
    model: QAbstractItemModel, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole
) -> list[str]:
    return [
        str(model.data(model.index(r, 0, QModelIndex()), role) or "")
        for r in range(model.rowCount())
    ]


def _actions() -> Iterator[QAction]:
    app = QApplication.instance()
    assert app is not None
    for top in QApplication.topLevelWidgets():
        yield from top.actions()
        for child in top.findChildren(QObject):
            if isinstance(child, QAction):
                yield child
            elif isinstance(child, QMenu):
                yield from child.actions()


def _key_target(args: Reply) -> QWidget:
    if "name" in args:
        return _find(args)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    mains = [w for w in _windows() if isinstance(w, QMainWindow)]
    target = app.activeModalWidget() or app.focusWidget() or (mains[0] if mains else None)
    if target is None:
        raise Problem("no window to send keys to")
    return target


class Driver:
    """The requests a scenario can make; each answers a JSON-able dict."""

    def handle(self, request: Reply) -> Reply:
        op = str(request.get("op", ""))
        method: Callable[[Reply], Reply] | None = getattr(self, f"op_{op}", None)
        if method is None:
            return {"ok": False, "error": f"unknown op {op!r}"}
        try:
            return {"ok": True, **method(request)}
        except Problem as exc:
            return {"ok": False, "error": str(exc)}
        except (KeyError, ValueError, TypeError) as exc:
            return {"ok": False, "error": f"bad request: {exc!r}"}

    def op_ping(self, args: Reply) -> Reply:
        return {}

    def op_windows(self, args: Reply) -> Reply:
        return {"windows": [_describe(w) for w in _windows()]}

    def op_widgets(self, args: Reply) -> Reply:
        return {
            "widgets": [
                _describe(w)
                for w in _all_widgets(args.get("within"))
                if w.isVisible() and (w.accessibleName() or w.objectName() or _text_of(w))
            ]
        }

    def op_read(self, args: Reply) -> Reply:
        return _describe(_find(args))

    def op_exists(self, args: Reply) -> Reply:
        try:
            _find(args)
        except Problem:
            return {"exists": False}
        return {"exists": True}

    def op_click(self, args: Reply) -> Reply:
        widget = _find(args)
        if not widget.isEnabled():
            raise Problem(f"{args['name']!r} is disabled")
        if isinstance(widget, QAbstractButton):
            widget.click()
        else:
            QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
        return {}

    def op_set_text(self, args: Reply) -> Reply:
        widget = _find(args, EDITABLE)
        text = str(args["text"])
        if isinstance(widget, QLineEdit):
            widget.setText(text)
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            widget.setPlainText(text)
        elif isinstance(widget, QSpinBox):
            widget.setValue(int(text))
        else:
            raise Problem(f"{args['name']!r} does not take text")
        return {}

    def op_type(self, args: Reply) -> Reply:
        """Key presses into a field, one character at a time, as a person types."""
        widget = _find(args, EDITABLE)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        QTest.keyClicks(widget, str(args["text"]))
        return {}

    def op_key(self, args: Reply) -> Reply:
        """A key combination ("Ctrl+Q", "Escape", "Return") through the window system, so
        shortcuts fire as they do for a person."""
        sequence = QKeySequence(str(args["keys"]))
        if sequence.isEmpty():
            raise Problem(f"not a key sequence: {args['keys']!r}")
        combo = sequence[0]  # type: ignore[index]  # (PySide6 stubs lack __getitem__)
        target = _key_target(args)
        handle = target.window().windowHandle()
        if handle is None:
            raise Problem("the target has no native window")
        if QApplication.activeWindow() is not target.window():
            # Several apps share the display and there is no window manager: give this
            # window the keyboard as a click on it would.
            with warnings.catch_warnings():  # deprecated, but the only way without a WM
                warnings.simplefilter("ignore", DeprecationWarning)
                QApplication.setActiveWindow(target.window())
        QTest.keyClick(handle, combo.key(), combo.keyboardModifiers())
        return {}

    def op_select(self, args: Reply) -> Reply:
        """Click the row of an item view whose text contains ``row``."""
        view = _find(args)
        if not isinstance(view, QAbstractItemView) or view.model() is None:
            raise Problem(f"{args['name']!r} is not a list")
        model, wanted = view.model(), str(args["row"])
        for r, text in enumerate(_rows(model)):
            if wanted in text:
                index = model.index(r, 0, QModelIndex())
                view.scrollTo(index)
                center = view.visualRect(index).center()
                QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)
                if args.get("double"):  # a double click activates (opens) the row
                    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)
                return {"row": r}
        raise Problem(f"no row with {wanted!r} in {args['name']!r}")

    def op_tab(self, args: Reply) -> Reply:
        """Click the tab whose text is ``tab`` in the tab widget ``name``."""
        tabs = _find(args)
        if not isinstance(tabs, QTabWidget):
            raise Problem(f"{args['name']!r} has no tabs")
        bar = tabs.tabBar()
        for i in range(tabs.count()):
            if _plain(tabs.tabText(i)) == args["tab"]:
                QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(i).center())
                return {}
        raise Problem(f"no tab {args['tab']!r}")

    def op_trigger(self, args: Reply) -> Reply:
        """Trigger a menu or window action by its text (a tray menu item, a menu bar item)."""
        wanted = str(args["text"])
        for action in _actions():
            if _plain(action.text()) == wanted and action.isEnabled():
                action.trigger()
                return {}
        raise Problem(f"no action {wanted!r}")

    def op_tray(self, args: Reply) -> Reply:
        """What the main window's tray shows: whether there is one, its tooltip, the count on
        its icon and the last notification (the tray's bubble or the desktop's portal)."""
        for widget in QApplication.topLevelWidgets():
            tray = getattr(widget, "tray", None)
            if isinstance(widget, QMainWindow) and tray is not None:
                icon = tray.icon
                return {
                    "available": icon is not None and icon.isVisible(),
                    "tooltip": icon.toolTip() if icon is not None else None,
                    "count": tray.count,
                    "last": list(tray.last) if tray.last is not None else None,
                    "shown": tray.shown,
                    "active": widget.isActiveWindow(),
                    "visible": widget.isVisible(),
                    "minimized": widget.isMinimized(),
                }
        raise Problem("no main window with a tray")

    def op_caret(self, args: Reply) -> Reply:
        """The caret's blink period now (0: a steady caret)."""
        return {"flash_ms": QApplication.styleHints().cursorFlashTime()}

    def op_reveal(self, args: Reply) -> Reply:
        """Scroll the widget's scroll area until the widget is in view, as a person scrolls."""
        widget = _find(args)
        parent = widget.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            parent.ensureWidgetVisible(widget)
        return {}

    def op_close(self, args: Reply) -> Reply:
        """Close a window as its title bar's X (or Alt+F4 in a window manager) does."""
        _find(args).window().close()
        return {}

    def op_resize(self, args: Reply) -> Reply:
        """Resize a window, as dragging its edge does."""
        width, height = (int(v) for v in args["size"])
        _find(args).window().resize(width, height)
        return {}

    def op_screenshot(self, args: Reply) -> Reply:
        widget = _find(args) if "name" in args else _windows()[-1]
        target = widget.window() if args.get("window", True) else widget
        pixmap = target.grab()
        path = Path(str(args["path"]))
        if not pixmap.save(str(path)):
            raise Problem(f"could not save {path}")
        return {"size": [pixmap.width(), pixmap.height()]}


class ControlServer(QObject):
    """A ``QLocalServer`` answering JSON lines on Qt's main thread."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.driver = Driver()
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self.server.listen(path):
            raise SystemExit(f"driven_app: cannot listen on {path}: {self.server.errorString()}")
        self.server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._buffers.pop(s, None))

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        *lines, rest = data.split(b"\n")
        self._buffers[socket] = rest
        for line in lines:
            try:
                request = json.loads(line)
                reply = self.driver.handle(request if isinstance(request, dict) else {})
            except json.JSONDecodeError as exc:
                reply = {"ok": False, "error": f"not JSON: {exc}"}
            socket.write(QByteArray(json.dumps(reply).encode() + b"\n"))
            socket.flush()


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "--control":
        print("usage: driven_app --control SOCKET -- [hearth arguments]", file=sys.stderr)
        return 2
    path, rest = argv[1], argv[2:]
    if rest[:1] == ["--"]:
        rest = rest[1:]
    from ui.app import make_application
    from ui.cli import main as hearth_main

    make_application()
    server = ControlServer(path)
    try:
        return hearth_main(rest)
    finally:
        server.server.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
