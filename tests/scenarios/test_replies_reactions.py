"""Issue 15 item 7: two real apps reply, react, delete for everyone and search through their
widgets (keys on the message list, the composer's reply bar, the confirmation, the search field).
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
    messages,
    send_message,
)
from tests.scenarios.harness import DrivenApp

pytestmark = [pytest.mark.gui, pytest.mark.netns, pytest.mark.timeout(240)]

LAMP = "The lighthouse lamp stayed lit all night."


def spoken(app: DrivenApp) -> list[str]:
    """What a screen reader says for each message row."""
    return list(app.call("read", name="Messages")["spoken"])


def said(app: DrivenApp, *parts: str) -> bool:
    return any(all(p in row for p in parts) for row in spoken(app))


def on_post(app: DrivenApp, text: str, keys: str) -> None:
    """Select the message containing ``text`` (a click) and press ``keys`` on the list."""
    app.call("select", name="Messages", row=text)
    app.call("key", name="Messages", keys=keys)


def test_reply_react_delete_and_search(lab: Netlab, start_app: StartApp, tmp_path: Path) -> None:
    h1, h2 = lab.lan(2)
    host = start_app("host", ["--ephemeral", "--interface", h1.address()], h1)
    guest = start_app("guest", ["--ephemeral", "--interface", h2.address()], h2)
    for app in (host, guest):
        main_window_ready(app)
    circle_with_guests(host, [(guest, "Amber Fox")])
    accept_rules(guest)
    send_message(guest, LAMP)
    host.wait(lambda: LAMP in messages(host), "the post", 60)

    # Reply: R on the post; the composer shows what it answers; the quote travels.
    on_post(host, LAMP, "R")
    bar = host.wait_widget("Replying to")
    assert "Amber Fox" in bar["text"] and "lighthouse" in bar["text"]
    send_message(host, "Thank you for telling us.")
    guest.wait(
        lambda: said(guest, "Thank you for telling us.", "in reply to Amber Fox: " + LAMP),
        "the reply with its quote",
        60,
    )
    assert not host.exists("Replying to")  # sent: the bar goes

    # React: 1 is "I hear you"; each member once, counted on both screens.
    on_post(host, LAMP, "1")
    guest.wait(lambda: said(guest, LAMP, "I hear you: 1"), "the host's reaction", 60)
    on_post(guest, LAMP, "1")
    host.wait(lambda: said(host, LAMP, "I hear you: 2"), "both reactions", 60)
    host.screenshot(tmp_path / "reactions.png", name="Hearth")

    # Search finds the post; choosing the result shows it.
    host.call("set_text", name="Search this circle", text="lighthouse")
    host.wait(lambda: any(LAMP in r for r in host.rows("Search results")), "a result", 30)
    host.call("select", name="Search results", row="lighthouse", double=True)

    # Delete for everyone: only the author may (Delete does nothing on someone else's post).
    on_post(host, LAMP, "Delete")
    assert not host.exists("Delete the post for everyone")
    on_post(guest, LAMP, "Delete")
    ask = "Delete for everyone?"
    assert guest.wait_widget("Cancel", within=ask)["enabled"]
    guest.call("click", name="Delete the post for everyone", within=ask)
    host.wait(lambda: "This post was deleted." in messages(host), "the deletion", 60)
    assert LAMP not in " ".join(messages(host)) and LAMP not in " ".join(messages(guest))
    host.wait(
        lambda: said(host, "Thank you for telling us.", "a post that was deleted"),
        "the quote says deleted",
    )
    host.call("set_text", name="Search this circle", text="")
    host.call("set_text", name="Search this circle", text="lighthouse")
    host.wait(lambda: "No posts here" in host.text("SearchSummary"), "nothing found", 30)
    host.screenshot(tmp_path / "deleted.png", name="Hearth")
