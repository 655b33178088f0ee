"""Issue 15 item 4 (the window's side): closing the invite dialog does not drop a spoken code
that is still open, nor a newcomer who asks while it is shut."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.netlab import Netlab
from tests.scenarios.conftest import StartApp
from tests.scenarios.flows import (
    create_circle,
    join,
    joined,
    main_window_ready,
    open_invite,
    show_spoken_code,
)

pytestmark = [pytest.mark.gui, pytest.mark.netns, pytest.mark.timeout(150)]


def test_a_code_outlives_its_closed_dialog(
    lab: Netlab, start_app: StartApp, tmp_path: Path
) -> None:
    h1, h2 = lab.lan(2)
    host = start_app("host", ["--ephemeral", "--interface", h1.address()], h1)
    guest = start_app("guest", ["--ephemeral", "--interface", h2.address()], h2)
    for app in (host, guest):
        main_window_ready(app)
    create_circle(host, "Tuesday Evening", "Quiet Heron")
    invite = open_invite(host)
    code = show_spoken_code(host, invite)
    host.call("click", name="Done", within=invite)
    host.wait(lambda: not host.exists(invite, cls="InviteDialog"), "the invite dialog to close")

    join(guest, code, "Amber Fox")  # typed while the host's dialog is shut
    invite = open_invite(host)
    assert host.text("Spoken code", within=invite) == code  # still open, still counting
    assert host.text("Time left for this code", within=invite).startswith("Expires in")
    host.wait_widget("Let Amber Fox in", limit=60, within=invite)
    host.screenshot(tmp_path / "invite-reopened.png", name=invite)
    host.call("click", name="Let Amber Fox in", within=invite)
    joined(guest)
