"""A database written by the old driver (``sqlcipher3-binary``) opens with ``sqlcipher3``.

Hearth moved from ``sqlcipher3-binary`` (Linux x86_64 wheels only) to ``sqlcipher3`` (wheels for
Windows, macOS and Linux on x86_64 and aarch64). Profiles made before the move must open
unchanged: ``tests/data/sqlcipher/written-by-sqlcipher3-binary.db`` was written by
``sqlcipher3-binary`` 0.6.0 (SQLCipher 4.12.0) through Hearth's own ``connect_encrypted`` with
the raw key below (how: ``tests/data/sqlcipher/make_fixture.py``). The reverse direction (a file
written by ``sqlcipher3`` read by ``sqlcipher3-binary``) was checked by hand when switching;
packaging/README.md records it.
"""

from __future__ import annotations

import importlib.metadata
import shutil
from pathlib import Path

import pytest

from messenger.storage import ProfileCorrupt
from messenger.storage.connection import connect_encrypted

FIXTURE = Path(__file__).parents[1] / "data" / "sqlcipher" / "written-by-sqlcipher3-binary.db"
KEY = bytes(range(32))  # the fixture's raw key (make_fixture.KEY)
ROWS = [(i, f"Árbol {i} — 🌳", bytes([i]) * i) for i in range(1, 51)]


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    copy = tmp_path / "old.db"
    shutil.copyfile(FIXTURE, copy)
    return copy


def test_the_installed_driver_is_sqlcipher3() -> None:
    assert importlib.metadata.version("sqlcipher3")
    with pytest.raises(importlib.metadata.PackageNotFoundError):
        importlib.metadata.version("sqlcipher3-binary")


def test_a_database_written_by_sqlcipher3_binary_opens_and_takes_writes(old_db: Path) -> None:
    conn = connect_encrypted(old_db, bytearray(KEY))
    try:
        assert conn.execute("SELECT id, body, blob FROM posts ORDER BY id").fetchall() == ROWS
        assert conn.execute("PRAGMA cipher_integrity_check").fetchall() == []
        conn.execute("INSERT INTO posts VALUES (51, 'written by sqlcipher3', NULL)")
    finally:
        conn.close()
    again = connect_encrypted(old_db, bytearray(KEY))
    try:
        assert again.execute("SELECT count(*) FROM posts").fetchone()[0] == 51
    finally:
        again.close()


def test_the_old_database_with_another_key_is_refused_as_foreign(old_db: Path) -> None:
    with pytest.raises(ProfileCorrupt):
        connect_encrypted(old_db, bytearray(32))
