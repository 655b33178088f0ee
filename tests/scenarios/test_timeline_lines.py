"""Issue 15 item 8 (the rest): a timeline line when someone joins or leaves a circle, and, for
the newcomer, a calm line saying that what is above was said before they came and why it is
there. No line announces the members a newcomer finds already there."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.netlab import Netlab
from tests.scenarios.conftest import StartApp
from tests.scenarios.flows import (
    accept_rules,
    create_circle,
    join,
    joined,
    let_in,
    main_window_ready,
    messages,
    open_invite,
    send_message,
    show_spoken_code,
)

pytestmark = [pytest.mark.gui, pytest.mark.netns, pytest.mark.timeout(240)]

WELCOME = "Welcome, whoever comes next. Take your time."


def test_joins_leaves_and_history_before_i_came(
    lab: Netlab, start_app: StartApp, tmp_path: Path
) -> None:
    h1, h2 = lab.lan(2)
    host = start_app("host", ["--ephemeral", "--interface", h1.address()], h1)
    guest = start_app("guest", ["--ephemeral", "--interface", h2.address()], h2)
    for app in (host, guest):
        main_window_ready(app)
    create_circle(host, "Tuesday Evening", "Quiet Heron")
    send_message(host, WELCOME)
    host.wait(lambda: WELCOME in messages(host), "the welcome", 30)

    invite = open_invite(host)
    code = show_spoken_code(host, invite)
    join(guest, code, "Amber Fox")
    let_in(host, invite, "Amber Fox", guest)
    joined(guest)
    host.call("click", name="Done", within=invite)
    accept_rules(guest)

    host.wait(lambda: "Amber Fox joined the circle" in messages(host), "the join line", 60)
    guest.wait(lambda: WELCOME in messages(guest), "the history", 60)
    rows = guest.wait(
        lambda: (r := messages(guest)) and any(x.startswith("You joined here.") for x in r) and r,
        "the line where I came in",
        30,
    )
    came_in = next(i for i, r in enumerate(rows) if r.startswith("You joined here."))
    assert came_in > rows.index(WELCOME), rows  # below what was said before
    assert "before you came" in rows[came_in] and "30 days" in rows[came_in]
    assert not any("joined the circle" in r for r in rows), rows  # nobody announced to me
    guest.screenshot(tmp_path / "newcomer.png", name="Hearth")

    # Leaving with a goodbye: a line on the host's screen.
    guest.call("click", name="Show the circle's rules and members")
    guest.call("click", name="Leave this circle")
    ask = "Leave Tuesday Evening?"
    guest.call("set_text", name="Goodbye message", text="Thank you all.", within=ask)
    guest.call("click", name="Leave circle", within=ask)
    host.wait(
        lambda: any("Amber Fox left the circle" in r for r in messages(host)), "the leave line", 60
    )
    assert any("Thank you all." in r for r in messages(host) if "left the circle" in r)
    host.screenshot(tmp_path / "host.png", name="Hearth")
