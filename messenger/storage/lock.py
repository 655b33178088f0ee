"""One process at a time per profile: an exclusive, non-blocking lock on ``<profile>/lock``.

POSIX ``flock`` locks an open file description, so a second open in the *same* process is
refused too, and the kernel drops the lock when the holder dies (even by SIGKILL). On Windows
``msvcrt.locking`` on the first byte gives the same exclusivity.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from .errors import ProfileLocked, StorageError
from .files import FILE_MODE

if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class ProfileLock:
    """An exclusive hold on a profile directory; release it with :meth:`release`."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, path: Path) -> ProfileLock:
        """Lock ``path`` (created 0600 if absent) or raise :class:`ProfileLocked` at once."""
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), FILE_MODE)
        except OSError as exc:
            raise StorageError(f"cannot open the profile's lock file ({exc.strerror})") from None
        if not _try_lock(fd):
            os.close(fd)
            raise ProfileLocked("this profile is already open (in this or another program)")
        return cls(path, fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self, *, unlink: bool = False) -> None:
        """Let go of the lock; with ``unlink`` delete the lock file first (while still held)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        unlink_after = False
        try:
            if unlink:
                try:
                    os.unlink(self.path)
                except FileNotFoundError:
                    pass
                except PermissionError:  # Windows will not delete an open file
                    unlink_after = True
            _unlock(fd)
        finally:
            os.close(fd)
        if unlink_after:
            with contextlib.suppress(OSError):
                os.unlink(self.path)

    def __del__(self) -> None:  # a forgotten lock must not outlive its owner object
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
