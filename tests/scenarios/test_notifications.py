"""Issue 15 item 9: notifications for direct messages and requests, the count on the tray icon
and the window, and the desktop's notifications where there is no tray (stock GNOME).

Two real apps on a namespaced LAN under Xvfb. Without a tray, the host's app asks the
notification portal on a real session bus of its own (``dbus-daemon``; ``dbus-monitor`` records
each call the app's ``gdbus`` makes; no portal answers, as on a desktop where it is missing).
With a tray (``trayer``, a real XEmbed system tray on the same display), the icon carries the
count and the notification goes to the tray's bubble.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.netlab import Netlab
from tests.scenarios.conftest import StartApp, start_pair
from tests.scenarios.flows import (
    accept_dm_request,
    accept_rules,
    circle_with_guests,
    messages,
    open_direct_with,
    send_message,
)
from tests.scenarios.harness import Display, DrivenApp

pytestmark = [pytest.mark.gui, pytest.mark.netns, pytest.mark.timeout(240)]

REQUEST = ["Hearth", "Someone asks to talk privately"]
IN_CIRCLE = ["Hearth", "New message in a circle"]
PRIVATE = ["Hearth", "New private message"]
FIELD = re.compile(r'string "(title|body)"\s+variant\s+string "((?:[^"\\]|\\.)*)"')


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


class SessionBus:
    """A private D-Bus session bus and a monitor writing down every portal notification call."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        socket = folder / "bus"
        self.address = f"unix:path={socket}"
        self.record = folder / "monitor.txt"
        self.daemon = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", f"--address={self.address}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while not socket.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        rule = "interface='org.freedesktop.portal.Notification',member='AddNotification'"
        self.monitor = subprocess.Popen(
            ["dbus-monitor", "--address", self.address, rule],
            stdout=self.record.open("wb"),
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        # The monitor is listening once it has seen its own name handed out.
        deadline = time.monotonic() + 10
        while b"NameAcquired" not in self._text().encode() and time.monotonic() < deadline:
            time.sleep(0.05)

    def _text(self) -> str:
        try:
            return self.record.read_text(errors="replace")
        except OSError:
            return ""

    def notifications(self) -> list[list[str]]:
        """Each AddNotification call so far, as [title, body]."""
        shown = []
        for call in self._text().split("method call")[1:]:
            if "member=AddNotification" not in call:
                continue
            fields = dict(FIELD.findall(call))
            shown.append([fields.get("title", ""), fields.get("body", "")])
        return shown

    def close(self) -> None:
        _stop(self.monitor)
        _stop(self.daemon)


@pytest.fixture
def session_bus(tmp_path: Path) -> Iterator[SessionBus]:
    missing = [c for c in ("dbus-daemon", "dbus-monitor", "gdbus") if shutil.which(c) is None]
    if missing:
        pytest.skip(
            f"{', '.join(missing)} not installed (tests/system_deps.sh installs dbus-daemon, "
            "dbus-bin and libglib2.0-bin)"
        )
    bus = SessionBus(tmp_path / "session-bus")
    try:
        yield bus
    finally:
        bus.close()


@pytest.fixture
def system_tray(display: Display) -> Iterator[None]:
    """A real system tray (trayer) on the scenario's display, until the test ends."""
    if shutil.which("trayer") is None:
        pytest.skip("trayer is not installed (tests/system_deps.sh installs it)")
    env = {**os.environ, "DISPLAY": display.name}
    tray = subprocess.Popen(
        ["trayer", "--edge", "top", "--align", "right", "--widthtype", "pixel", "--width", "96"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    probe = (
        "from PySide6.QtWidgets import QApplication, QSystemTrayIcon; QApplication([]); "
        "raise SystemExit(0 if QSystemTrayIcon.isSystemTrayAvailable() else 1)"
    )
    try:
        for _ in range(40):  # bounded: trayer takes the tray's selection within a second or two
            probed = subprocess.run(
                [sys.executable, "-c", probe],
                env={**env, "QT_QPA_PLATFORM": "xcb"},
                capture_output=True,
                timeout=30,
            )
            if probed.returncode == 0:
                break
            time.sleep(0.25)
        else:
            pytest.fail("trayer never offered a system tray on the display")
        yield
    finally:
        _stop(tray)


def _hide(app: DrivenApp) -> None:
    """The tray menu's "Hide Hearth": the window goes to the tray, or is minimised without
    one; either way it is no longer in front."""
    app.call("trigger", text="Hide Hearth")
    app.wait(
        lambda: not (r := app.call("tray"))["active"] and (r["minimized"] or not r["visible"]),
        "the window to go away",
    )


def _show(app: DrivenApp) -> None:
    app.call("trigger", text="Show Hearth")
    app.wait(
        lambda: (r := app.call("tray"))["visible"] and not r["minimized"], "the window to show"
    )


def test_without_a_tray_the_desktop_portal_is_asked(
    lab: Netlab, start_app: StartApp, session_bus: SessionBus, tmp_path: Path
) -> None:
    bus = {"DBUS_SESSION_BUS_ADDRESS": session_bus.address}
    host, guest = start_pair(lab, start_app, host_env=bus)
    circle_with_guests(host, [(guest, "Amber Fox")])
    assert host.call("tray")["available"] is False  # Xvfb alone has no tray, as stock GNOME

    _hide(host)
    before = len(session_bus.notifications())
    asked = host.call("tray")["shown"]
    open_direct_with(guest, "Quiet Heron")
    send_message(guest, "Could we talk after the meeting?")
    host.wait(lambda: host.call("tray")["count"] == 1, "the request counted", 60)
    # Two posts in the circle after the request: once the host's window shows the second,
    # every notice the request and the posts caused has been asked for (the tray counts them;
    # the bus shows what reached the desktop).
    guest.call("select", name="Circles", row="Tuesday Evening")
    accept_rules(guest)  # shown once the guest was connected
    guest.wait(lambda: guest.text("ConversationTitle") == "Tuesday Evening", "the circle open")
    for text in ("See you all on Tuesday", "Bring a friend if you like"):
        send_message(guest, text)
        host.wait(lambda t=text: t in messages(host), "the post on the host's screen", 60)  # type: ignore[misc]
    asked = host.call("tray")["shown"] - asked  # how many notices the app asked for
    host.wait(lambda: len(session_bus.notifications()[before:]) >= asked, "the notices", 30)
    said = session_bus.notifications()[before:]
    # One notice for the request (it also came as a circle message's notice), one a post;
    # redacted by default: no name, no words of theirs.
    assert sorted(said) == sorted([REQUEST, IN_CIRCLE, IN_CIRCLE]), said
    assert host.call("read", name="Hearth", cls="MainWindow")["title"].startswith("Hearth (")

    # Accepted, then a private message while the window is away again.
    _show(host)
    accept_dm_request(host, "Amber Fox")
    host.wait(
        lambda: "Could we talk after the meeting?" in messages(host), "the waiting message", 30
    )
    _hide(host)
    before = len(session_bus.notifications())
    guest.call("select", name="Direct messages", row="Quiet Heron")
    guest.wait(
        lambda: "Could we talk after the meeting?" in messages(guest), "the private conversation"
    )
    send_message(guest, "Thank you for listening.")
    host.wait(lambda: session_bus.notifications()[before:], "the private message's notice", 60)
    assert session_bus.notifications()[before:] == [PRIVATE]
    everything = repr(session_bus.notifications())
    for secret in ("Amber Fox", "Could we talk", "Thank you", "Tuesday"):
        assert secret not in everything


def test_the_tray_icon_counts_and_notifies(
    lab: Netlab, start_app: StartApp, system_tray: None, tmp_path: Path
) -> None:
    host, guest = start_pair(lab, start_app)
    host.wait(lambda: host.call("tray")["available"], "the tray icon")
    circle_with_guests(host, [(guest, "Amber Fox")])
    assert host.call("tray")["tooltip"] == "Hearth"

    _hide(host)
    open_direct_with(guest, "Quiet Heron")
    send_message(guest, "Could we talk after the meeting?")
    host.wait(lambda: host.call("tray")["count"] == 1, "the request counted on the icon", 60)
    tray = host.call("tray")
    assert tray["tooltip"] == "Hearth: 1 unread", tray
    assert tray["last"] == REQUEST, tray

    _show(host)
    assert host.call("read", name="Hearth", cls="MainWindow")["title"] == "Hearth (1)"
    accept_dm_request(host, "Amber Fox")
    host.wait(
        lambda: "Could we talk after the meeting?" in messages(host), "the waiting message", 30
    )
    host.wait(lambda: host.call("tray")["count"] == 0, "the count gone once read")
    assert host.call("tray")["tooltip"] == "Hearth"
    host.screenshot(tmp_path / "tray-read.png", name="Hearth")
