"""Issue 15 item 8, joining: the words of a spoken code are checked as they are typed, and
nobody is asked to accept rules they have not seen: they come to accept once connected."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.netlab import Netlab
from tests.scenarios.conftest import StartApp
from tests.scenarios.flows import (
    accept_rules,
    create_circle,
    joined,
    let_in,
    main_window_ready,
    open_invite,
    show_spoken_code,
)

pytestmark = [pytest.mark.gui, pytest.mark.netns, pytest.mark.timeout(150)]

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


def test_rules_are_shown_before_they_must_be_accepted(
    lab: Netlab, start_app: StartApp, tmp_path: Path
) -> None:
    h1, h2 = lab.lan(2)
    host = start_app("host", ["--ephemeral", "--interface", h1.address()], h1)
    guest = start_app("guest", ["--ephemeral", "--interface", h2.address()], h2)
    for app in (host, guest):
        main_window_ready(app)
    create_circle(host, "Tuesday Evening", "Quiet Heron", rules="Phones away while someone shares.")
    invite = open_invite(host)
    code = show_spoken_code(host, invite)

    guest.call("key", keys="Ctrl+J")
    guest.call("set_text", name=FIELD, text=code, within=JOIN)
    guest.call("click", name="Continue", within=JOIN)
    note = guest.wait_widget("About the rules", limit=45, within=JOIN)
    assert "before you take part" in note["text"]
    assert not guest.exists("I have read the rules and will follow them", within=JOIN)
    guest.screenshot(tmp_path / "join-rules-pending.png", name=JOIN)
    guest.call("set_text", name="Your name in this circle", text="Amber Fox", within=JOIN)
    guest.call("click", name="Join", within=JOIN)
    let_in(host, invite, "Amber Fox", guest)
    joined(guest)
    assert "Phones away" in accept_rules(guest, containing="Phones away")
