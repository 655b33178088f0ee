"""What the OS should know about a profile folder: owner-only on Windows, no backups on macOS.

- Windows: a folder's files inherit its ACL, which in the user's profile lets SYSTEM and the
  Administrators read them. A profile folder Hearth creates gets an ACL with one entry, full
  control for the user, inherited by everything in it (``icacls /inheritance:r /grant:r``).
- macOS: Time Machine would keep copies of the encrypted database and of every key file ever
  written, which a wipe cannot reach. The folder is excluded (``tmutil addexclusion``: the sticky
  ``com.apple.metadata:com_apple_backup_excludeItem`` attribute, which needs no administrator).

Both are best effort: a failure is logged and the profile still works (its files are 0600 and
its database encrypted either way). ``run`` is the seam the tests use on other systems.
"""

from __future__ import annotations

import getpass
import logging
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

log = logging.getLogger(__name__)

Runner = Callable[[Sequence[str]], int]
TIMEOUT = 20.0


def _run(command: Sequence[str]) -> int:
    done = subprocess.run(list(command), capture_output=True, timeout=TIMEOUT, check=False)
    return done.returncode


def windows_user() -> str:
    """DOMAIN\\user of the signed-in user (what icacls grants to)."""
    user = os.environ.get("USERNAME") or getpass.getuser()
    domain = os.environ.get("USERDOMAIN")
    return f"{domain}\\{user}" if domain else user


def owner_only_command(folder: Path, user: str) -> list[str]:
    return ["icacls", str(folder), "/inheritance:r", "/grant:r", f"{user}:(OI)(CI)F", "/Q"]


def no_backup_command(folder: Path) -> list[str]:
    return ["tmutil", "addexclusion", str(folder)]


def protect_profile_dir(
    folder: Path, *, created: bool, platform: str = sys.platform, run: Runner = _run
) -> list[str]:
    """Apply what this OS offers to a profile folder; returns the names of what was applied.

    The owner-only ACL only goes on a folder Hearth ``created`` (one the user chose keeps its
    permissions, as on POSIX); the backup exclusion goes on the profile folder either way.
    """
    applied: list[str] = []
    commands: list[tuple[str, list[str]]] = []
    if platform == "win32" and created:
        commands.append(("owner-only ACL", owner_only_command(folder, windows_user())))
    if platform == "darwin":
        commands.append(("Time Machine exclusion", no_backup_command(folder)))
    for name, command in commands:
        try:
            code = run(command)
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("profile folder: %s not applied (%s)", name, exc)
            continue
        if code == 0:
            applied.append(name)
        else:
            log.warning("profile folder: %s not applied (%s exited %d)", name, command[0], code)
    return applied
