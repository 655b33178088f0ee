"""Writes ``written-by-sqlcipher3-binary.db``, the fixture of tests/storage/test_driver_compat.py.

Provenance: run once with ``sqlcipher3-binary==0.6.0`` (SQLCipher 4.12.0 community, SQLite
3.51.1, Linux x86_64), the driver Hearth used before it moved to ``sqlcipher3``:

    python tests/data/sqlcipher/make_fixture.py tests/data/sqlcipher/written-by-sqlcipher3-binary.db

It opens the file the way Hearth does (messenger.storage.connection.connect_encrypted: raw
32-byte key, SQLCipher 4 defaults, WAL), writes a table of rows that covers text, integers and
blobs, and closes (checkpointing the WAL into the file). Not run by the tests.
"""

from __future__ import annotations

import sys
from pathlib import Path

from messenger.storage.connection import connect_encrypted

#: The raw database key of the fixture (a test key, nothing else uses it).
KEY = bytes(range(32))
ROWS = [(i, f"Árbol {i} — 🌳", bytes([i]) * i) for i in range(1, 51)]


def main(path: Path) -> None:
    if path.exists():
        raise SystemExit(f"{path} exists")
    conn = connect_encrypted(path, bytearray(KEY))
    conn.execute("CREATE TABLE posts (id INTEGER PRIMARY KEY, body TEXT NOT NULL, blob BLOB)")
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO posts VALUES (?, ?, ?)", ROWS)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
