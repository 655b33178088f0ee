"""Free memory for Argon2id's cost, on every OS: the reader of this one runs for real; the
others' parsers and structures are checked here (their calls need their OS)."""

from __future__ import annotations

import ctypes
import sys
from pathlib import Path

from messenger.storage import INTERACTIVE, MODERATE, default_kdf_params, memory


def test_this_machine_says_how_much_memory_is_free() -> None:
    free = memory.available_memory()
    assert free is not None and free > 64 << 20
    assert default_kdf_params() in (MODERATE, INTERACTIVE)


def test_meminfo_is_read_for_mem_available(tmp_path: Path) -> None:
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       16000000 kB\nMemAvailable:    2048000 kB\n")
    assert memory._proc_meminfo(str(meminfo)) == 2048000 * 1024
    meminfo.write_text("MemTotal: 1 kB\n")  # an old kernel without MemAvailable
    assert memory._proc_meminfo(str(meminfo)) is None
    assert memory._proc_meminfo(str(tmp_path / "absent")) is None


def test_windows_memory_status_has_windows_layout() -> None:
    status = memory.MemoryStatusEx
    assert ctypes.sizeof(status) == 64  # what GlobalMemoryStatusEx checks in dwLength
    assert status.ullAvailPhys.offset == 16


def test_sysctl_is_only_answered_where_it_exists() -> None:
    if sys.platform == "darwin":
        assert (memory.sysctl_int("hw.pagesize") or 0) >= 4096
    elif sys.platform.startswith("linux"):
        assert memory.sysctl_int("hw.pagesize") is None  # glibc has no sysctlbyname
    assert memory.sysctl_int("no.such.sysctl") is None
