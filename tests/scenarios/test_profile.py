"""Issue 15 item 12 around the profile: the window opens as large as it was left, and the
unlock dialog offers "start a new profile" (a forgotten passphrase cannot be recovered)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.netlab import Netlab
from tests.scenarios.conftest import StartApp
from tests.scenarios.flows import first_run, main_window_ready, quit_app, unlock

pytestmark = [pytest.mark.gui, pytest.mark.netns, pytest.mark.timeout(150)]

UNLOCK = "Unlock your profile"


def test_window_geometry_is_remembered(lab: Netlab, start_app: StartApp, tmp_path: Path) -> None:
    (host,) = lab.lan(1)
    args = ["--profile", str(tmp_path / "profile"), "--interface", host.address()]
    app = start_app("first", args, host)
    first_run(app, "Quiet Heron")
    app.call("resize", name="Hearth", cls="MainWindow", size=[900, 620])
    assert quit_app(app) == 0

    again = start_app("again", args, host)
    unlock(again)
    main_window_ready(again)
    assert again.call("read", name="Hearth", cls="MainWindow")["size"] == [900, 620]


def test_unlock_offers_a_new_profile(lab: Netlab, start_app: StartApp, tmp_path: Path) -> None:
    (host,) = lab.lan(1)
    profile = tmp_path / "profile"
    args = ["--profile", str(profile), "--interface", host.address()]
    app = start_app("first", args, host)
    first_run(app, "Quiet Heron")
    assert quit_app(app) == 0
    old_key = (profile / "key").read_bytes()

    forgot = start_app("forgot", args, host)
    forgot.wait_widget("Start a new profile, wiping this one", within=UNLOCK)
    forgot.call("click", name="Start a new profile, wiping this one", within=UNLOCK)
    ask = "Start a new profile?"
    confirm = forgot.wait_widget("Wipe the locked profile and start a new one", within=ask)
    forgot.screenshot(tmp_path / "unlock-new-profile.png", name=ask)
    assert confirm["enabled"]
    forgot.call("click", name="Wipe the locked profile and start a new one", within=ask)
    first_run(forgot, "Still Lake", passphrase="a brand new passphrase")
    assert (profile / "key").read_bytes() != old_key
    assert quit_app(forgot) == 0

    again = start_app("again", args, host)
    unlock(again, "a brand new passphrase")
    main_window_ready(again)
