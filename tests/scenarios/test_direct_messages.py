"""Issue 15 items 2 and 9 (the window's side): a direct-message request shows in the
recipient's sidebar with a badge and a count in the title; accepting shows the message.

Two real apps on a namespaced LAN under Xvfb, driven through their widgets: the host creates a
circle, the guest joins by spoken code and writes to the host from "People here".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.netlab import Netlab
from tests.scenarios.conftest import StartApp, start_pair
from tests.scenarios.flows import (
    accept_dm_request,
    accept_rules,
    circle_with_guests,
    first_run,
    main_window_ready,
    messages,
    open_direct_with,
    open_panel_member,
    quit_app,
    send_message,
    unlock,
)

pytestmark = [pytest.mark.gui, pytest.mark.netns, pytest.mark.timeout(180)]


def test_dm_request_shows_and_accepting_reveals_the_message(
    lab: Netlab, start_app: StartApp, tmp_path: Path
) -> None:
    h1, h2 = lab.lan(2)
    host = start_app("host", ["--ephemeral", "--interface", h1.address()], h1)
    guest = start_app("guest", ["--ephemeral", "--interface", h2.address()], h2)
    for app in (host, guest):
        main_window_ready(app)
    circle_with_guests(host, [(guest, "Amber Fox")])
    # Item 8: the header counts the guest as soon as the link is up (it said "only you").
    host.wait(
        lambda: host.text("ConversationSubtitle").startswith("2 people here"),
        "the header to count the guest",
    )
    # Item 12: at the window's minimum size the header wraps instead of being cut off.
    host.call("resize", name="Hearth", cls="MainWindow", size=[720, 480])
    host.wait(
        lambda: (r := host.call("read", name="ConversationSubtitle"))["size"][1] >= r["needs"],
        "the header to wrap",
    )
    header = host.call("read", name="ConversationSubtitle")
    assert header["shown"] == header["size"], header
    assert header["wraps"] or header["size"][0] >= header["hint"][0], header  # not cut off
    host.call("resize", name="Hearth", cls="MainWindow", size=[1040, 680])

    # The guest opens a conversation with the host from "People here" and writes.
    open_direct_with(guest, "Quiet Heron")
    send_message(guest, "Could we talk after the meeting?")

    # The host sees a request with a badge, and a count in the window title.
    host.wait(
        lambda: "Amber Fox asks to talk" in host.rows("Direct messages"), "the request row", 60
    )
    assert host.call("read", name="Hearth", cls="MainWindow")["title"] == "Hearth (1)"
    host.screenshot(tmp_path / "dm-request-sidebar.png", name="Hearth")
    assert "Could we talk after the meeting?" not in messages(host)

    host.call("select", name="Direct messages", row="Amber Fox asks to talk")
    dialog = "Amber Fox asks to talk privately"
    host.wait_widget("Accept Amber Fox's request", within=dialog)
    host.screenshot(tmp_path / "dm-request-dialog.png", name=dialog)
    host.call("click", name="Accept Amber Fox's request", within=dialog)

    host.wait(
        lambda: "Could we talk after the meeting?" in messages(host), "the waiting message", 30
    )
    assert host.rows("Direct messages") == ["Amber Fox"]
    host.screenshot(tmp_path / "dm-accepted.png", name="Hearth")


def test_the_direct_message_list_survives_a_restart(
    lab: Netlab, start_app: StartApp, tmp_path: Path
) -> None:
    h1, h2 = lab.lan(2)
    args = ["--profile", str(tmp_path / "host-profile"), "--interface", h1.address()]
    host = start_app("host", args, h1)
    first_run(host, "Quiet Heron")
    guest = start_app("guest", ["--ephemeral", "--interface", h2.address()], h2)
    main_window_ready(guest)
    circle_with_guests(host, [(guest, "Amber Fox")])
    open_direct_with(guest, "Quiet Heron")
    send_message(guest, "Thank you for tonight.")
    host.wait(lambda: "Amber Fox asks to talk" in host.rows("Direct messages"), "the request", 60)
    accept_dm_request(host, "Amber Fox")
    host.wait(lambda: "Thank you for tonight." in messages(host), "the message", 30)
    assert quit_app(host) == 0

    again = start_app("host-again", args, h1)
    unlock(again)
    main_window_ready(again)
    again.wait(lambda: "Amber Fox" in again.rows("Direct messages"), "the kept conversation")
    again.call("select", name="Direct messages", row="Amber Fox")
    again.wait(lambda: "Thank you for tonight." in messages(again), "the kept message", 30)


def test_a_private_message_after_block_and_unblock_arrives(
    lab: Netlab, start_app: StartApp, tmp_path: Path
) -> None:
    """Issue 15 item 2: a message sent after the recipient blocked and unblocked the sender was
    lost for good while the sender's screen said Delivered; now it arrives, as a request."""
    host, guest = start_pair(lab, start_app)
    circle_with_guests(host, [(guest, "Amber Fox")])
    accept_rules(guest)
    open_direct_with(guest, "Quiet Heron")
    send_message(guest, "Are you around tonight?")
    host.wait(lambda: "Amber Fox asks to talk" in host.rows("Direct messages"), "the request", 60)
    accept_dm_request(host, "Amber Fox")
    host.wait(lambda: "Are you around tonight?" in messages(host), "the first message", 30)

    # The host blocks Amber, then thinks better of it.
    host.call("select", name="Circles", row="Tuesday Evening")
    host.wait(lambda: host.text("ConversationTitle") == "Tuesday Evening", "the circle open")
    open_panel_member(host, "Amber Fox")
    host.call("click", name="Block this member")
    host.call("click", name="Block Amber Fox", within="Block Amber Fox?")
    host.wait_widget("Unblock this member")
    host.call("click", name="Unblock this member")
    host.wait_widget("Block this member")

    # After a block the conversation asks again: what Amber writes now waits as a request
    # (nothing shows without the host's yes), and accepting shows it: nothing is lost.
    send_message(guest, "Sorry, I wrote too much earlier.")
    host.wait(lambda: "Amber Fox asks to talk" in host.rows("Direct messages"), "asked again", 60)
    accept_dm_request(host, "Amber Fox")
    host.wait(lambda: "Sorry, I wrote too much earlier." in messages(host), "the message after", 60)
    assert "Are you around tonight?" in messages(host)  # the earlier one is still there
    host.screenshot(tmp_path / "after-unblock.png", name="Hearth")
