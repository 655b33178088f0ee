"""One open profile database: its connection, its transactions, and what its errors mean.

A :class:`Database` is what :class:`~.store.Store` and the table modules (``settings_table``,
``circle_table``, ``post_table``, ``search``, ``dm_table``) share: every query goes through
:meth:`Database.read` / :meth:`Database.one`, every write is one :meth:`Database.write`
transaction, and driver errors come out as the storage errors of :mod:`.errors`. A page of rows
holds at most :data:`MAX_PAGE`; a page of a conversation ends at a :data:`Cursor`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import sqlcipher3

from .connection import close_quietly
from .errors import DatabaseFailure, InvalidRecord, StoreClosed, UnknownCircle
from .lock import ProfileLock

MAX_PAGE = 1000
Cursor = tuple[int, bytes]  # (ts, id): where a page of a conversation ends


def page_limit(limit: int) -> int:
    """``limit`` clamped to ``0..MAX_PAGE``."""
    return max(0, min(int(limit), MAX_PAGE))


class Database:
    """An open, keyed, configured connection, the profile lock held with it, and its driver.

    ``driver`` is the DB-API module the connection came from: ``sqlcipher3`` always, except the
    benchmark's plain ``sqlite3`` reference running the same code.
    """

    def __init__(
        self, conn: Any, *, path: Path | None, lock: ProfileLock | None, driver: ModuleType
    ) -> None:
        self._conn: Any = conn
        self.driver = driver
        self.path = path
        self._lock = lock

    @property
    def closed(self) -> bool:
        return self._conn is None

    @property
    def sqlcipher(self) -> bool:
        """Whether this is SQLCipher (not the benchmark's older stdlib engine)."""
        return self.driver is sqlcipher3

    def detach(self) -> ProfileLock | None:
        """Close the connection (safe twice) but keep the profile lock: the caller now owns it."""
        conn, self._conn = self._conn, None
        if conn is not None:
            if self.path is not None:
                with contextlib.suppress(Exception):
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            close_quietly(conn)
        lock, self._lock = self._lock, None
        return lock

    def conn(self) -> Any:
        """The open connection (:class:`StoreClosed` once closed)."""
        if self._conn is None:
            raise StoreClosed("the profile is closed")
        return self._conn

    @contextlib.contextmanager
    def errors(self) -> Iterator[None]:
        """Turn the driver's errors into storage errors."""
        try:
            yield
        except self.driver.IntegrityError as exc:
            if "FOREIGN KEY" in str(exc):
                raise UnknownCircle(
                    "the record belongs to a circle this profile does not hold"
                ) from None
            raise InvalidRecord(f"the database refused the record ({exc})") from None
        except self.driver.ProgrammingError as exc:
            if self._conn is None:
                raise StoreClosed("the profile is closed") from None
            raise DatabaseFailure(f"database misuse: {exc}") from None
        except self.driver.Error as exc:
            raise DatabaseFailure(f"the database failed: {exc}") from None

    @contextlib.contextmanager
    def write(self) -> Iterator[Any]:
        """One write transaction (BEGIN IMMEDIATE … COMMIT, rolled back on any error)."""
        db = self.conn()
        with self.errors():
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        db = self.conn()
        with self.errors():
            return list(db.execute(sql, params).fetchall())

    def one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        db = self.conn()
        with self.errors():
            return db.execute(sql, params).fetchone()

    def checkpoint(self) -> None:
        """Checkpoint and truncate the WAL of a database on disk, so it lets go of deleted rows."""
        if self.path is not None:
            with self.errors():
                self.conn().execute("PRAGMA wal_checkpoint(TRUNCATE)")
