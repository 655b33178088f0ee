"""The server's long-term key on disk (only when ``--key-file`` is given): 32 raw bytes, 0600."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from ..noise import KeyPair
from ..noise.primitives import random_private_key
from .errors import KeyFileError

KEY_SIZE = 32


def load_or_create(path: Path) -> tuple[KeyPair, bool]:
    """The key pair in ``path``, created there (mode 0600) if the file does not exist.
    Returns (key pair, created)."""
    try:
        return _load(path), False
    except FileNotFoundError:
        pass
    private = random_private_key()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except FileExistsError:  # created meanwhile by someone else: use theirs
        return _load(path), False
    except OSError as exc:
        raise KeyFileError(f"cannot create the key file: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(private)
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        raise KeyFileError(f"cannot write the key file: {exc.strerror or exc}") from exc
    return KeyPair.from_private(private), True


def _load(path: Path) -> KeyPair:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise KeyFileError(f"cannot read the key file: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise KeyFileError("the key file is not a regular file")
    if sys.platform != "win32" and info.st_mode & 0o077:
        raise KeyFileError(
            f"the key file can be read by other users (mode {stat.S_IMODE(info.st_mode):o}): "
            "chmod 600 it"
        )
    if info.st_size != KEY_SIZE:
        raise KeyFileError(f"the key file must hold exactly {KEY_SIZE} bytes")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KeyFileError(f"cannot read the key file: {exc.strerror or exc}") from exc
    if len(data) != KEY_SIZE:
        raise KeyFileError(f"the key file must hold exactly {KEY_SIZE} bytes")
    return KeyPair.from_private(data)
