"""Issue 15 item 10: "They match: mark as verified" on a safety number is kept by the core and
shown (it was wired to nothing)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.netlab import Netlab
from tests.scenarios.conftest import StartApp
from tests.scenarios.flows import circle_with_guests, main_window_ready, open_panel_member

pytestmark = [pytest.mark.gui, pytest.mark.netns, pytest.mark.timeout(150)]

DIALOG = "Safety number with Quiet Heron"


def test_marking_a_safety_number_verified_is_kept_and_shown(
    lab: Netlab, start_app: StartApp, tmp_path: Path
) -> None:
    h1, h2 = lab.lan(2)
    host = start_app("host", ["--ephemeral", "--interface", h1.address()], h1)
    guest = start_app("guest", ["--ephemeral", "--interface", h2.address()], h2)
    for app in (host, guest):
        main_window_ready(app)
    circle_with_guests(host, [(guest, "Amber Fox")])

    open_panel_member(guest, "Quiet Heron")
    guest.call("click", name="Compare safety numbers with this member")
    number = guest.wait_widget("Safety number", within=DIALOG, cls="QLabel")
    assert number["text"].replace(" ", "").replace("\n", "").isdigit()
    assert not guest.exists("Verified", within=DIALOG)
    guest.call("click", name="The numbers match: mark as verified", within=DIALOG)
    guest.wait(lambda: not guest.exists(DIALOG, cls="SafetyNumberDialog"), "the dialog to close")
    guest.wait(
        lambda: any(
            "Quiet Heron" in row and "verified in person" in row
            for row in guest.call("read", name="Members")["spoken"]
        ),
        "the member list to say verified",
    )

    open_panel_member(guest, "Quiet Heron")
    guest.call("click", name="Compare safety numbers with this member")
    guest.wait_widget("Verified", within=DIALOG)
    assert not guest.exists("The numbers match: mark as verified", within=DIALOG)
    guest.screenshot(tmp_path / "safety-verified.png", name=DIALOG)
