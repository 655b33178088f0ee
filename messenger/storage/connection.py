"""Opening a keyed SQLCipher connection and setting it up the one way Hearth uses it.

Settings, and why:
- raw 32-byte key (``PRAGMA key = "x'…'"``): no PBKDF2 at open (``kdf_iter`` is irrelevant with
  a raw key; Argon2id already stretched the passphrase that wraps it). Cipher settings are the
  SQLCipher 4 defaults (AES-256-CBC, HMAC-SHA512 per page, 4096-byte pages): changing them would
  have to be repeated on every open forever, and the benchmark shows they are fast enough.
- ``journal_mode=WAL``: readers never wait for the writer, one fsync per commit.
- ``synchronous=FULL``: in WAL mode NORMAL already survives a killed *process*, but may lose the
  last commits on power loss or an OS crash. A post the user wrote, or a message they were shown
  as sent, must not silently vanish after an acknowledged commit, so we pay one WAL fsync per
  transaction and amortise it by batching bulk work (sync inserts, purges) into one transaction.
- ``secure_delete=ON``: deleted rows are overwritten with zeros inside the (encrypted) pages.
- ``temp_store=MEMORY``: sorts and temporary indices never touch a temp file.
- ``foreign_keys=ON``, ``trusted_schema=OFF``.
- ``cache_size``: 16 MiB of page cache per connection; decrypted pages stay in it, so repeated
  reads of a conversation cost no decryption.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import sqlcipher3

from .errors import DatabaseFailure, ProfileCorrupt
from .keyfile import DB_KEY_LEN

CACHE_KIB = 16 * 1024
MEMORY = ":memory:"


def connect_encrypted(path: Path | str, key: bytearray) -> Any:
    """Open (or create) the SQLCipher database at ``path`` (or ``":memory:"``) with ``key``.

    The caller zeroes ``key`` afterwards; the connection is bound to the calling thread.
    Raises :class:`ProfileCorrupt` when the key does not open the file.
    """
    if len(key) != DB_KEY_LEN:
        raise ValueError("the database key must be 32 bytes")
    try:
        conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=True)
    except sqlcipher3.Error as exc:
        raise DatabaseFailure(f"cannot open the database ({exc})") from None
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError:
            raise ProfileCorrupt(
                "the database cannot be decrypted with this profile's key (damaged or foreign)"
            ) from None
        configure(conn, sqlcipher3, in_memory=str(path) == MEMORY)
    except BaseException:
        conn.close()
        raise
    return conn


def configure(conn: Any, driver: ModuleType, *, in_memory: bool) -> None:
    """Apply Hearth's pragmas to an open connection (SQLCipher's, or stdlib sqlite3's)."""
    try:
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        if not in_memory:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise DatabaseFailure(f"the database refused WAL mode (got {mode})")
            conn.execute("PRAGMA synchronous = FULL")
            if sys.platform == "darwin":  # macOS fsync does not flush the drive's cache
                conn.execute("PRAGMA fullfsync = ON")
                conn.execute("PRAGMA checkpoint_fullfsync = ON")
    except driver.DatabaseError as exc:
        raise DatabaseFailure(f"cannot set up the database ({exc})") from None


def close_quietly(conn: Any) -> None:
    with contextlib.suppress(Exception):
        conn.close()
