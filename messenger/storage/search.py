"""The posts' full-text index: finding a circle's posts by their words, and forgetting posts so
that none of their words stay behind in the index.

The index (``posts_fts``, FTS5, kept in step with ``posts`` by the schema's triggers) runs with
``secure-delete``; :func:`forget_posts` switches it off for large batches and rewrites the index
instead. What a person types becomes an FTS5 query in :mod:`.fts`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .database import Database, page_limit
from .fts import fts_query
from .post_table import POST_COLUMNS, post_from_row
from .records import PostRecord

SEARCH_PROBE = 500  # index hits above which search walks the timeline instead
_BULK_DELETE_MIN = 64  # posts deleted at once above which the search index is rewritten


def search(
    database: Database,
    circle_id: bytes,
    query: str,
    limit: int = 50,
    *,
    include_hidden: bool = False,
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
    hits = database.one(
        "SELECT count(*) FROM (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ? LIMIT ?)",
        (match, SEARCH_PROBE),
    )[0]
    if hits < SEARCH_PROBE:
        sql = (
            f"SELECT {POST_COLUMNS} FROM posts WHERE rid IN ("
            " SELECT p.rid FROM posts_fts CROSS JOIN posts AS p ON p.rid = posts_fts.rowid"
            f" WHERE posts_fts MATCH ?1 AND p.circle_id = ?2 AND p.kind = ''"
            f"{hidden.replace(' h', ' p.h')}"
            " ORDER BY p.ts DESC, p.id DESC LIMIT ?3)"
            " ORDER BY ts DESC, id DESC"
        )
    else:
        sql = (
            f"SELECT {POST_COLUMNS} FROM posts WHERE circle_id = ?2 AND kind = ''"
            f" AND rid IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?1){hidden}"
            " ORDER BY ts DESC, id DESC LIMIT ?3"
        )
    return [post_from_row(r) for r in database.read(sql, (match, circle_id, page_limit(limit)))]


def forget_posts(database: Database, where: str, params: Sequence[Any]) -> int:
    """Delete posts so that no trace of them stays in the search index either; returns how many.

    Call it inside a :meth:`~.database.Database.write` transaction. FTS5 ``secure-delete``
    scrubs each deleted row from the index at commit, at about a millisecond per post; past a
    threshold it is cheaper to switch it off for the batch and rewrite the whole index
    (``optimize`` merges every segment into one, dropping deleted entries), which costs time in
    proportion to the index. The freed pages are zeroed by ``PRAGMA secure_delete`` either way.
    """
    db = database.conn()
    count = int(db.execute(f"SELECT count(*) FROM posts WHERE {where}", params).fetchone()[0])
    if count == 0:
        return 0
    newest_rid = db.execute("SELECT max(rid) FROM posts").fetchone()[0] or 0
    bulk = count > max(_BULK_DELETE_MIN, int(newest_rid) // 200)
    if bulk:
        _fts_secure_delete(database, False)
    db.execute(f"DELETE FROM posts WHERE {where}", params)
    if bulk:
        db.execute("INSERT INTO posts_fts (posts_fts) VALUES ('optimize')")
        _fts_secure_delete(database, True)
    return count


def _fts_secure_delete(database: Database, on: bool) -> None:
    if not database.sqlcipher:
        return  # the benchmark's older stdlib engine has no such option
    database.conn().execute(
        "INSERT INTO posts_fts (posts_fts, rank) VALUES ('secure-delete', ?)", (int(on),)
    )
