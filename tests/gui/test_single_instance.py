"""hearth:// links: the command line, a second launch handing its link to the running Hearth
(real processes, offscreen), macOS URL open events, and the join dialog they open."""

from __future__ import annotations

import asyncio
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from messenger.options import UsageError, parse_args
from tests.posix import POSIX
from ui import single_instance
from ui.dialogs.join import JoinDialog
from ui.main_window import MainWindow

pytestmark = pytest.mark.timeout(90)

LINK = "hearth://join/v1/example-link-for-tests"
HEARTH = [sys.executable, "-m", "ui"]
PROCESS_LIMIT = 30.0  # a hang guard for the child processes, not a speed check


def launch(*args: str, profile: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen(
        [*HEARTH, "--profile", str(profile), "--interface", "127.0.0.1", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_the_command_line_takes_a_link_and_refuses_anything_else() -> None:
    assert parse_args([LINK]).link == LINK
    assert parse_args([]).link is None
    with pytest.raises(UsageError, match="not a hearth:// link"):
        parse_args(["https://example.org/x"])
    with pytest.raises(UsageError, match="/join"):
        parse_args(["--headless", LINK])


def test_socket_names_are_per_profile_and_reveal_nothing(tmp_path: Path) -> None:
    a = single_instance.socket_name(tmp_path / "one")
    assert a == single_instance.socket_name(tmp_path / "one")
    assert a != single_instance.socket_name(tmp_path / "two")
    assert "one" not in a and str(tmp_path) not in a and a.startswith("hearth-")


def test_a_second_launch_hands_its_link_over_and_exits(
    qapp: QApplication, qasync_loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    profile = tmp_path / "profile"
    instance = single_instance.Instance(single_instance.socket_name(profile))
    assert instance.listen()
    if POSIX:  # only this user may connect
        server_file = Path(instance._server.fullServerName())
        assert stat.S_IMODE(server_file.stat().st_mode) & 0o077 == 0

    async def scenario() -> tuple[str, int, str]:
        got: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        instance.linkReceived.connect(lambda link: None if got.done() else got.set_result(link))
        second = launch(LINK, profile=profile)
        link = await asyncio.wait_for(got, PROCESS_LIMIT)
        for _ in range(int(PROCESS_LIMIT / 0.05)):  # bounded: the child exits on its own
            if second.poll() is not None:
                break
            await asyncio.sleep(0.05)
        out, err = second.communicate(timeout=PROCESS_LIMIT)
        return link, second.returncode, err

    try:
        link, code, err = qasync_loop.run_until_complete(scenario())
    finally:
        instance.close()
    assert link == LINK
    assert code == 0, err
    assert not profile.exists()  # it never opened (or locked, or created) the profile
    assert LINK not in err  # the link is a secret: never logged


def test_two_real_apps_on_one_profile_the_second_hands_over(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    first = launch(profile=profile)  # a fresh profile: it waits at its first-run dialog
    try:
        name = single_instance.socket_name(profile)
        deadline = time.monotonic() + PROCESS_LIMIT
        while not _listening(name, tmp_path):
            assert first.poll() is None, first.communicate()[1]
            assert time.monotonic() < deadline, "the first app never listened"
            time.sleep(0.1)
        second = launch(LINK, profile=profile)
        out, err = second.communicate(timeout=PROCESS_LIMIT)
        assert second.returncode == 0, err
        assert "handed over to it" in err
    finally:
        first.terminate()
        _, first_err = first.communicate(timeout=PROCESS_LIMIT)
    assert "handed over a link" in first_err
    assert LINK not in first_err


def _listening(name: str, tmp_path: Path) -> bool:
    """Whether someone answers on ``name`` (asked from a child, not this test's Qt)."""
    probe = (
        "import sys\n"
        "from PySide6.QtNetwork import QLocalSocket\n"
        "s = QLocalSocket(); s.connectToServer(sys.argv[1])\n"
        "sys.exit(0 if s.waitForConnected(500) else 1)\n"
    )
    return subprocess.run([sys.executable, "-c", probe, name], timeout=20).returncode == 0


def test_macos_url_events_and_junk_on_the_socket(qapp: QApplication, tmp_path: Path) -> None:
    instance = single_instance.Instance(single_instance.socket_name(tmp_path / "p"))
    got: list[str] = []
    instance.linkReceived.connect(got.append)
    qapp.installEventFilter(instance)
    try:
        QApplication.sendEvent(qapp, QFileOpenEvent(QUrl(LINK)))
        QApplication.sendEvent(qapp, QFileOpenEvent(QUrl("file:///tmp/a.txt")))  # not ours
    finally:
        qapp.removeEventFilter(instance)
    instance.receive("not a link at all")
    instance.receive("hearth://" + "x" * 5000)  # longer than any link
    instance.receive("")  # a plain second launch: come to the front
    assert got == [LINK, ""]


def test_links_open_the_join_dialog_once_the_app_is_ready(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    router = single_instance.attach(window, None, LINK)  # from the command line, before unlock
    assert window.dialog(JoinDialog) is None  # waits while the unlock dialog may be up
    router.ready()
    dialog = window.dialog(JoinDialog)
    assert isinstance(dialog, JoinDialog) and dialog.input.text() == LINK
    assert window.isVisible()
