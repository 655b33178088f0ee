"""Issue 15 item 8, joining: the words of a spoken code are checked as they are typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.netlab import Netlab
from tests.scenarios.conftest import StartApp
from tests.scenarios.flows import main_window_ready

pytestmark = [pytest.mark.gui, pytest.mark.netns, pytest.mark.timeout(90)]

JOIN = "Join a circle"
FIELD = "Invite link or spoken code"


def test_spoken_code_words_are_checked_while_typing(
    lab: Netlab, start_app: StartApp, tmp_path: Path
) -> None:
    (host,) = lab.lan(1)
    app = start_app("solo", ["--ephemeral", "--interface", host.address()], host)
    main_window_ready(app)
    app.call("key", keys="Ctrl+J")
    app.wait_widget(FIELD, within=JOIN)

    app.call("type", name=FIELD, text="7 ambr", within=JOIN)
    assert not app.exists("Code check")  # a word being typed is left alone
    app.call("type", name=FIELD, text=" ", within=JOIN)
    check = app.wait_widget("Code check", within=JOIN)
    assert "“ambr” is not a word join codes use" in check["text"]
    assert "amber" in check["text"]
    app.screenshot(tmp_path / "join-word-check.png", name=JOIN)

    app.call("set_text", name=FIELD, text="", within=JOIN)
    app.call("type", name=FIELD, text="7 amber lantern", within=JOIN)
    assert not app.exists("Code check")
