"""Schema versions: a v1 database is migrated (search backfilled), newer ones are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from messenger.storage import (
    MINIMUM,
    DatabaseFailure,
    SchemaTooNew,
    create_profile,
    open_profile,
    schema,
)
from messenger.storage.schema import Migration

from .helpers import CIRCLE, PASS, circle, post


def _v1_profile(path: Path) -> None:
    """A profile whose database stopped at schema 1 (no search), holding a few posts."""
    store = create_profile(path, PASS, kdf=MINIMUM)
    conn = store._db()
    conn.execute("DROP TRIGGER posts_fts_insert")
    conn.execute("DROP TRIGGER posts_fts_delete")
    conn.execute("DROP TRIGGER posts_fts_update")
    conn.execute("DROP TABLE posts_fts")
    store.save_circle(circle())
    store.add_posts([post(1, body="an old lighthouse"), post(2, body="a new harbour")])
    conn.execute("DROP INDEX posts_by_target")  # what migration 5 added
    conn.execute("ALTER TABLE posts DROP COLUMN kind")
    conn.execute("PRAGMA user_version = 1")
    store.close()


def test_a_fresh_database_is_at_the_latest_version(profile_dir: Path) -> None:
    store = create_profile(profile_dir, PASS, kdf=MINIMUM)
    assert store.schema_version() == schema.LATEST == 5
    store.close()


def test_migrations_are_numbered_in_order() -> None:
    versions = [m.version for m in schema.MIGRATIONS]
    assert versions == list(range(1, len(versions) + 1))


def test_v1_database_is_migrated_and_search_backfilled(profile_dir: Path) -> None:
    _v1_profile(profile_dir)
    store = open_profile(profile_dir, PASS)
    try:
        assert store.schema_version() == 5
        assert [p.seq for p in store.search(CIRCLE, "lighthouse")] == [1]
        store.add_post(post(3, body="lighthouse keeper"))  # the triggers are in place
        assert sorted(p.seq for p in store.search(CIRCLE, "lighthouse")) == [1, 3]
        assert store.integrity_problems() == []
    finally:
        store.close()


def test_migrating_from_an_empty_database_step_by_step() -> None:
    import sqlcipher3

    conn = sqlcipher3.connect(":memory:", isolation_level=None)
    assert schema.migrate(conn, upto=1) == 0
    assert schema.user_version(conn) == 1
    assert schema.migrate(conn, upto=2) == 1
    assert schema.user_version(conn) == 2
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "outbox" in tables
    assert schema.migrate(conn) == 2
    assert schema.user_version(conn) == 5
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "outbox" not in tables and "direct_messages" in tables  # the unused outbox is gone
    assert "members" not in tables  # and the unused members table
    assert schema.migrate(conn) == 5  # nothing left to do
    conn.close()


def test_a_database_from_a_newer_hearth_is_refused(profile_dir: Path) -> None:
    store = create_profile(profile_dir, PASS, kdf=MINIMUM)
    store._db().execute("PRAGMA user_version = 99")
    store.close()
    with pytest.raises(SchemaTooNew) as info:
        open_profile(profile_dir, PASS)
    assert info.value.code == "schema_too_new"
    # the refusal let go of the lock and changed nothing
    with pytest.raises(SchemaTooNew):
        open_profile(profile_dir, PASS)


def test_a_failing_migration_rolls_back_whole() -> None:
    import sqlcipher3

    conn = sqlcipher3.connect(":memory:", isolation_level=None)
    broken = (
        *schema.MIGRATIONS,
        Migration(5, "broken", "CREATE TABLE extra (x INTEGER);\nTHIS IS NOT SQL;"),
    )
    with pytest.raises(DatabaseFailure, match="schema 5"):
        schema.migrate(conn, migrations=broken)
    assert schema.user_version(conn) == 5
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "extra" not in tables and "posts" in tables
    conn.close()


def test_statement_splitter_keeps_trigger_bodies_whole() -> None:
    statements = schema._statements(schema.MIGRATIONS[1].sql)
    triggers = [s for s in statements if s.startswith("CREATE TRIGGER")]
    assert len(triggers) == 3
    assert all(s.rstrip().endswith("END;") for s in triggers)
