"""Issue 15 item 3 (the window's side): after the host removes a member, neither "People here"
nor the circle's member list shows them any more (they stayed listed as present), while the
member who stays is still there and the two go on talking; the removed person reads a calm
explanation in a circle that stays readable, cannot write, is told plainly why the old link no
longer works, and can leave the circle."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.netlab import Netlab
from tests.scenarios.conftest import StartApp
from tests.scenarios.flows import (
    accept_rules,
    circle_with_guests,
    join,
    main_window_ready,
    messages,
    open_invite,
    open_panel_member,
    send_message,
)

pytestmark = [pytest.mark.gui, pytest.mark.netns, pytest.mark.timeout(180)]


def test_a_removed_member_leaves_people_here(
    lab: Netlab, start_app: StartApp, tmp_path: Path
) -> None:
    h1, h2, h3 = lab.lan(3)
    host = start_app("host", ["--ephemeral", "--interface", h1.address()], h1)
    amber = start_app("amber", ["--ephemeral", "--interface", h2.address()], h2)
    still = start_app("still", ["--ephemeral", "--interface", h3.address()], h3)
    for app in (host, amber, still):
        main_window_ready(app)
    circle_with_guests(host, [(amber, "Amber Fox"), (still, "Still Lake")])
    for guest in (amber, still):
        accept_rules(guest)
    host.wait(lambda: {"Amber Fox", "Still Lake"} <= set(host.rows("People here")), "both here", 60)
    invite = open_invite(host)  # the link everyone was given, which Still Lake will try later
    old_link = host.text("Invite link", within=invite)
    host.call("click", name="Done", within=invite)

    open_panel_member(host, "Still Lake")
    host.call("click", name="Remove this member from the circle")
    ask = "Remove Still Lake?"
    confirm = host.wait_widget("Remove the member", within=ask)
    assert confirm["enabled"]
    assert host.call("read", name="Cancel", within=ask)["text"] == "Cancel"
    host.call("click", name="Remove the member", within=ask)

    host.wait(lambda: "Still Lake" not in host.rows("People here"), "the removal", 60)
    members = host.rows("Members")
    assert "Still Lake" not in " ".join(members) and any("Amber Fox" in m for m in members)
    host.screenshot(tmp_path / "after-removal.png", name="Hearth")
    # The member who stays is still here, and the two go on talking.
    host.wait(lambda: "Amber Fox" in host.rows("People here"), "Amber Fox still here", 30)
    send_message(host, "Still with us, Amber?")
    amber.wait(lambda: "Still with us, Amber?" in messages(amber), "the host's post", 60)
    send_message(amber, "Yes, still here.")
    host.wait(lambda: "Yes, still here." in messages(host), "Amber's answer", 60)

    # The removed person is told calmly, can still read, and can no longer write.
    note = still.wait_widget("You were removed from this circle", limit=60)
    assert "removed you from Tuesday Evening" in note["text"] and note["size"][1] >= note["needs"]
    composer = still.call("read", name="Message", cls="QPlainTextEdit")
    assert not composer["enabled"] and "removed" in composer["placeholder"]
    still.screenshot(tmp_path / "removed.png", name="Hearth")
    assert "Still with us, Amber?" not in messages(still)

    # The old link says plainly why it no longer works.
    join(still, old_link, "Still Lake")
    problem = still.wait(
        lambda: (
            still.exists("Problem", within="Join a circle")
            and still.text("Problem", within="Join a circle")
        ),
        "the join dialog's answer",
        60,
    )
    assert "You were removed from this circle" in problem, problem
    still.screenshot(tmp_path / "old-link.png", name="Join a circle")
    still.call("click", name="Cancel", within="Join a circle")
    still.wait(lambda: not still.exists("Join a circle", cls="QDialog"), "the dialog to close")

    # The removed person leaves the circle: it goes from the list.
    still.call("click", name="Show the circle's rules and members")
    still.call("click", name="Leave this circle")
    leave = "Leave Tuesday Evening?"
    still.wait_widget("Leave circle", within=leave)
    still.call("click", name="Leave circle", within=leave)
    still.wait(lambda: "Tuesday Evening" not in still.rows("Circles"), "the circle to go")
