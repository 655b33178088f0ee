"""Issue 15 item 6: dialogs grow when something appears instead of squeezing their content.

Real windows under Xvfb: the unlock dialog after a wrong passphrase, and the host's invite
dialog while its spoken code is shown and two newcomers ask to join. Sizes are read from the
real widgets before and after; screenshots of each state land in the test's directory.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.netlab import Netlab
from tests.scenarios.conftest import StartApp
from tests.scenarios.flows import (
    create_circle,
    first_run,
    join,
    main_window_ready,
    open_invite,
    quit_app,
    show_spoken_code,
)
from tests.scenarios.harness import DrivenApp, Reply

pytestmark = [pytest.mark.gui, pytest.mark.netns, pytest.mark.timeout(180)]

UNLOCK = "Unlock your profile"


def _whole(widget: Reply) -> bool:
    """Not squeezed: at least as tall as it asks to be (and as wide, for buttons)."""
    (width, height), (want_w, _) = widget["size"], widget["hint"]
    return bool(height >= widget["needs"] and (widget["cls"] != "QPushButton" or width >= want_w))


def test_wrong_passphrase_does_not_collapse_the_field(
    lab: Netlab, start_app: StartApp, tmp_path: Path
) -> None:
    (host,) = lab.lan(1)
    args = ["--profile", str(tmp_path / "profile"), "--interface", host.address()]
    app = start_app("first", args, host)
    first_run(app, "Quiet Heron")
    assert quit_app(app) == 0

    again = start_app("again", args, host)
    before = again.wait_widget("Passphrase", within=UNLOCK, cls="QLineEdit")
    again.call("type", name="Passphrase", text="not the passphrase", within=UNLOCK)
    again.call("click", name="Unlock", within=UNLOCK)
    again.wait(lambda: again.call("read", name="Problem", within=UNLOCK)["text"], "the error", 60)
    after = again.call("read", name="Passphrase", within=UNLOCK, cls="QLineEdit")
    problem = again.call("read", name="Problem", within=UNLOCK)
    again.screenshot(tmp_path / "unlock-wrong-passphrase.png", name=UNLOCK)
    assert _whole(before) and _whole(after), (before, after)
    assert after["size"][1] == before["size"][1]
    assert _whole(problem), problem


def _guest(start_app: StartApp, host_: object, name: str) -> DrivenApp:
    from tests.netlab import Host

    assert isinstance(host_, Host)
    app = start_app(name, ["--ephemeral", "--interface", host_.address()], host_)
    main_window_ready(app)
    return app


def test_invite_dialog_keeps_the_code_whole_with_two_newcomers(
    lab: Netlab, start_app: StartApp, tmp_path: Path
) -> None:
    h1, h2, h3 = lab.lan(3)
    host = start_app("host", ["--ephemeral", "--interface", h1.address()], h1)
    main_window_ready(host)
    guests = [_guest(start_app, h, name) for h, name in ((h2, "Amber Fox"), (h3, "Still Lake"))]
    create_circle(host, "Tuesday Evening", "Quiet Heron")
    invite = open_invite(host)
    code = show_spoken_code(host, invite)
    alone = host.call("read", name="Spoken code", within=invite)
    host.screenshot(tmp_path / "invite-code.png", name=invite)

    for guest, name in zip(guests, ("Amber Fox", "Still Lake"), strict=True):
        join(guest, code, name)
    for name in ("Amber Fox", "Still Lake"):
        host.wait_widget(f"Let {name} in", limit=60, within=invite)
    host.screenshot(tmp_path / "invite-two-newcomers.png", name=invite)

    shown = host.call("read", name="Spoken code", within=invite)
    assert _whole(alone) and _whole(shown), (alone, shown)
    assert shown["size"][1] == alone["size"][1]
    for name in ("Amber Fox", "Still Lake"):
        for button in (f"Let {name} in", f"Decline {name}"):
            seen = host.call("read", name=button, within=invite)
            assert _whole(seen), seen
