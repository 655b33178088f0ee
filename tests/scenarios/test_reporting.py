"""Issue 15 item 11: before a report about the circle's only moderator reaches that very
moderator, the reporter is told so (with the ways out: block, leave, help elsewhere)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.netlab import Netlab
from tests.scenarios.conftest import StartApp
from tests.scenarios.flows import circle_with_guests, main_window_ready, open_panel_member

pytestmark = [pytest.mark.gui, pytest.mark.netns, pytest.mark.timeout(150)]


def test_reporting_the_only_moderator_warns_first(
    lab: Netlab, start_app: StartApp, tmp_path: Path
) -> None:
    h1, h2 = lab.lan(2)
    host = start_app("host", ["--ephemeral", "--interface", h1.address()], h1)
    guest = start_app("guest", ["--ephemeral", "--interface", h2.address()], h2)
    for app in (host, guest):
        main_window_ready(app)
    circle_with_guests(host, [(guest, "Amber Fox")])

    open_panel_member(guest, "Quiet Heron")
    guest.call("click", name="Report this member to the moderators")
    within = "Report Quiet Heron"
    warning = guest.wait_widget("Warning: the only moderator", within=within)
    assert "only moderator" in warning["text"]
    assert guest.text("Send report", within=within) == "Send it to them anyway"
    guest.screenshot(tmp_path / "report-only-moderator.png", name=within)
    guest.call("key", keys="Escape")

    # A report about a member (not a moderator) carries no such warning.
    open_panel_member(host, "Amber Fox")
    host.call("click", name="Report this member to the moderators")
    host.wait_widget("Send report", within="Report Amber Fox")
    assert not host.exists("Warning: the only moderator")
