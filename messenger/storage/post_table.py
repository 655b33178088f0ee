"""The posts table: storing signed posts and acts, reading a circle's timeline a page at a time,
and what sync asks of it (each author's high-water mark, the posts after it, the gaps).

A post is unique by id and by (circle, author, seq); acts (reactions, retractions) are rows of
the same table with a non-empty ``kind`` and never part of the timeline.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .database import MAX_PAGE, Cursor, Database, page_limit
from .errors import InvalidRecord
from .records import PostRecord

MAX_SEQS = 10_000

POST_COLUMNS = (
    "id, circle_id, author_key, seq, ts, received_at, body, signed, reply_to, content_warning,"
    " hidden, kind"
)
_INSERT_POST = (
    "INSERT OR IGNORE INTO posts (id, circle_id, author_key, seq, ts, received_at, body,"
    " signed, reply_to, content_warning, hidden, kind)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def post_from_row(row: Sequence[Any]) -> PostRecord:
    """The record for a row read as :data:`POST_COLUMNS`."""
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


# -- storing ----------------------------------------------------------------------------------
def add_post(database: Database, post: PostRecord) -> bool:
    """Store a post; False if it is a duplicate (same id, or same circle/author/seq)."""
    params = _post_params(post)
    with database.write() as db:
        return bool(db.execute(_INSERT_POST, params).rowcount == 1)


def add_posts(database: Database, posts: Iterable[PostRecord]) -> list[bytes]:
    """Store a batch in one transaction; returns the ids that were new, in batch order."""
    batch = [_post_params(post) for post in posts]
    added: list[bytes] = []
    if not batch:
        return added
    with database.write() as db:
        for params in batch:
            if db.execute(_INSERT_POST, params).rowcount == 1:
                added.append(params[0])
    return added


def set_post_hidden(database: Database, post_id: bytes, hidden: bool = True) -> bool:
    with database.write() as db:
        cur = db.execute("UPDATE posts SET hidden = ? WHERE id = ?", (int(hidden), post_id))
        return bool(cur.rowcount)


def delete_post(database: Database, post_id: bytes) -> bool:
    with database.write() as db:
        return bool(db.execute("DELETE FROM posts WHERE id = ?", (post_id,)).rowcount)


def retract_post(database: Database, post_id: bytes) -> bool:
    """Delete a post its author retracted: its row, its words in the search index (FTS5
    secure-delete) and the freed pages (zeroed), then checkpoint so the WAL lets go too."""
    with database.write() as db:
        gone = bool(db.execute("DELETE FROM posts WHERE id = ?", (post_id,)).rowcount)
    if gone:
        database.checkpoint()
    return gone


# -- reading ----------------------------------------------------------------------------------
def get_post(database: Database, post_id: bytes) -> PostRecord | None:
    row = database.one(f"SELECT {POST_COLUMNS} FROM posts WHERE id = ?", (post_id,))
    return None if row is None else post_from_row(row)


def known_post_ids(database: Database, post_ids: Iterable[bytes]) -> set[bytes]:
    """Which of ``post_ids`` are stored already."""
    wanted = list(dict.fromkeys(post_ids))
    known: set[bytes] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        known.update(
            r[0] for r in database.read(f"SELECT id FROM posts WHERE id IN ({marks})", chunk)
        )
    return known


def newest_posts(
    database: Database,
    circle_id: bytes,
    limit: int = 50,
    before: Cursor | None = None,
    *,
    include_hidden: bool = True,
) -> list[PostRecord]:
    """A page of a circle's posts, newest first, older than ``before`` = ``(ts, id)`` if given.
    Acts (reactions, retractions) are not posts of the timeline: see :func:`acts_on`.

    To page back, pass ``(last.ts, last.id)`` of the last post of the previous page.
    """
    sql = f"SELECT {POST_COLUMNS} FROM posts WHERE circle_id = ? AND kind = ''"
    params: list[Any] = [circle_id]
    if before is not None:
        sql += " AND (ts, id) < (?, ?)"
        params += [before[0], before[1]]
    if not include_hidden:
        sql += " AND hidden = 0"
    sql += " ORDER BY ts DESC, id DESC LIMIT ?"
    params.append(page_limit(limit))
    return [post_from_row(r) for r in database.read(sql, params)]


def posts_count(database: Database, circle_id: bytes) -> int:
    return int(
        database.one("SELECT count(*) FROM posts WHERE circle_id = ? AND kind = ''", (circle_id,))[
            0
        ]
    )


def acts_on(database: Database, circle_id: bytes, targets: Iterable[bytes]) -> list[PostRecord]:
    """The reactions and retractions stored for any of ``targets``, in seq order per author
    (through the reply index: a few seeks per target, never a walk of the circle)."""
    wanted = list(dict.fromkeys(targets))
    found: list[PostRecord] = []
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found += [
            post_from_row(r)
            for r in database.read(
                f"SELECT {POST_COLUMNS} FROM posts INDEXED BY posts_by_target"
                f" WHERE circle_id = ? AND reply_to IN ({marks}) AND kind <> ''",
                [circle_id, *chunk],
            )
        ]
    found.sort(key=lambda r: (r.author_key, r.seq))  # the index gives target order
    return found


# -- what sync asks ---------------------------------------------------------------------------
def high_water_marks(database: Database, circle_id: bytes) -> dict[bytes, int]:
    """For each author in the circle, the highest seq stored.

    A skip-scan of the (circle_id, author_key, seq) index: a few seeks per author instead of
    reading every post's index entry (it runs on every reconnect).
    """
    rows = database.read(
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
    database: Database, circle_id: bytes, author_key: bytes, seq: int, limit: int = MAX_PAGE
) -> list[PostRecord]:
    """An author's posts with a seq above ``seq``, in seq order (what a peer lacks)."""
    rows = database.read(
        f"SELECT {POST_COLUMNS} FROM posts WHERE circle_id = ? AND author_key = ?"
        " AND seq > ? ORDER BY seq LIMIT ?",
        (circle_id, author_key, seq, page_limit(limit)),
    )
    return [post_from_row(r) for r in rows]


def post_index(database: Database, circle_id: bytes) -> list[tuple[bytes, bytes, int, int]]:
    """Every stored post of the circle as (id, author, seq, ts), bodies left out."""
    rows = database.read(
        "SELECT id, author_key, seq, ts FROM posts WHERE circle_id = ?", (circle_id,)
    )
    return [(bytes(r[0]), bytes(r[1]), int(r[2]), int(r[3])) for r in rows]


def retractions(database: Database, circle_id: bytes) -> list[tuple[bytes, bytes]]:
    """Every stored retraction of the circle as (the post it names, its author)."""
    rows = database.read(
        "SELECT reply_to, author_key FROM posts"
        " WHERE circle_id = ? AND kind = 'retract' AND reply_to IS NOT NULL",
        (circle_id,),
    )
    return [(bytes(r[0]), bytes(r[1])) for r in rows]


def post_at(database: Database, circle_id: bytes, author_key: bytes, seq: int) -> PostRecord | None:
    """The post an author numbered ``seq`` (to spot a second, different post with one seq)."""
    row = database.one(
        f"SELECT {POST_COLUMNS} FROM posts WHERE circle_id = ? AND author_key = ? AND seq = ?",
        (circle_id, author_key, seq),
    )
    return None if row is None else post_from_row(row)


def missing_seqs(
    database: Database,
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
        row = database.one(
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
    lowest = database.one(f"SELECT min(seq) FROM posts WHERE {where}", params)[0]
    gaps: list[tuple[int, int]] = []
    if lowest is None:
        gaps.append((first, last))
    else:
        if lowest > first:
            gaps.append((first, int(lowest) - 1))
        rows = database.read(
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
