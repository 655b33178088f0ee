"""Issue 15 item 8: an unread badge never sits on the conversation being read, even when the
core's count comes back with a presence change."""

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
    quit_app,
    send_message,
)

pytestmark = [pytest.mark.gui, pytest.mark.netns, pytest.mark.timeout(150)]


def test_no_badge_on_the_open_circle(lab: Netlab, start_app: StartApp, tmp_path: Path) -> None:
    h1, h2 = lab.lan(2)
    host = start_app("host", ["--ephemeral", "--interface", h1.address()], h1)
    guest = start_app("guest", ["--ephemeral", "--interface", h2.address()], h2)
    for app in (host, guest):
        main_window_ready(app)
    circle_with_guests(host, [(guest, "Amber Fox")])
    accept_rules(guest)
    send_message(guest, "Good evening, everyone.")
    host.wait(lambda: "Good evening, everyone." in messages(host), "the post", 60)

    assert quit_app(guest) == 0  # the host's header (and the core's count) change
    host.wait(
        lambda: host.text("ConversationSubtitle").startswith("only you here"), "the leave", 60
    )
    spoken = host.call("read", name="Circles")["spoken"]
    assert spoken and all("unread" not in row for row in spoken), spoken
