"""Profile folders: owner-only ACL on Windows, excluded from Time Machine on macOS.

On the OS in question the real command runs (CI's Windows and macOS jobs); elsewhere the
commands are checked through the ``run`` seam."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from messenger.storage import MINIMUM, create_profile
from messenger.storage.protect import protect_profile_dir

from .helpers import PASS


class Recorder:
    def __init__(self, code: int = 0, fail: bool = False) -> None:
        self.commands: list[list[str]] = []
        self.code, self.fail = code, fail

    def __call__(self, command: Sequence[str]) -> int:
        self.commands.append(list(command))
        if self.fail:
            raise FileNotFoundError(command[0])
        return self.code


def test_windows_gets_an_owner_only_acl_on_a_folder_hearth_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("USERNAME", "ada")
    monkeypatch.setenv("USERDOMAIN", "LAPTOP")
    run = Recorder()
    assert protect_profile_dir(tmp_path, created=True, platform="win32", run=run) == [
        "owner-only ACL"
    ]
    [command] = run.commands
    assert command[:2] == ["icacls", str(tmp_path)]
    assert "/inheritance:r" in command  # nothing inherited from the user folder (SYSTEM, Admins)
    assert "LAPTOP\\ada:(OI)(CI)F" in command  # one entry: the user, inherited by every file
    chosen = Recorder()
    assert protect_profile_dir(tmp_path, created=False, platform="win32", run=chosen) == []
    assert chosen.commands == []  # a folder the user chose keeps its permissions


def test_macos_excludes_the_profile_from_time_machine(tmp_path: Path) -> None:
    run = Recorder()
    assert protect_profile_dir(tmp_path, created=False, platform="darwin", run=run) == [
        "Time Machine exclusion"
    ]
    assert run.commands == [["tmutil", "addexclusion", str(tmp_path)]]


def test_failures_are_logged_not_raised(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert protect_profile_dir(tmp_path, created=True, platform="darwin", run=Recorder(1)) == []
    assert (
        protect_profile_dir(tmp_path, created=True, platform="win32", run=Recorder(fail=True)) == []
    )
    assert "not applied" in caplog.text
    assert str(tmp_path) not in caplog.text  # no paths in logs


def test_linux_needs_neither(tmp_path: Path) -> None:
    run = Recorder()
    assert protect_profile_dir(tmp_path, created=True, platform="linux", run=run) == []
    assert run.commands == []


@pytest.mark.skipif(sys.platform != "darwin", reason="Time Machine is macOS only")
def test_a_new_profile_is_excluded_from_time_machine(tmp_path: Path) -> None:
    create_profile(tmp_path / "profile", PASS, kdf=MINIMUM).close()
    done = subprocess.run(
        ["tmutil", "isexcluded", str(tmp_path / "profile")], capture_output=True, text=True
    )
    assert "[Excluded]" in done.stdout


@pytest.mark.skipif(sys.platform != "win32", reason="ACLs are checked with icacls on Windows")
def test_a_new_profile_folder_is_owner_only(tmp_path: Path) -> None:
    create_profile(tmp_path / "profile", PASS, kdf=MINIMUM).close()
    done = subprocess.run(["icacls", str(tmp_path / "profile")], capture_output=True, text=True)
    entries = [line for line in done.stdout.splitlines()[:-2] if ":(" in line]
    assert len(entries) == 1 and "(OI)(CI)(F)" in entries[0]


def test_the_default_profile_is_local_not_roaming(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    from messenger.paths import default_profile_dir

    asked: list[bool] = []
    real: Callable[..., str] = platformdirs.user_data_dir

    def spy(*args: Any, roaming: bool = False, **kw: Any) -> str:
        asked.append(roaming)
        return real(*args, roaming=roaming, **kw)

    monkeypatch.setattr(platformdirs, "user_data_dir", spy)
    assert default_profile_dir().name == "profile"
    assert asked == [False]
    if sys.platform == "win32":
        assert "Roaming" not in default_profile_dir().parts
