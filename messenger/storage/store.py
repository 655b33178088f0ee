"""The typed repository over one profile database: settings, circles, posts, messages.

A :class:`Store` owns one connection and is used from the thread that opened it (SQLite's
``check_same_thread``); the event loop reaches it through :class:`~.async_store.AsyncStore`,
which owns that thread. Every write is one transaction; batch methods (``add_posts``) put a whole
batch in one. Lists come back newest first where they are pages of a conversation.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import msgpack
import sqlcipher3

from . import schema
from .connection import close_quietly
from .errors import DatabaseFailure, InvalidRecord, StoreClosed, UnknownCircle
from .fts import fts_query
from .lock import ProfileLock
from .records import (
    STORED_STATES,
    CircleRecord,
    Direction,
    DirectMessageRecord,
    DmState,
    MembershipRecord,
    PostRecord,
    PurgeResult,
)

MAX_PAGE = 1000
MAX_SEQS = 10_000
_SEARCH_PROBE = 500  # index hits above which search walks the timeline instead
_BULK_DELETE_MIN = 64  # posts deleted at once above which the search index is rewritten
Cursor = tuple[int, bytes]  # (ts, id): where a page of a conversation ends

_POST_COLUMNS = (
    "id, circle_id, author_key, seq, ts, received_at, body, signed, reply_to, content_warning,"
    " hidden, kind"
)
_DM_COLUMNS = "id, circle_id, peer_key, direction, state, ts, body, signed"


def _post(row: Sequence[Any]) -> PostRecord:
    return PostRecord(
        id=row[0],
        circle_id=row[1],
        author_key=row[2],
        seq=row[3],
        ts=row[4],
        received_at=row[5],
        body=row[6],
        signed=row[7],
        reply_to=row[8],
        content_warning=row[9],
        hidden=bool(row[10]),
        kind=row[11],
    )


def _dm(row: Sequence[Any]) -> DirectMessageRecord:
    return DirectMessageRecord(
        id=row[0],
        circle_id=row[1],
        peer_key=row[2],
        direction=Direction(row[3]),
        state=DmState(row[4]),
        ts=row[5],
        body=row[6],
        signed=row[7],
    )


def _circle(row: Sequence[Any]) -> CircleRecord:
    return CircleRecord(id=row[0], name=row[1], joined_at=row[2], left=bool(row[3]), record=row[4])


def _limit(limit: int) -> int:
    return max(0, min(int(limit), MAX_PAGE))


class Store:
    """One open profile database. Close it with :meth:`close` (or wipe it)."""

    def __init__(
        self,
        conn: Any,
        *,
        path: Path | None = None,
        lock: ProfileLock | None = None,
        driver: ModuleType = sqlcipher3,
    ) -> None:
        """Wrap an open, keyed, configured connection (see :func:`.profile.open_profile`).

        ``driver`` is the DB-API module the connection came from: ``sqlcipher3`` always, except
        the benchmark's plain ``sqlite3`` reference running the same code.
        """
        self._conn: Any = conn
        self._driver = driver
        self.path = path
        self._lock = lock
        with self._errors():
            schema.migrate(conn)

    # -- life cycle -----------------------------------------------------------------------
    @property
    def closed(self) -> bool:
        return self._conn is None

    @property
    def ephemeral(self) -> bool:
        return self.path is None

    def close(self) -> None:
        """Close the database and let go of the profile (safe to call twice)."""
        lock = self._detach()
        if lock is not None:
            lock.release()

    def _detach(self) -> ProfileLock | None:
        """Close the connection but keep the profile lock: the caller now owns it (wipe)."""
        conn, self._conn = self._conn, None
        if conn is not None:
            if self.path is not None:
                with contextlib.suppress(Exception):
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            close_quietly(conn)
        lock, self._lock = self._lock, None
        return lock

    def _db(self) -> Any:
        if self._conn is None:
            raise StoreClosed("the profile is closed")
        return self._conn

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except self._driver.IntegrityError as exc:
            if "FOREIGN KEY" in str(exc):
                raise UnknownCircle(
                    "the record belongs to a circle this profile does not hold"
                ) from None
            raise InvalidRecord(f"the database refused the record ({exc})") from None
        except self._driver.ProgrammingError as exc:
            if self._conn is None:
                raise StoreClosed("the profile is closed") from None
            raise DatabaseFailure(f"database misuse: {exc}") from None
        except self._driver.Error as exc:
            raise DatabaseFailure(f"the database failed: {exc}") from None

    @contextlib.contextmanager
    def _write(self) -> Iterator[Any]:
        """One write transaction (BEGIN IMMEDIATE … COMMIT, rolled back on any error)."""
        db = self._db()
        with self._errors():
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        db = self._db()
        with self._errors():
            return list(db.execute(sql, params).fetchall())

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        db = self._db()
        with self._errors():
            return db.execute(sql, params).fetchone()

    # -- diagnostics ----------------------------------------------------------------------
    def schema_version(self) -> int:
        with self._errors():
            return schema.user_version(self._db())

    def integrity_problems(self) -> list[str]:
        """Problems found by ``integrity_check`` and SQLCipher's page HMAC check ([] when clean)."""
        problems = [str(r[0]) for r in self._read("PRAGMA integrity_check") if r[0] != "ok"]
        if self._driver is sqlcipher3 and self.path is not None:
            problems += [str(r[0]) for r in self._read("PRAGMA cipher_integrity_check")]
        return problems

    # -- settings -------------------------------------------------------------------------
    def get_setting(self, key: str, default: object = None) -> object:
        row = self._one("SELECT value FROM settings WHERE key = ?", (key,))
        if row is None:
            return default
        return msgpack.unpackb(row[0], raw=False, strict_map_key=False)

    def set_setting(self, key: str, value: object) -> None:
        if not isinstance(key, str) or not key:
            raise InvalidRecord("a setting needs a non-empty text key")
        try:
            packed = msgpack.packb(value, use_bin_type=True)
        except (TypeError, ValueError, OverflowError) as exc:
            raise InvalidRecord(f"setting {key!r} cannot be stored: {exc}") from None
        with self._write() as db:
            db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, packed),
            )

    def delete_setting(self, key: str) -> bool:
        with self._write() as db:
            return bool(db.execute("DELETE FROM settings WHERE key = ?", (key,)).rowcount)

    def settings(self) -> dict[str, object]:
        rows = self._read("SELECT key, value FROM settings ORDER BY key")
        return {k: msgpack.unpackb(v, raw=False, strict_map_key=False) for k, v in rows}

    # -- circles --------------------------------------------------------------------------
    def save_circle(self, circle: CircleRecord) -> None:
        """Insert or replace a circle's row (its posts and messages stay)."""
        with self._write() as db:
            db.execute(
                "INSERT INTO circles (id, name, joined_at, has_left, record) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
                " joined_at = excluded.joined_at, has_left = excluded.has_left,"
                " record = excluded.record",
                (circle.id, circle.name, circle.joined_at, int(circle.left), circle.record),
            )

    def get_circle(self, circle_id: bytes) -> CircleRecord | None:
        row = self._one(
            "SELECT id, name, joined_at, has_left, record FROM circles WHERE id = ?", (circle_id,)
        )
        return None if row is None else _circle(row)

    def circles(self, *, include_left: bool = True) -> list[CircleRecord]:
        """Circles in the order they were joined."""
        where = "" if include_left else " WHERE has_left = 0"
        rows = self._read(
            "SELECT id, name, joined_at, has_left, record FROM circles"
            + where
            + " ORDER BY joined_at, id"
        )
        return [_circle(r) for r in rows]

    def set_circle_left(self, circle_id: bytes, left: bool = True) -> bool:
        with self._write() as db:
            cur = db.execute("UPDATE circles SET has_left = ? WHERE id = ?", (int(left), circle_id))
            return bool(cur.rowcount)

    def delete_circle(self, circle_id: bytes) -> bool:
        """Forget a circle and everything in it (membership, posts, messages)."""
        with self._write() as db:
            self._forget_posts(db, "circle_id = ?", (circle_id,))
            return bool(db.execute("DELETE FROM circles WHERE id = ?", (circle_id,)).rowcount)

    def _forget_posts(self, db: Any, where: str, params: Sequence[Any]) -> int:
        """Delete posts so that no trace of them stays in the search index either.

        FTS5 ``secure-delete`` scrubs each deleted row from the index at commit, at about a
        millisecond per post; past a threshold it is cheaper to switch it off for the batch and
        rewrite the whole index (``optimize`` merges every segment into one, dropping deleted
        entries), which costs time in proportion to the index. The freed pages are zeroed by
        ``PRAGMA secure_delete`` either way.
        """
        count = int(db.execute(f"SELECT count(*) FROM posts WHERE {where}", params).fetchone()[0])
        if count == 0:
            return 0
        newest_rid = db.execute("SELECT max(rid) FROM posts").fetchone()[0] or 0
        bulk = count > max(_BULK_DELETE_MIN, int(newest_rid) // 200)
        if bulk:
            self._fts_secure_delete(db, False)
        db.execute(f"DELETE FROM posts WHERE {where}", params)
        if bulk:
            db.execute("INSERT INTO posts_fts (posts_fts) VALUES ('optimize')")
            self._fts_secure_delete(db, True)
        return count

    def _fts_secure_delete(self, db: Any, on: bool) -> None:
        if self._driver is not sqlcipher3:
            return  # the benchmark's older stdlib engine has no such option
        db.execute(
            "INSERT INTO posts_fts (posts_fts, rank) VALUES ('secure-delete', ?)", (int(on),)
        )

    # -- memberships (our identity per circle) --------------------------------------------
    def save_membership(self, membership: MembershipRecord) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO memberships (circle_id, record) VALUES (?, ?)"
                " ON CONFLICT (circle_id) DO UPDATE SET record = excluded.record",
                (membership.circle_id, membership.record),
            )

    def get_membership(self, circle_id: bytes) -> MembershipRecord | None:
        row = self._one(
            "SELECT circle_id, record FROM memberships WHERE circle_id = ?", (circle_id,)
        )
        return None if row is None else MembershipRecord(row[0], row[1])

    def memberships(self) -> list[MembershipRecord]:
        rows = self._read("SELECT circle_id, record FROM memberships ORDER BY circle_id")
        return [MembershipRecord(r[0], r[1]) for r in rows]

    def delete_membership(self, circle_id: bytes) -> bool:
        with self._write() as db:
            cur = db.execute("DELETE FROM memberships WHERE circle_id = ?", (circle_id,))
            return bool(cur.rowcount)

    # -- posts ----------------------------------------------------------------------------
    _INSERT_POST = (
        "INSERT OR IGNORE INTO posts (id, circle_id, author_key, seq, ts, received_at, body,"
        " signed, reply_to, content_warning, hidden, kind)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )

    @staticmethod
    def _post_params(post: PostRecord) -> tuple[Any, ...]:
        if not isinstance(post, PostRecord):
            raise InvalidRecord(f"expected a PostRecord, not {type(post).__name__}")
        return (
            post.id,
            post.circle_id,
            post.author_key,
            post.seq,
            post.ts,
            post.received_at,
            post.body,
            post.signed,
            post.reply_to,
            post.content_warning,
            int(post.hidden),
            post.kind,
        )

    def add_post(self, post: PostRecord) -> bool:
        """Store a post; False if it is a duplicate (same id, or same circle/author/seq)."""
        params = self._post_params(post)
        with self._write() as db:
            return bool(db.execute(self._INSERT_POST, params).rowcount == 1)

    def add_posts(self, posts: Iterable[PostRecord]) -> list[bytes]:
        """Store a batch in one transaction; returns the ids that were new, in batch order."""
        batch = [self._post_params(post) for post in posts]
        added: list[bytes] = []
        if not batch:
            return added
        with self._write() as db:
            for params in batch:
                if db.execute(self._INSERT_POST, params).rowcount == 1:
                    added.append(params[0])
        return added

    def get_post(self, post_id: bytes) -> PostRecord | None:
        row = self._one(f"SELECT {_POST_COLUMNS} FROM posts WHERE id = ?", (post_id,))
        return None if row is None else _post(row)

    def known_post_ids(self, post_ids: Iterable[bytes]) -> set[bytes]:
        """Which of ``post_ids`` are stored already."""
        wanted = list(dict.fromkeys(post_ids))
        known: set[bytes] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            known.update(
                r[0] for r in self._read(f"SELECT id FROM posts WHERE id IN ({marks})", chunk)
            )
        return known

    def newest_posts(
        self,
        circle_id: bytes,
        limit: int = 50,
        before: Cursor | None = None,
        *,
        include_hidden: bool = True,
    ) -> list[PostRecord]:
        """A page of a circle's posts, newest first, older than ``before`` = ``(ts, id)`` if given.
        Acts (reactions, retractions) are not posts of the timeline: see :meth:`acts_on`.

        To page back, pass ``(last.ts, last.id)`` of the last post of the previous page.
        """
        sql = f"SELECT {_POST_COLUMNS} FROM posts WHERE circle_id = ? AND kind = ''"
        params: list[Any] = [circle_id]
        if before is not None:
            sql += " AND (ts, id) < (?, ?)"
            params += [before[0], before[1]]
        if not include_hidden:
            sql += " AND hidden = 0"
        sql += " ORDER BY ts DESC, id DESC LIMIT ?"
        params.append(_limit(limit))
        return [_post(r) for r in self._read(sql, params)]

    def posts_count(self, circle_id: bytes) -> int:
        return int(
            self._one("SELECT count(*) FROM posts WHERE circle_id = ? AND kind = ''", (circle_id,))[
                0
            ]
        )

    def acts_on(self, circle_id: bytes, targets: Iterable[bytes]) -> list[PostRecord]:
        """The reactions and retractions stored for any of ``targets``, in seq order per author
        (through the reply index: a few seeks per target, never a walk of the circle)."""
        wanted = list(dict.fromkeys(targets))
        found: list[PostRecord] = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found += [
                _post(r)
                for r in self._read(
                    f"SELECT {_POST_COLUMNS} FROM posts INDEXED BY posts_by_target"
                    f" WHERE circle_id = ? AND reply_to IN ({marks}) AND kind <> ''",
                    [circle_id, *chunk],
                )
            ]
        found.sort(key=lambda r: (r.author_key, r.seq))  # the index gives target order
        return found

    def retract_post(self, post_id: bytes) -> bool:
        """Delete a post its author retracted: its row, its words in the search index (FTS5
        secure-delete) and the freed pages (zeroed), then checkpoint so the WAL lets go too."""
        with self._write() as db:
            gone = bool(db.execute("DELETE FROM posts WHERE id = ?", (post_id,)).rowcount)
        if gone and self.path is not None:
            with self._errors():
                self._db().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return gone

    def high_water_marks(self, circle_id: bytes) -> dict[bytes, int]:
        """For each author in the circle, the highest seq stored.

        A skip-scan of the (circle_id, author_key, seq) index: a few seeks per author instead of
        reading every post's index entry (it runs on every reconnect).
        """
        rows = self._read(
            "WITH RECURSIVE a (k) AS ("
            " SELECT (SELECT min(author_key) FROM posts WHERE circle_id = ?1)"
            " UNION ALL SELECT (SELECT min(author_key) FROM posts"
            " WHERE circle_id = ?1 AND author_key > a.k) FROM a WHERE a.k IS NOT NULL)"
            " SELECT k, (SELECT max(seq) FROM posts WHERE circle_id = ?1 AND author_key = a.k)"
            " FROM a WHERE k IS NOT NULL",
            (circle_id,),
        )
        return {bytes(r[0]): int(r[1]) for r in rows}

    def posts_after(
        self, circle_id: bytes, author_key: bytes, seq: int, limit: int = MAX_PAGE
    ) -> list[PostRecord]:
        """An author's posts with a seq above ``seq``, in seq order (what a peer lacks)."""
        rows = self._read(
            f"SELECT {_POST_COLUMNS} FROM posts WHERE circle_id = ? AND author_key = ?"
            " AND seq > ? ORDER BY seq LIMIT ?",
            (circle_id, author_key, seq, _limit(limit)),
        )
        return [_post(r) for r in rows]

    def post_index(self, circle_id: bytes) -> list[tuple[bytes, bytes, int, int]]:
        """Every stored post of the circle as (id, author, seq, ts), bodies left out: what the
        sync engine keeps in memory (messenger/conversation/logindex.py)."""
        rows = self._read(
            "SELECT id, author_key, seq, ts FROM posts WHERE circle_id = ?", (circle_id,)
        )
        return [(bytes(r[0]), bytes(r[1]), int(r[2]), int(r[3])) for r in rows]

    def dm_ids(self, circle_id: bytes) -> set[bytes]:
        """The ids of the circle's stored direct messages (to recognise one seen before)."""
        rows = self._read("SELECT id FROM direct_messages WHERE circle_id = ?", (circle_id,))
        return {bytes(r[0]) for r in rows}

    def post_at(self, circle_id: bytes, author_key: bytes, seq: int) -> PostRecord | None:
        """The post an author numbered ``seq`` (to spot a second, different post with one seq)."""
        row = self._one(
            f"SELECT {_POST_COLUMNS} FROM posts WHERE circle_id = ? AND author_key = ? AND seq = ?",
            (circle_id, author_key, seq),
        )
        return None if row is None else _post(row)

    def missing_seqs(
        self,
        circle_id: bytes,
        author_key: bytes,
        first: int,
        last: int | None = None,
        limit: int = MAX_SEQS,
    ) -> list[int]:
        """The seqs in ``first..last`` (inclusive) we do not hold, ascending, at most ``limit``.

        ``last`` defaults to the highest seq stored for that author.
        """
        limit = max(0, min(int(limit), MAX_SEQS))
        if last is None:
            row = self._one(
                "SELECT max(seq) FROM posts WHERE circle_id = ? AND author_key = ?",
                (circle_id, author_key),
            )
            if row[0] is None:
                return []
            last = int(row[0])
        if last < first or limit == 0:
            return []
        where = "circle_id = ? AND author_key = ? AND seq BETWEEN ? AND ?"
        params = (circle_id, author_key, first, last)
        lowest = self._one(f"SELECT min(seq) FROM posts WHERE {where}", params)[0]
        gaps: list[tuple[int, int]] = []
        if lowest is None:
            gaps.append((first, last))
        else:
            if lowest > first:
                gaps.append((first, int(lowest) - 1))
            rows = self._read(
                "SELECT seq, next FROM (SELECT seq, lead(seq) OVER (ORDER BY seq) AS next"
                f" FROM posts WHERE {where}) WHERE next IS NULL OR next > seq + 1 ORDER BY seq",
                params,
            )
            for seq, nxt in rows:
                low, high = int(seq) + 1, last if nxt is None else int(nxt) - 1
                if low <= high:
                    gaps.append((low, high))
        missing: list[int] = []
        for low, high in gaps:
            room = limit - len(missing)
            if room <= 0:
                break
            missing.extend(range(low, min(high, low + room - 1) + 1))
        return missing

    def set_post_hidden(self, post_id: bytes, hidden: bool = True) -> bool:
        with self._write() as db:
            cur = db.execute("UPDATE posts SET hidden = ? WHERE id = ?", (int(hidden), post_id))
            return bool(cur.rowcount)

    def delete_post(self, post_id: bytes) -> bool:
        with self._write() as db:
            return bool(db.execute("DELETE FROM posts WHERE id = ?", (post_id,)).rowcount)

    def search(
        self, circle_id: bytes, query: str, limit: int = 50, *, include_hidden: bool = False
    ) -> list[PostRecord]:
        """Posts of one circle matching the words of ``query`` (any text is safe), newest first.

        Every word must match (the last as a prefix); case and diacritics (Latin) are folded.
        Two plans, picked by a cheap count of the index's hits: few hits → read just those
        posts (CROSS JOIN keeps the index first); many → walk the circle's newest posts and stop
        at the first ``limit`` that are hits (each plan is ruinous in the other's case).
        """
        match = fts_query(query)
        if match is None:
            return []
        hidden = "" if include_hidden else " AND hidden = 0"
        hits = self._one(
            "SELECT count(*) FROM (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ? LIMIT ?)",
            (match, _SEARCH_PROBE),
        )[0]
        if hits < _SEARCH_PROBE:
            sql = (
                f"SELECT {_POST_COLUMNS} FROM posts WHERE rid IN ("
                " SELECT p.rid FROM posts_fts CROSS JOIN posts AS p ON p.rid = posts_fts.rowid"
                f" WHERE posts_fts MATCH ?1 AND p.circle_id = ?2 AND p.kind = ''"
                f"{hidden.replace(' h', ' p.h')}"
                " ORDER BY p.ts DESC, p.id DESC LIMIT ?3)"
                " ORDER BY ts DESC, id DESC"
            )
        else:
            sql = (
                f"SELECT {_POST_COLUMNS} FROM posts WHERE circle_id = ?2 AND kind = ''"
                f" AND rid IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?1){hidden}"
                " ORDER BY ts DESC, id DESC LIMIT ?3"
            )
        return [_post(r) for r in self._read(sql, (match, circle_id, _limit(limit)))]

    # -- retention ------------------------------------------------------------------------
    def purge_older_than(self, circle_id: bytes, cutoff_ts: int) -> PurgeResult:
        """Delete the circle's posts and direct messages with ``ts < cutoff_ts`` (and their index
        entries), zeroing the freed space, then checkpoint so the WAL lets go of them too."""
        with self._write() as db:
            posts = self._forget_posts(db, "circle_id = ? AND ts < ?", (circle_id, cutoff_ts))
            dms = db.execute(
                "DELETE FROM direct_messages WHERE circle_id = ? AND ts < ?",
                (circle_id, cutoff_ts),
            ).rowcount
        if self.path is not None and (posts or dms):
            with self._errors():
                self._db().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return PurgeResult(posts=max(posts, 0), direct_messages=max(dms, 0))

    # -- direct messages ------------------------------------------------------------------
    def add_dm(self, message: DirectMessageRecord) -> bool:
        """Store a direct message; False if its id is known already."""
        if not isinstance(message, DirectMessageRecord):
            raise InvalidRecord(f"expected a DirectMessageRecord, not {type(message).__name__}")
        with self._write() as db:
            cur = db.execute(
                f"INSERT OR IGNORE INTO direct_messages ({_DM_COLUMNS})"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    message.id,
                    message.circle_id,
                    message.peer_key,
                    message.direction.value,
                    message.state.value,
                    message.ts,
                    message.body,
                    message.signed,
                ),
            )
            return bool(cur.rowcount == 1)

    def get_dm(self, message_id: bytes) -> DirectMessageRecord | None:
        row = self._one(f"SELECT {_DM_COLUMNS} FROM direct_messages WHERE id = ?", (message_id,))
        return None if row is None else _dm(row)

    def set_dm_state(self, message_id: bytes, state: DmState) -> bool:
        """Move a message forward (queued → sent → delivered → read); never backward.

        Returns True if the state changed.
        """
        if state not in STORED_STATES:
            raise InvalidRecord("state must be a stored DmState (not failed)")
        earlier = [s.value for s in STORED_STATES if s.rank < state.rank]
        if not earlier:
            return False
        marks = ",".join("?" * len(earlier))
        with self._write() as db:
            cur = db.execute(
                f"UPDATE direct_messages SET state = ? WHERE id = ? AND state IN ({marks})",
                (state.value, message_id, *earlier),
            )
            return bool(cur.rowcount)

    def dm_conversation(
        self, circle_id: bytes, peer_key: bytes, limit: int = 50, before: Cursor | None = None
    ) -> list[DirectMessageRecord]:
        """A page of the conversation with one member, newest first (paging as newest_posts)."""
        sql = f"SELECT {_DM_COLUMNS} FROM direct_messages WHERE circle_id = ? AND peer_key = ?"
        params: list[Any] = [circle_id, peer_key]
        if before is not None:
            sql += " AND (ts, id) < (?, ?)"
            params += [before[0], before[1]]
        sql += " ORDER BY ts DESC, id DESC LIMIT ?"
        params.append(_limit(limit))
        return [_dm(r) for r in self._read(sql, params)]

    def dm_peers(self, circle_id: bytes) -> list[tuple[bytes, int]]:
        """Members we have a conversation with, and the time of its latest message, latest first."""
        rows = self._read(
            "SELECT peer_key, max(ts) AS last FROM direct_messages WHERE circle_id = ?"
            " GROUP BY peer_key ORDER BY last DESC",
            (circle_id,),
        )
        return [(bytes(r[0]), int(r[1])) for r in rows]

    def dms_in_state(
        self, circle_id: bytes, state: DmState, limit: int = MAX_PAGE
    ) -> list[DirectMessageRecord]:
        rows = self._read(
            f"SELECT {_DM_COLUMNS} FROM direct_messages WHERE circle_id = ? AND state = ?"
            " ORDER BY ts, id LIMIT ?",
            (circle_id, state.value, _limit(limit)),
        )
        return [_dm(r) for r in rows]
