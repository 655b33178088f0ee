"""Issue 15 items 8 and 12 at the first start: Esc on the welcome dialog does not quit, the
name chosen there is the one offered for the first circle, and an ephemeral session is marked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.netlab import Netlab
from tests.scenarios.conftest import StartApp
from tests.scenarios.flows import WELCOME, first_run, main_window_ready

pytestmark = [pytest.mark.gui, pytest.mark.netns, pytest.mark.timeout(120)]

MARK = "Ephemeral session: nothing is kept when you quit"


def test_escape_on_welcome_steps_back_and_never_quits(
    lab: Netlab, start_app: StartApp, tmp_path: Path
) -> None:
    (host,) = lab.lan(1)
    profile = tmp_path / "profile"
    app = start_app("solo", ["--profile", str(profile), "--interface", host.address()], host)
    app.wait_widget("Continue", within=WELCOME)
    app.call("key", keys="Escape")
    assert app.exists(WELCOME, cls="QDialog") and app.proc.poll() is None
    app.call("click", name="Continue", within=WELCOME)
    app.wait_widget("Keep a profile protected by a passphrase")
    app.call("key", keys="Escape")  # back to the first page, still there
    app.wait(lambda: not app.exists("Keep a profile protected by a passphrase"), "page one")
    assert app.exists(WELCOME, cls="QDialog") and app.proc.poll() is None

    first_run(app, "Quiet Heron")
    assert not app.exists(MARK)  # a kept profile carries no ephemeral mark
    app.call("key", keys="Ctrl+N")
    offered = app.wait_widget("Your name in this circle", within="Create a circle", cls="QLineEdit")
    assert offered["text"] == "Quiet Heron"


def test_ephemeral_session_is_marked_and_shortcuts_are_listed(
    lab: Netlab, start_app: StartApp, tmp_path: Path
) -> None:
    (host,) = lab.lan(1)
    app = start_app("solo", ["--ephemeral", "--interface", host.address()], host)
    main_window_ready(app)
    mark = app.call("read", name=MARK)
    assert mark["size"][0] >= mark["hint"][0], mark  # whole, not clipped
    app.screenshot(tmp_path / "ephemeral-mark.png", name="Hearth")

    # Item 12: the menu bar's Help menu opens the shortcut sheet (Ctrl+/ too).
    app.call("trigger", text="Keyboard shortcuts")
    sheet = app.wait_widget("Keyboard shortcuts", cls="QTableWidget")
    assert "Quit Hearth" in sheet["rows"] and "Create a circle" in sheet["rows"]
    app.call("key", keys="Escape")
    app.wait(lambda: not app.exists("Keyboard shortcuts", cls="QTableWidget"), "the sheet closed")
    app.call("key", keys="Ctrl+/")
    app.wait_widget("Keyboard shortcuts", cls="QTableWidget")
