"""POSIX-only assertions: file mode bits and signals, which Windows does not have.

Off POSIX a test that is about them skips with this reason; a test that only checks a mode on
the way checks it through :func:`assert_mode`, which skips the check (not the test) there. The
owner-only ACL Windows gets instead is tested in tests/storage/test_protect.py.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

POSIX = os.name == "posix"
REASON = "POSIX only: Windows has no mode bits or POSIX signals (owner-only ACLs there instead)"
posix_only = pytest.mark.skipif(not POSIX, reason=REASON)


def assert_mode(path: Path, expected: int) -> None:
    """``path`` has permission bits ``expected`` (on POSIX; nothing to check elsewhere)."""
    if POSIX:
        assert stat.S_IMODE(path.stat().st_mode) == expected, path
