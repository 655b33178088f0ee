"""Encrypted storage: unlock, bulk insert, open a big conversation, search, small calls.

Every figure is SQLCipher (``sqlcipher3``, the real Store) beside the same Store code on the
stdlib ``sqlite3`` module, same schema, same pragmas (WAL, synchronous=FULL, secure_delete, 16 MiB
cache), same files system, same run: the ratio is the cost of encryption. The stdlib engine is
an older SQLite (3.40: no FTS5 secure-delete, which only changes deletes, and trusted_schema
left on, which its FTS5 triggers need).

Targets: unlock <= 1 s; newest 50 of 100,000 <= 20 ms; inserts <= 1.5x plain sqlite.
"""

from __future__ import annotations

import asyncio
import random
import secrets
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import sqlcipher3

from messenger.storage import (
    AsyncStore,
    CircleRecord,
    PostRecord,
    Store,
    create_profile,
    default_kdf_params,
    open_profile,
)
from messenger.storage.connection import configure, connect_encrypted

from .report import Report, best_of, median

N_POSTS = 100_000
BATCH = 1_000
AUTHORS = 12
CIRCLE = b"benchmark-circle"
PASSPHRASE = "benchmark passphrase, not secret"
_VOCABULARY = (
    "the a and to of I it was that in my we you is this for with not but so have had be at on "
    "feel felt week today group thanks listening hard better grief loss hope morning night "
    "sleep work family mother father friend walk garden coffee rain river talk quiet tired "
    "angry sorry proud small steps again remember meeting circle share honest kind patience "
    "lantern harbour"
)
WORDS = tuple(_VOCABULARY.split())


def _posts(n: int, seed: int = 7) -> list[PostRecord]:
    rng = random.Random(seed)
    authors = [rng.randbytes(32) for _ in range(AUTHORS)]
    seqs = [0] * AUTHORS
    out: list[PostRecord] = []
    ts = 1_700_000_000_000
    for i in range(n):
        a = i % AUTHORS
        seqs[a] += 1
        ts += rng.randint(1, 60_000)
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 40)))
        if i % 1000 == 0:
            body += " marmalade"  # a rare word: 100 hits in 100,000
        out.append(
            PostRecord(
                id=rng.randbytes(32),
                circle_id=CIRCLE,
                author_key=authors[a],
                seq=seqs[a],
                ts=ts,
                received_at=ts + 120,
                body=body,
                signed=rng.randbytes(96) + body.encode(),
            )
        )
    return out


def _plain_store(path: Path) -> Store:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=True)
    configure(conn, sqlite3, in_memory=False)
    conn.execute("PRAGMA trusted_schema = ON")  # its older FTS5 is not marked innocuous
    return Store(conn, path=path.parent, driver=sqlite3)


def _unkeyed_store(path: Path) -> Store:
    """The same sqlcipher3 build with no key: its engine and binding, without encryption."""
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=True)
    configure(conn, sqlcipher3, in_memory=False)
    return Store(conn, path=path.parent, driver=sqlcipher3)


def _cipher_store(path: Path, key: bytearray) -> Store:
    return Store(connect_encrypted(path, bytearray(key)), path=path.parent)


def _circle(store: Store) -> None:
    store.save_circle(CircleRecord(CIRCLE, "bench", 1, b"\x80"))


def _insert_interleaved(stores: list[Store], posts: list[PostRecord]) -> list[float]:
    """Insert every batch into each store in turn (rotating who goes first), so that a machine
    shared with other work slows all of them alike; returns each store's total seconds."""
    totals = [0.0] * len(stores)
    for n, i in enumerate(range(0, len(posts), BATCH)):
        batch = posts[i : i + BATCH]
        for k in range(len(stores)):
            which = (n + k) % len(stores)
            start = time.perf_counter()
            stores[which].add_posts(batch)
            totals[which] += time.perf_counter() - start
    return totals


def _ms_median(fn: Callable[[], object], n: int = 30) -> float:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return median(samples) * 1000


def run(report: Report) -> None:
    with tempfile.TemporaryDirectory(prefix="hearth-bench-") as tmp:
        _run(report, Path(tmp))


def _run(report: Report, root: Path) -> None:
    posts = _posts(N_POSTS)
    key = bytearray(secrets.token_bytes(32))
    for name in ("cipher", "plain", "unkeyed"):
        (root / name).mkdir()
    cipher_db, plain_db = root / "cipher" / "hearth.db", root / "plain" / "hearth.db"
    unkeyed_db = root / "unkeyed" / "hearth.db"
    report.note(
        "SQLCipher 4 defaults (AES-256-CBC + HMAC-SHA512 per 4096-byte page; raw key, so no "
        "KDF at open), WAL, synchronous=FULL, secure_delete, 16 MiB page cache"
    )
    _engine(report)

    # -- bulk insert ----------------------------------------------------------------------
    report.note(f"inserting {N_POSTS:,} posts, {BATCH:,} per transaction, FTS triggers on")
    cipher = _cipher_store(cipher_db, key)
    plain = _plain_store(plain_db)
    unkeyed = _unkeyed_store(unkeyed_db)
    for store in (cipher, plain, unkeyed):
        _circle(store)
    t_cipher, t_plain, t_unkeyed = _insert_interleaved([cipher, plain, unkeyed], posts)
    report.compare(
        "insert 100k posts (batches of 1000)",
        N_POSTS / t_cipher,
        "posts/s",
        "sqlite3",
        N_POSTS / t_plain,
        target="ratio >= 0.67 (<= 1.5x the time)",
    )
    report.compare(
        "  the same, encryption alone (same engine)",
        N_POSTS / t_cipher,
        "posts/s",
        "sqlcipher3 no key",
        N_POSTS / t_unkeyed,
        target="ratio >= 0.67 (<= 1.5x the time)",
    )
    for store in (cipher, plain, unkeyed):
        store.close()
    size_c, size_p = cipher_db.stat().st_size, plain_db.stat().st_size
    report.compare(
        "database size", size_c / 1e6, "MB", "sqlite3", size_p / 1e6, higher_is_better=False
    )

    # -- open a conversation of 100,000 and show the newest 50 (cold: fresh connection) ----
    def cold_cipher() -> None:
        s = _cipher_store(cipher_db, key)
        s.newest_posts(CIRCLE, 50)
        s.close()

    def cold_plain() -> None:
        s = _plain_store(plain_db)
        s.newest_posts(CIRCLE, 50)
        s.close()

    report.compare(
        "open + newest 50 of 100k (cold connection)",
        _ms_median(cold_cipher, 10),
        "ms",
        "sqlite3",
        _ms_median(cold_plain, 10),
        higher_is_better=False,
        target="<= 20 ms",
    )
    cipher = _cipher_store(cipher_db, key)
    plain = _plain_store(plain_db)
    newest_c = _ms_median(lambda: cipher.newest_posts(CIRCLE, 50))
    newest_p = _ms_median(lambda: plain.newest_posts(CIRCLE, 50))
    report.compare("newest 50 of 100k (open store)", newest_c, "ms", "sqlite3", newest_p,
                   higher_is_better=False, target="<= 20 ms")  # fmt: skip
    page = cipher.newest_posts(CIRCLE, 50, (posts[50_000].ts, posts[50_000].id))
    assert len(page) == 50
    before = (posts[50_000].ts, posts[50_000].id)
    report.compare(
        "a page of 50 from the middle (keyset)",
        _ms_median(lambda: cipher.newest_posts(CIRCLE, 50, before)),
        "ms",
        "sqlite3",
        _ms_median(lambda: plain.newest_posts(CIRCLE, 50, before)),
        higher_is_better=False,
    )
    report.compare(
        "posts_count of 100k",
        _ms_median(lambda: cipher.posts_count(CIRCLE), 10),
        "ms",
        "sqlite3",
        _ms_median(lambda: plain.posts_count(CIRCLE), 10),
        higher_is_better=False,
    )
    report.compare(
        "high_water_marks (12 authors, 100k posts)",
        _ms_median(lambda: cipher.high_water_marks(CIRCLE), 10),
        "ms",
        "sqlite3",
        _ms_median(lambda: plain.high_water_marks(CIRCLE), 10),
        higher_is_better=False,
    )

    # -- search ---------------------------------------------------------------------------
    assert len(cipher.search(CIRCLE, "marmalade", 500)) == 100
    queries = (
        ("rare word (100 hits)", "marmalade"),
        ("two words, ~8,500 hits", "hope gard"),
        ("one word in ~28% of posts", "the"),
    )
    for label, query in queries:
        report.compare(
            f"FTS search, {label}, newest 50",
            _ms_median(lambda q=query: cipher.search(CIRCLE, q, 50), 10),  # type: ignore[misc]
            "ms",
            "sqlite3",
            _ms_median(lambda q=query: plain.search(CIRCLE, q, 50), 10),  # type: ignore[misc]
            higher_is_better=False,
        )

    # -- small calls: can the UI make them directly? ---------------------------------------
    extra = _posts(200, seed=99)
    it_c, it_p = iter(extra[:100]), iter(extra[100:])
    one_c = _ms_median(lambda: cipher.add_post(next(it_c)), 100)
    one_p = _ms_median(lambda: plain.add_post(next(it_p)), 100)
    report.compare("insert one post (own transaction + fsync)", one_c, "ms", "sqlite3", one_p,
                   higher_is_better=False)  # fmt: skip

    # -- retention ------------------------------------------------------------------------
    cutoff = posts[10_000].ts
    start = time.perf_counter()
    purged = cipher.purge_older_than(CIRCLE, cutoff).posts
    t_purge_c = time.perf_counter() - start
    start = time.perf_counter()
    plain.purge_older_than(CIRCLE, cutoff)
    t_purge_p = time.perf_counter() - start
    report.compare(f"purge the oldest {purged:,} posts (secure delete)", t_purge_c * 1000, "ms",
                   "sqlite3", t_purge_p * 1000, higher_is_better=False)  # fmt: skip
    cipher.close()
    plain.close()
    _async_calls(report, cipher_db, key)

    # -- unlock ---------------------------------------------------------------------------
    _unlock(report, root, plain_db)


def _engine(report: Report) -> None:
    """Raw engine speed of the two builds, with no encryption and no Python per row."""
    sql = (
        "INSERT INTO t (b, c) WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r"
        " WHERE i < 300000) SELECT randomblob(32), 'hello world ' || i FROM r"
    )

    def once(driver: object) -> float:
        conn = driver.connect(":memory:", isolation_level=None)  # type: ignore[attr-defined]
        conn.execute("CREATE TABLE t (a INTEGER PRIMARY KEY, b BLOB, c TEXT)")
        start = time.perf_counter()
        conn.execute(sql)
        elapsed = time.perf_counter() - start
        conn.close()
        return elapsed

    report.compare(
        "engine alone: 300k-row INSERT..SELECT in memory",
        min(once(sqlcipher3) for _ in range(3)) * 1000,
        "ms",
        "sqlite3",
        min(once(sqlite3) for _ in range(3)) * 1000,
        higher_is_better=False,
    )
    report.note(
        f"(no encryption in that row: it compares the sqlcipher3 build, SQLite "
        f"{sqlcipher3.sqlite_version}, with the stdlib's SQLite {sqlite3.sqlite_version})"
    )


def _async_calls(report: Report, cipher_db: Path, key: bytearray) -> None:
    extra = iter(_posts(1100, seed=123))

    async def measure() -> tuple[float, float, float]:
        store = await AsyncStore.open(lambda: _cipher_store(cipher_db, key))
        try:
            loop_lag: list[float] = []
            newest: list[float] = []
            inserts: list[float] = []
            for _ in range(30):
                start = time.perf_counter()
                await store.newest_posts(CIRCLE, 50)
                newest.append(time.perf_counter() - start)
                start = time.perf_counter()
                await store.add_post(next(extra))
                inserts.append(time.perf_counter() - start)
            # how late does the loop run a 1 ms timer while a 1000-post batch is written?
            batch = [next(extra) for _ in range(BATCH)]
            job = asyncio.ensure_future(store.add_posts(batch))
            while not job.done():
                start = time.perf_counter()
                await asyncio.sleep(0.001)
                loop_lag.append(time.perf_counter() - start - 0.001)
            await job
            return median(newest) * 1000, median(inserts) * 1000, max(loop_lag) * 1000
        finally:
            await store.close()

    newest_ms, insert_ms, lag_ms = asyncio.run(measure())
    report.figure("via AsyncStore: newest 50 (await round trip)", newest_ms, "ms")
    report.figure("via AsyncStore: insert one post", insert_ms, "ms")
    report.figure("event loop lag during a 1000-post batch", lag_ms, "ms (max)")


def _unlock(report: Report, root: Path, plain_db: Path) -> None:
    params = default_kdf_params()
    profile = root / "profile"
    store = create_profile(profile, PASSPHRASE)
    _circle(store)
    store.add_posts(_posts(1000, seed=5))
    store.close()
    report.note(f"unlock with the default Argon2id limits: ops={params.opslimit}, "
                f"mem={params.memlimit // (1 << 20)} MiB")  # fmt: skip

    def unlock() -> None:
        s = open_profile(profile, PASSPHRASE)
        s.newest_posts(CIRCLE, 50)
        s.close()

    def plain_open() -> None:
        s = _plain_store(plain_db)
        s.newest_posts(CIRCLE, 50)
        s.close()

    samples = [best_of(unlock, 1) for _ in range(3)]
    report.compare(
        "unlock: Argon2id + open + first query",
        statistics.median(samples),
        "s",
        "sqlite3 open + first query",
        best_of(plain_open, 3),
        higher_is_better=False,
        target="<= 1 s",
    )
