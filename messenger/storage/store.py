"""The typed repository over one profile database: settings, circles, posts, messages.

A :class:`Store` owns one connection and is used from the thread that opened it (SQLite's
``check_same_thread``); the event loop reaches it through :class:`~.async_store.AsyncStore`,
which owns that thread. Every write is one transaction; batch methods (``add_posts``) put a whole
batch in one. Lists come back newest first where they are pages of a conversation.

The connection, its transactions and its errors are a :class:`~.database.Database`; the queries
live in one module per table (``settings_table``, ``circle_table``, ``post_table``, ``search``,
``dm_table``), and the store hands each call to them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

import sqlcipher3

from . import circle_table, dm_table, post_table, schema, settings_table
from .database import MAX_PAGE, Cursor, Database
from .lock import ProfileLock
from .post_table import MAX_SEQS
from .records import (
    CircleRecord,
    DirectMessageRecord,
    DmState,
    MembershipRecord,
    PostRecord,
    PurgeResult,
)
from .search import forget_posts, search


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
        self._database = Database(conn, path=path, lock=lock, driver=driver)
        with self._database.errors():
            schema.migrate(conn)

    # -- life cycle -----------------------------------------------------------------------
    @property
    def path(self) -> Path | None:
        """The profile's folder (None for an ephemeral session)."""
        return self._database.path

    @property
    def closed(self) -> bool:
        return self._database.closed

    @property
    def ephemeral(self) -> bool:
        return self.path is None

    def close(self) -> None:
        """Close the database and let go of the profile (safe to call twice)."""
        lock = self.detach()
        if lock is not None:
            lock.release()

    def detach(self) -> ProfileLock | None:
        """Close the connection but keep the profile lock: the caller now owns it (wipe)."""
        return self._database.detach()

    def _db(self) -> Any:
        return self._database.conn()

    # -- diagnostics ----------------------------------------------------------------------
    def schema_version(self) -> int:
        with self._database.errors():
            return schema.user_version(self._db())

    def integrity_problems(self) -> list[str]:
        """Problems found by ``integrity_check`` and SQLCipher's page HMAC check ([] when clean)."""
        read = self._database.read
        problems = [str(r[0]) for r in read("PRAGMA integrity_check") if r[0] != "ok"]
        if self._database.sqlcipher and self.path is not None:
            problems += [str(r[0]) for r in read("PRAGMA cipher_integrity_check")]
        return problems

    # -- settings -------------------------------------------------------------------------
    def get_setting(self, key: str, default: object = None) -> object:
        return settings_table.get_setting(self._database, key, default)

    def set_setting(self, key: str, value: object) -> None:
        settings_table.set_setting(self._database, key, value)

    def delete_setting(self, key: str) -> bool:
        return settings_table.delete_setting(self._database, key)

    def settings(self) -> dict[str, object]:
        return settings_table.settings(self._database)

    # -- circles --------------------------------------------------------------------------
    def save_circle(self, circle: CircleRecord) -> None:
        """Insert or replace a circle's row (its posts and messages stay)."""
        circle_table.save_circle(self._database, circle)

    def get_circle(self, circle_id: bytes) -> CircleRecord | None:
        return circle_table.get_circle(self._database, circle_id)

    def circles(self, *, include_left: bool = True) -> list[CircleRecord]:
        """Circles in the order they were joined."""
        return circle_table.circles(self._database, include_left=include_left)

    def set_circle_left(self, circle_id: bytes, left: bool = True) -> bool:
        return circle_table.set_circle_left(self._database, circle_id, left)

    def delete_circle(self, circle_id: bytes) -> bool:
        """Forget a circle and everything in it (membership, posts, messages)."""
        return circle_table.delete_circle(self._database, circle_id)

    # -- memberships (our identity per circle) --------------------------------------------
    def save_membership(self, membership: MembershipRecord) -> None:
        circle_table.save_membership(self._database, membership)

    def get_membership(self, circle_id: bytes) -> MembershipRecord | None:
        return circle_table.get_membership(self._database, circle_id)

    def memberships(self) -> list[MembershipRecord]:
        return circle_table.memberships(self._database)

    def delete_membership(self, circle_id: bytes) -> bool:
        return circle_table.delete_membership(self._database, circle_id)

    # -- posts ----------------------------------------------------------------------------
    def add_post(self, post: PostRecord) -> bool:
        """Store a post; False if it is a duplicate (same id, or same circle/author/seq)."""
        return post_table.add_post(self._database, post)

    def add_posts(self, posts: Iterable[PostRecord]) -> list[bytes]:
        """Store a batch in one transaction; returns the ids that were new, in batch order."""
        return post_table.add_posts(self._database, posts)

    def get_post(self, post_id: bytes) -> PostRecord | None:
        return post_table.get_post(self._database, post_id)

    def known_post_ids(self, post_ids: Iterable[bytes]) -> set[bytes]:
        """Which of ``post_ids`` are stored already."""
        return post_table.known_post_ids(self._database, post_ids)

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
        return post_table.newest_posts(
            self._database, circle_id, limit, before, include_hidden=include_hidden
        )

    def posts_count(self, circle_id: bytes) -> int:
        return post_table.posts_count(self._database, circle_id)

    def acts_on(self, circle_id: bytes, targets: Iterable[bytes]) -> list[PostRecord]:
        """The reactions and retractions stored for any of ``targets``, in seq order per author
        (through the reply index: a few seeks per target, never a walk of the circle)."""
        return post_table.acts_on(self._database, circle_id, targets)

    def retract_post(self, post_id: bytes) -> bool:
        """Delete a post its author retracted: its row, its words in the search index (FTS5
        secure-delete) and the freed pages (zeroed), then checkpoint so the WAL lets go too."""
        return post_table.retract_post(self._database, post_id)

    def high_water_marks(self, circle_id: bytes) -> dict[bytes, int]:
        """For each author in the circle, the highest seq stored (a skip-scan of the index)."""
        return post_table.high_water_marks(self._database, circle_id)

    def posts_after(
        self, circle_id: bytes, author_key: bytes, seq: int, limit: int = MAX_PAGE
    ) -> list[PostRecord]:
        """An author's posts with a seq above ``seq``, in seq order (what a peer lacks)."""
        return post_table.posts_after(self._database, circle_id, author_key, seq, limit)

    def post_index(self, circle_id: bytes) -> list[tuple[bytes, bytes, int, int]]:
        """Every stored post of the circle as (id, author, seq, ts), bodies left out: what the
        sync engine keeps in memory (messenger/conversation/logindex.py)."""
        return post_table.post_index(self._database, circle_id)

    def retractions(self, circle_id: bytes) -> list[tuple[bytes, bytes]]:
        """Every stored retraction of the circle as (the post it names, its author): kept in
        memory so a plain post is shown without asking whether it was retracted already."""
        return post_table.retractions(self._database, circle_id)

    def dm_ids(self, circle_id: bytes) -> set[bytes]:
        """The ids of the circle's stored direct messages (to recognise one seen before)."""
        return dm_table.dm_ids(self._database, circle_id)

    def post_at(self, circle_id: bytes, author_key: bytes, seq: int) -> PostRecord | None:
        """The post an author numbered ``seq`` (to spot a second, different post with one seq)."""
        return post_table.post_at(self._database, circle_id, author_key, seq)

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
        return post_table.missing_seqs(self._database, circle_id, author_key, first, last, limit)

    def set_post_hidden(self, post_id: bytes, hidden: bool = True) -> bool:
        return post_table.set_post_hidden(self._database, post_id, hidden)

    def delete_post(self, post_id: bytes) -> bool:
        return post_table.delete_post(self._database, post_id)

    def search(
        self, circle_id: bytes, query: str, limit: int = 50, *, include_hidden: bool = False
    ) -> list[PostRecord]:
        """Posts of one circle matching the words of ``query`` (any text is safe), newest first.

        Every word must match (the last as a prefix); case and diacritics (Latin) are folded.
        """
        return search(self._database, circle_id, query, limit, include_hidden=include_hidden)

    # -- retention ------------------------------------------------------------------------
    def purge_older_than(self, circle_id: bytes, cutoff_ts: int) -> PurgeResult:
        """Delete the circle's posts and direct messages with ``ts < cutoff_ts`` (and their index
        entries), zeroing the freed space, then checkpoint so the WAL lets go of them too."""
        with self._database.write():
            where = "circle_id = ? AND ts < ?"
            posts = forget_posts(self._database, where, (circle_id, cutoff_ts))
            dms = dm_table.forget_dms_before(self._database, circle_id, cutoff_ts)
        if posts or dms:
            self._database.checkpoint()
        return PurgeResult(posts=max(posts, 0), direct_messages=max(dms, 0))

    # -- direct messages ------------------------------------------------------------------
    def add_dm(self, message: DirectMessageRecord) -> bool:
        """Store a direct message; False if its id is known already."""
        return dm_table.add_dm(self._database, message)

    def get_dm(self, message_id: bytes) -> DirectMessageRecord | None:
        return dm_table.get_dm(self._database, message_id)

    def set_dm_state(self, message_id: bytes, state: DmState) -> bool:
        """Move a message forward (queued → sent → delivered → read); never backward.

        Returns True if the state changed.
        """
        return dm_table.set_dm_state(self._database, message_id, state)

    def dm_conversation(
        self, circle_id: bytes, peer_key: bytes, limit: int = 50, before: Cursor | None = None
    ) -> list[DirectMessageRecord]:
        """A page of the conversation with one member, newest first (paging as newest_posts)."""
        return dm_table.dm_conversation(self._database, circle_id, peer_key, limit, before)

    def dm_peers(self, circle_id: bytes) -> list[tuple[bytes, int]]:
        """Members we have a conversation with, and the time of its latest message, latest first."""
        return dm_table.dm_peers(self._database, circle_id)

    def dms_in_state(
        self, circle_id: bytes, state: DmState, limit: int = MAX_PAGE
    ) -> list[DirectMessageRecord]:
        return dm_table.dms_in_state(self._database, circle_id, state, limit)
