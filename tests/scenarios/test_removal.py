"""Issue 15 item 3 (the window's side): after the host removes a member, neither "People here"
nor the circle's member list shows them any more (they stayed listed as present); the removed
person reads a calm explanation in a circle that stays readable, and cannot write."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.netlab import Netlab
from tests.scenarios.conftest import StartApp
from tests.scenarios.flows import circle_with_guests, main_window_ready, open_panel_member

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
    host.wait(lambda: {"Amber Fox", "Still Lake"} <= set(host.rows("People here")), "both here", 60)

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

    # The removed person is told calmly, can still read, and can no longer write.
    note = still.wait_widget("You were removed from this circle", limit=60)
    assert "removed you from Tuesday Evening" in note["text"] and note["size"][1] >= note["needs"]
    composer = still.call("read", name="Message", cls="QPlainTextEdit")
    assert not composer["enabled"] and "removed" in composer["placeholder"]
    still.screenshot(tmp_path / "removed.png", name="Hearth")
    # That the others keep talking through the secret's rotation is the core's part
    # (tests/headless/test_removal_keeps_links.py on the core's branch).
