"""The database schema as an ordered list of migrations, versioned by ``PRAGMA user_version``.

Rules for whoever adds a migration: append, never edit a released one; each runs in one
transaction together with the bump of ``user_version``, so a crash leaves the old or the new
schema, never half of one. Tables are STRICT; times are integer milliseconds since the epoch.

Design notes:
- ``posts`` and ``direct_messages`` have an explicit ``rid INTEGER PRIMARY KEY`` (a stable rowid
  the FTS index points at; it survives VACUUM) and their 32-byte ``id`` is ``NOT NULL UNIQUE``:
  the natural key, used by every lookup, while the rowid is the physical one.
- Everything that belongs to a circle references ``circles(id) ON DELETE CASCADE``: deleting a
  circle deletes its membership, posts and messages (and, through the triggers, its
  search index entries).
- ``posts_fts`` is an external-content FTS5 table over ``posts`` (body and content warning),
  kept in sync by triggers, with FTS5 ``secure-delete`` on so a purged post's words leave the
  index at once instead of at the next merge.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from typing import Any

from .errors import DatabaseFailure, SchemaTooNew


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    description: str
    sql: str
    #: statements an older SQLite may refuse (a newer FTS5 option); skipped there.
    optional: tuple[str, ...] = ()


_V1 = """
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL                      -- msgpack
) STRICT, WITHOUT ROWID;

CREATE TABLE circles (
    id        BLOB PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
    name      TEXT NOT NULL,
    joined_at INTEGER NOT NULL,
    has_left  INTEGER NOT NULL DEFAULT 0 CHECK (has_left IN (0, 1)),
    record    BLOB NOT NULL                  -- the circle model, msgpack, opaque here
) STRICT, WITHOUT ROWID;
CREATE INDEX circles_by_name ON circles (name);

CREATE TABLE memberships (                   -- our own identity in each circle
    circle_id BLOB PRIMARY KEY REFERENCES circles (id) ON DELETE CASCADE,
    record    BLOB NOT NULL                  -- includes private keys: the db is encrypted
) STRICT, WITHOUT ROWID;

CREATE TABLE members (
    circle_id  BLOB NOT NULL REFERENCES circles (id) ON DELETE CASCADE,
    member_key BLOB NOT NULL CHECK (length(member_key) = 32),
    pseudonym  TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    pinned_key BLOB CHECK (pinned_key IS NULL OR length(pinned_key) = 32),
    blocked    INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1)),
    muted      INTEGER NOT NULL DEFAULT 0 CHECK (muted IN (0, 1)),
    PRIMARY KEY (circle_id, member_key)
) STRICT, WITHOUT ROWID;

CREATE TABLE posts (
    rid             INTEGER PRIMARY KEY,
    id              BLOB NOT NULL UNIQUE CHECK (length(id) = 32),
    circle_id       BLOB NOT NULL REFERENCES circles (id) ON DELETE CASCADE,
    author_key      BLOB NOT NULL CHECK (length(author_key) = 32),
    seq             INTEGER NOT NULL CHECK (seq >= 0),
    ts              INTEGER NOT NULL,
    received_at     INTEGER NOT NULL,
    body            TEXT NOT NULL,
    reply_to        BLOB CHECK (reply_to IS NULL OR length(reply_to) = 32),
    content_warning TEXT,
    signed          BLOB NOT NULL,           -- the exact signed envelope
    hidden          INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    UNIQUE (circle_id, author_key, seq)
) STRICT;
CREATE INDEX posts_by_time ON posts (circle_id, ts, id);

CREATE TABLE direct_messages (
    rid       INTEGER PRIMARY KEY,
    id        BLOB NOT NULL UNIQUE CHECK (length(id) = 32),
    circle_id BLOB NOT NULL REFERENCES circles (id) ON DELETE CASCADE,
    peer_key  BLOB NOT NULL CHECK (length(peer_key) = 32),
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    state     TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'delivered', 'read')),
    ts        INTEGER NOT NULL,
    body      TEXT NOT NULL,
    signed    BLOB NOT NULL
) STRICT;
CREATE INDEX direct_messages_by_peer ON direct_messages (circle_id, peer_key, ts, id);

CREATE TABLE outbox (
    item_id         INTEGER PRIMARY KEY AUTOINCREMENT,
    circle_id       BLOB NOT NULL REFERENCES circles (id) ON DELETE CASCADE,
    peer_key        BLOB CHECK (peer_key IS NULL OR length(peer_key) = 32),
    kind            TEXT NOT NULL CHECK (kind <> ''),
    ref_id          BLOB CHECK (ref_id IS NULL OR length(ref_id) = 32),
    payload         BLOB NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX outbox_due ON outbox (next_attempt_at, item_id);
CREATE INDEX outbox_by_peer ON outbox (circle_id, peer_key);
"""

_V2 = """
CREATE VIRTUAL TABLE posts_fts USING fts5 (
    body, content_warning,
    content = 'posts', content_rowid = 'rid',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN
    INSERT INTO posts_fts (rowid, body, content_warning)
    VALUES (new.rid, new.body, new.content_warning);
END;
CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, body, content_warning)
    VALUES ('delete', old.rid, old.body, old.content_warning);
END;
CREATE TRIGGER posts_fts_update AFTER UPDATE OF body, content_warning ON posts BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, body, content_warning)
    VALUES ('delete', old.rid, old.body, old.content_warning);
    INSERT INTO posts_fts (rowid, body, content_warning)
    VALUES (new.rid, new.body, new.content_warning);
END;
INSERT INTO posts_fts (posts_fts) VALUES ('rebuild');
"""

# FTS5 'secure-delete' needs SQLite 3.42 (SQLCipher 4.12 has 3.51); an older engine (only ever the
# stdlib reference in the benchmark) runs without it.
_V2_SECURE_DELETE = "INSERT INTO posts_fts (posts_fts, rank) VALUES ('secure-delete', 1)"

# The outbox was never used: direct messages wait in direct_messages (state QUEUED) and posts
# in posts, and both are re-offered when a link comes up.
_V3 = """
DROP TABLE IF EXISTS outbox;
"""

# The members table was never written: who is in a circle lives in its roster, block and mute
# in the circle's personal moderation state (persist.py).
_V4 = """
DROP TABLE IF EXISTS members;
"""

# Acts (reactions, retractions) are rows of ``posts`` too: they travel in their author's sequence.
# They are never timeline entries nor searchable, so the index triggers skip them; a reply index
# finds the acts on a page of posts.
_V5 = """
ALTER TABLE posts ADD COLUMN kind TEXT NOT NULL DEFAULT '' CHECK (kind IN ('', 'react', 'retract'));
CREATE INDEX posts_by_target ON posts (circle_id, reply_to) WHERE reply_to IS NOT NULL;
DROP TRIGGER posts_fts_insert;
DROP TRIGGER posts_fts_delete;
DROP TRIGGER posts_fts_update;
CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts WHEN new.kind = '' BEGIN
    INSERT INTO posts_fts (rowid, body, content_warning)
    VALUES (new.rid, new.body, new.content_warning);
END;
CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts WHEN old.kind = '' BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, body, content_warning)
    VALUES ('delete', old.rid, old.body, old.content_warning);
END;
CREATE TRIGGER posts_fts_update AFTER UPDATE OF body, content_warning ON posts
WHEN old.kind = '' BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, body, content_warning)
    VALUES ('delete', old.rid, old.body, old.content_warning);
    INSERT INTO posts_fts (rowid, body, content_warning)
    VALUES (new.rid, new.body, new.content_warning);
END;
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "settings, circles, memberships, members, posts, direct messages, outbox", _V1),
    Migration(2, "full-text search over posts", _V2, optional=(_V2_SECURE_DELETE,)),
    Migration(3, "drop the unused outbox", _V3),
    Migration(4, "drop the unused members table", _V4),
    Migration(5, "acts on posts: reactions and retractions", _V5),
)

LATEST = MIGRATIONS[-1].version


def user_version(conn: Any) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(
    conn: Any, *, upto: int | None = None, migrations: tuple[Migration, ...] = MIGRATIONS
) -> int:
    """Bring the schema to version ``upto`` (default: the last); returns the version it had.

    ``conn`` must be in autocommit mode (``isolation_level=None``). Raises
    :class:`SchemaTooNew` for a database from a newer Hearth.
    """
    current = user_version(conn)
    newest = migrations[-1].version if migrations else 0
    if upto is None:
        upto = newest
    if current > newest:
        raise SchemaTooNew(
            f"this profile was written by a newer Hearth (schema {current}; "
            f"this one knows {newest})"
        )
    for migration in migrations:
        if migration.version <= current or migration.version > upto:
            continue
        try:
            conn.execute("BEGIN IMMEDIATE")
            for statement in _statements(migration.sql):
                conn.execute(statement)
            for statement in migration.optional:
                # only an old stdlib sqlite3 refuses (a test checks SQLCipher takes them)
                with contextlib.suppress(Exception):
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {int(migration.version)}")
            conn.execute("COMMIT")
        except Exception as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, SchemaTooNew):
                raise
            raise DatabaseFailure(
                f"could not upgrade the database to schema {migration.version}: {exc}"
            ) from exc
    return current


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (trigger bodies keep their inner semicolons)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        code = line.split("--", 1)[0]
        buffer += code
        stripped = code.strip()
        if stripped.endswith(";") and _complete(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def _complete(statement: str) -> bool:
    return sqlite3.complete_statement(statement)
