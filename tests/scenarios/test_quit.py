"""Issue 15 item 1: quitting is clean from every path, wipes when asked, and exits 0.

Each case starts the real app in its own namespace under Xvfb, makes a profile through the
welcome dialog, optionally ticks "Wipe everything when I quit" in the settings, quits one way
and then looks at the exit status, the log and the files on disk.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tests.netlab import Netlab
from tests.scenarios.conftest import StartApp
from tests.scenarios.flows import first_run, set_wipe_on_quit
from tests.scenarios.harness import DrivenApp

pytestmark = [pytest.mark.gui, pytest.mark.netns, pytest.mark.timeout(120)]


def _quit(app: DrivenApp, how: str) -> None:
    if how == "window_close":  # the title bar's X, Alt+F4: a close event on the window
        app.call("close", name="Hearth", cls="MainWindow")
    elif how == "ctrl_q":
        app.call("key", keys="Ctrl+Q")
    elif how == "tray_quit":
        app.call("trigger", text="Quit")
    elif how == "menu_quit":
        app.call("trigger", text="Quit Hearth")
    elif how == "sigterm":
        os.kill(app.proc.pid, signal.SIGTERM)
    elif how == "panic":  # the panic shortcut, confirmed: wipes whatever the setting says
        app.call("key", keys="Ctrl+Shift+F12")
        ask = "Wipe everything now?"
        app.wait_widget("Wipe everything now", within=ask)
        app.call("click", name="Wipe everything now", within=ask)
    else:
        raise AssertionError(how)


CASES = [
    ("window_close", True),
    ("window_close", False),
    ("ctrl_q", True),
    ("tray_quit", True),
    ("menu_quit", False),
    ("menu_quit", True),
    ("sigterm", True),
    ("sigterm", False),
    ("panic", True),
]


@pytest.mark.parametrize(
    ("how", "wipe"), CASES, ids=[f"{h}-{'wipe' if w else 'keep'}" for h, w in CASES]
)
def test_quit_paths_are_clean_and_wipe_when_asked(
    lab: Netlab, start_app: StartApp, tmp_path: Path, how: str, wipe: bool
) -> None:
    (host,) = lab.lan(1)
    profile = tmp_path / "profile"
    app = start_app("solo", ["--profile", str(profile), "--interface", host.address()], host)
    first_run(app, "Quiet Heron")
    assert (profile / "hearth.db").exists() and (profile / "key").exists()
    if wipe and how != "panic":
        set_wipe_on_quit(app, True)

    _quit(app, how)

    status = app.wait_exit(45)
    log = app.log()
    assert status == 0, log
    assert "Traceback" not in log and "Event loop stopped" not in log, log
    left = sorted(p.name for p in profile.iterdir()) if profile.exists() else []
    if wipe:
        assert "hearth.db" not in left and "key" not in left, left
    else:
        assert {"hearth.db", "key"} <= set(left), left
