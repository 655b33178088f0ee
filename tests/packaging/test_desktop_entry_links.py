"""A hearth:// link clicked on a GLib desktop (GNOME, Xfce, Cinnamon...) reaches the program.

GLib reads the desktop entry the way the desktop does: the entry is installed in a private
XDG data directory, the MIME cache is built by ``update-desktop-database``, and ``gio open``
opens a link. A stand-in ``hearth`` on PATH writes down what it was given. (``TryExec=hearth
%u`` made GLib look for a program named "hearth %u" and drop the whole entry: no handler, no
menu entry; ``desktop-file-validate`` does not catch it.)
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from .helpers import need_tool
from .test_linux_metadata import DESKTOP, desktop_entry

LINK = "hearth://join/agl26vdvmvzwiylzebcx?code=7-amber-lantern"


def test_try_exec_names_the_program_only() -> None:
    assert desktop_entry()["TryExec"] == "hearth"


def test_gio_opens_a_hearth_link_with_the_app(tmp_path: Path) -> None:
    need_tool("gio", "libglib2.0-bin")
    need_tool("update-desktop-database", "desktop-file-utils")
    applications = tmp_path / "data" / "applications"
    applications.mkdir(parents=True)
    (applications / DESKTOP.name).write_bytes(DESKTOP.read_bytes())
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    opened = tmp_path / "opened"
    stand_in = bin_dir / "hearth"
    stand_in.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{opened}"\n', encoding="utf-8")
    stand_in.chmod(0o755)
    subprocess.run(["update-desktop-database", str(applications)], check=True, timeout=30)
    env = {
        "PATH": f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin",
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_DATA_DIRS": str(tmp_path / "none"),  # only our entry, not the machine's
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    mime = subprocess.run(
        ["gio", "mime", "x-scheme-handler/hearth"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert "No default" not in mime.stdout and DESKTOP.name in mime.stdout, mime.stdout
    done = subprocess.run(
        ["gio", "open", LINK], env=env, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    deadline = time.monotonic() + 20  # gio starts the program and returns at once
    while time.monotonic() < deadline:
        if opened.exists() and opened.read_text(encoding="utf-8").endswith("\n"):
            break
        time.sleep(0.05)
    assert opened.read_text(encoding="utf-8").splitlines() == [LINK]
