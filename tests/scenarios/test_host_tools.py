"""Issue 15 item 10: the host's tools in the window (appoint a co-moderator, edit the rules,
slow mode, close the circle) and changing my own name in a circle, seen from the other side.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.netlab import Netlab
from tests.scenarios.conftest import StartApp
from tests.scenarios.flows import (
    accept_rules,
    circle_with_guests,
    main_window_ready,
    open_panel_member,
    send_message,
)
from tests.scenarios.harness import DrivenApp

pytestmark = [pytest.mark.gui, pytest.mark.netns, pytest.mark.timeout(180)]

NEW_RULES = "Speak from your own experience.\nPhones away while someone shares."


def _settings(app: DrivenApp, circle: str = "Tuesday Evening") -> str:
    if not app.exists("Circle settings and my name here"):
        app.call("click", name="Show the circle's rules and members")
    app.call("click", name="Circle settings and my name here")
    title = f"Settings of {circle}"
    app.wait_widget("Save the circle settings", within=title)
    return title


def test_host_tools_reach_the_members(lab: Netlab, start_app: StartApp, tmp_path: Path) -> None:
    h1, h2 = lab.lan(2)
    host = start_app("host", ["--ephemeral", "--interface", h1.address()], h1)
    guest = start_app("guest", ["--ephemeral", "--interface", h2.address()], h2)
    for app in (host, guest):
        main_window_ready(app)
    circle_with_guests(host, [(guest, "Amber Fox")])
    accept_rules(guest)  # the rules as they were when the guest joined

    # Appoint: the guest's header says they moderate now.
    open_panel_member(host, "Amber Fox")
    # Item 12: nothing in the panel is cut off or squeezed, at the window's default size and
    # at its minimum size (the panel scrolls up and down; nothing is cut at the side).
    buttons = (
        "Send a direct message to this member",
        "Make this member a co-moderator",
        "Remove this member from the circle",
        "Block this member",
    )

    def whole(button: str) -> bool:
        host.call("reveal", name=button)
        seen = host.call("read", name=button)
        return bool(seen["shown"][0] == seen["size"][0] >= seen["hint"][0])

    for button in buttons:
        assert whole(button), host.call("read", name=button)
    host.call("resize", name="Hearth", cls="MainWindow", size=[720, 480])
    host.wait(lambda: host.call("read", name="Hearth", cls="MainWindow")["size"][0] == 720, "720")
    for button in buttons:
        host.wait(lambda b=button: whole(b), f"{button} whole at the minimum size")  # type: ignore[misc]
    host.screenshot(tmp_path / "panel-minimum-size.png", name="Hearth")
    host.call("resize", name="Hearth", cls="MainWindow", size=[1040, 680])
    host.call("click", name="Make this member a co-moderator")
    guest.wait(lambda: "you moderate it" in guest.text("ConversationSubtitle"), "the new role", 60)

    # New rules and slow mode: the guest is asked to accept the new rules.
    title = _settings(host)
    host.call("set_text", name="Rules", text=NEW_RULES, within=title, cls="QPlainTextEdit")
    host.call("set_text", name="Slow mode, seconds between posts", text="60", within=title)
    host.screenshot(tmp_path / "circle-settings-host.png", name=title)
    host.call("click", name="Save the circle settings", within=title)
    guest.wait_widget("The circle's rules", within="The rules of Tuesday Evening")
    guest.screenshot(tmp_path / "rules-changed.png", name="The rules of Tuesday Evening")
    assert "Phones away" in accept_rules(guest, containing="Phones away")

    # End the co-moderator's term: their header says so, and slow mode now holds them too.
    open_panel_member(host, "Amber Fox")
    host.call("click", name="End this member's moderator term")
    guest.wait(
        lambda: "you moderate it" not in guest.text("ConversationSubtitle"), "the term's end", 60
    )
    send_message(guest, "one thought")
    guest.wait(lambda: any("one thought" in r for r in guest.rows("Messages")), "the post")
    send_message(guest, "and another straight away")
    notice = guest.wait_widget("Notice", cls="QLabel")
    assert "Slow mode is on" in notice["text"] and "still in the box" in notice["text"], notice
    guest.screenshot(tmp_path / "slow-mode.png", name="Hearth")
    guest.call("click", name="OK", cls="QPushButton")
    box = guest.call("read", name="Message", cls="QPlainTextEdit")
    assert box["text"] == "and another straight away", box  # nothing lost

    # My name here: the guest renames themselves; the host's lists follow.
    title = _settings(guest)
    guest.call("set_text", name="My name in this circle", text="Amber Lake", within=title)
    guest.call("click", name="Save the circle settings", within=title)
    host.wait(lambda: "Amber Lake" in host.rows("People here"), "the new name", 60)

    # Close the circle: nobody posts any more.
    title = _settings(host)
    host.call("click", name="Close the circle for good", within=title)
    ask = "Close Tuesday Evening for good?"
    host.wait_widget("Close the circle for good, now", within=ask)
    host.call("click", name="Close the circle for good, now", within=ask)
    send_message(host, "Is anyone still here?")
    host.wait(lambda: host.exists("Problem", cls="NoticeDialog") or host.exists("OK"), "refusal")
