"""Small careful file operations: atomic replace, overwrite-then-delete, private directories.

Honest limit: overwriting a file in place asks the file system to put new bytes where the old
ones were. Copy-on-write and journaling file systems and flash translation layers may keep the
old blocks anyway; that is why a wipe destroys the *key* (without which the database is noise)
rather than trusting the overwrite of the data.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
_CHUNK = 1 << 20
_MAX_OVERWRITE = 1 << 20  # a key file is tiny; never overwrite more than this much of anything


def fsync_dir(directory: Path) -> None:
    """Make a rename or unlink in ``directory`` durable (no-op where that is not possible)."""
    if os.name == "nt":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        durable(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def durable(fd: int) -> None:
    """fsync, and on macOS F_FULLFSYNC (its fsync does not reach the platter)."""
    if sys.platform == "darwin":
        import fcntl

        try:
            fcntl.fcntl(fd, fcntl.F_FULLFSYNC)
            return
        except OSError:
            pass
    os.fsync(fd)


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and parents); a directory we create is readable by its owner only.

    An existing directory keeps its permissions (the files in it are 0600 regardless): it may
    be one the user chose, and changing its mode behind their back would be rude.
    """
    if path.is_dir():
        return
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if os.name != "nt":
        os.chmod(path, DIR_MODE)  # mkdir's mode is filtered by the umask


def create_private_file(path: Path) -> None:
    """Create an empty file with owner-only permissions (fails if it exists)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), FILE_MODE)
    os.close(fd)


def write_all(fd: int, data: bytes | bytearray | memoryview) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def temp_name(path: Path) -> Path:
    """A fresh hidden sibling name for a temporary file next to ``path``."""
    return path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")


def write_atomic(path: Path, data: bytes, *, shred_old: bool = False) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves a whole file to open.

    temp file (0600) + write + fsync + rename + fsync of the directory. With ``shred_old`` the
    previous file's bytes are overwritten with random bytes in place *before* the rename, on
    every OS (Windows cannot rename over a file that is still open, so overwriting the old
    inode afterwards is not possible there). A crash between the overwrite and the rename
    leaves a damaged ``path`` beside the whole new temp file: :func:`recover_replaced` puts it
    back.
    """
    tmp = temp_name(path)
    try:
        fd = os.open(
            tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), FILE_MODE
        )
        try:
            write_all(fd, data)
            durable(fd)
        finally:
            os.close(fd)
        if shred_old:
            overwrite(path)
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def leftovers(path: Path) -> list[Path]:
    """Temp files of interrupted :func:`write_atomic` calls for ``path``, newest first."""
    found = list(path.parent.glob(f".{path.name}.*.tmp"))
    return sorted(found, key=lambda p: p.stat().st_mtime_ns, reverse=True)


def recover_replaced(path: Path, candidate: Path) -> None:
    """Finish an interrupted replace: ``candidate`` (a checked leftover) becomes ``path``."""
    os.replace(candidate, path)
    fsync_dir(path.parent)


def overwrite(path: Path) -> bool:
    """Overwrite a small file's bytes in place with random bytes (kept, not deleted)."""
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return False
    try:
        _overwrite_fd(fd)
    finally:
        os.close(fd)
    return True


def _overwrite_fd(fd: int) -> None:
    size = min(os.fstat(fd).st_size, _MAX_OVERWRITE)
    os.lseek(fd, 0, os.SEEK_SET)
    left = size
    while left > 0:
        n = min(left, _CHUNK)
        write_all(fd, secrets.token_bytes(n))
        left -= n
    durable(fd)


def shred(path: Path) -> bool:
    """Overwrite a small file with random bytes, fsync, delete it; False if it was not there."""
    if not overwrite(path):
        return False
    os.unlink(path)
    return True


def remove(path: Path) -> bool:
    """Delete ``path`` if it exists; True if something was deleted."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        return False
    return True
