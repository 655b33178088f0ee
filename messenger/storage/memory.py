"""How much memory is free right now, on every OS (for choosing Argon2id's memory cost).

- Linux: ``MemAvailable`` in ``/proc/meminfo`` (free plus reclaimable cache), else
  ``os.sysconf("SC_AVPHYS_PAGES")``.
- macOS and the BSDs: ``sysctlbyname`` through ctypes: free plus inactive (reclaimable) and
  speculative pages (``vm.page_free_count`` and friends) times ``hw.pagesize``.
- Windows: ``GlobalMemoryStatusEx``'s ``ullAvailPhys`` through ctypes.

Each reader returns None when it cannot tell; no extra package is needed (psutil would do the
same three calls).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys


def available_memory() -> int | None:
    """Bytes of memory available right now, if the platform says (None if unknown)."""
    if sys.platform == "win32":
        return _windows()
    if sys.platform == "darwin" or "bsd" in sys.platform:
        return _sysctl_available()
    return _proc_meminfo() or _sysconf()


def _proc_meminfo(path: str = "/proc/meminfo") -> int | None:
    try:
        with open(path, encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _sysconf() -> int | None:
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):
        return None


def sysctl_int(name: str) -> int | None:
    """An integer sysctl by name (macOS, BSD), or None."""
    path = ctypes.util.find_library("c")
    if path is None:
        return None
    try:
        libc = ctypes.CDLL(path, use_errno=True)
        value = ctypes.c_uint64(0)
        size = ctypes.c_size_t(ctypes.sizeof(value))
        if libc.sysctlbyname(name.encode(), ctypes.byref(value), ctypes.byref(size), None, 0):
            return None
    except (OSError, AttributeError):
        return None
    # A 32-bit sysctl fills the low half (little-endian on every Mac Hearth runs on).
    return int(value.value if size.value == 8 else value.value & 0xFFFFFFFF)


#: macOS counters of pages that can be handed out without swapping.
RECLAIMABLE_PAGES = ("vm.page_free_count", "vm.page_inactive_count", "vm.page_speculative_count")


def _sysctl_available() -> int | None:
    page = sysctl_int("hw.pagesize")
    counts = [sysctl_int(name) for name in RECLAIMABLE_PAGES]
    if page is None or counts[0] is None:
        return _sysconf()
    return page * sum(count or 0 for count in counts)


class MemoryStatusEx(ctypes.Structure):
    """Windows' MEMORYSTATUSEX (sysinfoapi.h)."""

    _fields_ = [
        ("dwLength", ctypes.c_uint32),
        ("dwMemoryLoad", ctypes.c_uint32),
        ("ullTotalPhys", ctypes.c_uint64),
        ("ullAvailPhys", ctypes.c_uint64),
        ("ullTotalPageFile", ctypes.c_uint64),
        ("ullAvailPageFile", ctypes.c_uint64),
        ("ullTotalVirtual", ctypes.c_uint64),
        ("ullAvailVirtual", ctypes.c_uint64),
        ("ullAvailExtendedVirtual", ctypes.c_uint64),
    ]


def _windows() -> int | None:
    status = MemoryStatusEx()
    status.dwLength = ctypes.sizeof(MemoryStatusEx)
    try:
        kernel32 = ctypes.WinDLL("kernel32")  # type: ignore[attr-defined,unused-ignore]
        if not kernel32.GlobalMemoryStatusEx(ctypes.byref(status)):
            return None
    except (OSError, AttributeError):
        return None
    return int(status.ullAvailPhys)
