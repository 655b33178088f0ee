"""Full-text search over a circle's history, and retention purges that reach the index too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from messenger.storage import Store, open_ephemeral
from messenger.storage.fts import fts_query

from .helpers import BOB, CIRCLE, OTHER_CIRCLE, circle, post

BODIES = [
    "We met at the café on Tuesday",
    "Привет всем, как дела?",
    "Καλημέρα από την Αθήνα",
    'She said "it gets easier" and I believed her',
    "don't give up; NEAR the end AND OR NOT",
    "column:body * ^ - + ( ) {braces}",
    "the garden was peaceful",
    "Gardening helps me a lot",
]


@pytest.fixture
def searchable(store: Store) -> Store:
    store.save_circle(circle(OTHER_CIRCLE))
    store.add_posts([post(i, body=b) for i, b in enumerate(BODIES)])
    store.add_post(post(0, circle_id=OTHER_CIRCLE, body="the garden in the other circle"))
    return store


def _seqs(store: Store, query: str) -> list[int]:
    return sorted(p.seq for p in store.search(CIRCLE, query))


def test_words_match_regardless_of_case_and_diacritics(searchable: Store) -> None:
    assert _seqs(searchable, "cafe") == [0]
    assert _seqs(searchable, "CAFÉ tuesday") == [0]
    assert _seqs(searchable, "привет") == [1]
    assert _seqs(searchable, "ДЕЛА") == [1]
    assert _seqs(searchable, "ΚΑΛΗΜΈΡΑ") == [2]  # (diacritics are folded for Latin only)


def test_every_word_must_match_and_the_last_is_a_prefix(searchable: Store) -> None:
    assert _seqs(searchable, "gardening") == [7]
    assert _seqs(searchable, "garden") == [6, 7]
    assert _seqs(searchable, "gard") == [6, 7]
    assert _seqs(searchable, "gard peace") == []  # only the last word is a prefix
    assert _seqs(searchable, "the gard") == [6]
    assert _seqs(searchable, "garden nothing-like-this") == []


def test_search_stays_inside_one_circle(searchable: Store) -> None:
    assert _seqs(searchable, "garden") == [6, 7]
    assert [p.seq for p in searchable.search(OTHER_CIRCLE, "garden")] == [0]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"it gets easier"', [3]),
        ('"it gets', [3]),
        ('said "it', [3]),
        ("don't", [4]),
        ("NEAR AND", [4]),
        ("OR", [4]),
        ("NOT", [4]),
        ("column:body", [5]),
        ("{braces}", [5]),
        ("(", []),
        ("*", []),
        ('"', []),
        ('""""', []),
        ("   ", []),
        ("", []),
        ("^-+", []),
        ("café\x00", [0]),
    ],
)
def test_user_input_is_never_fts_syntax(searchable: Store, query: str, expected: list[int]) -> None:
    assert _seqs(searchable, query) == expected


@pytest.fixture(scope="module")
def memory_store() -> Iterator[Store]:
    store = open_ephemeral()
    store.save_circle(circle())
    store.add_posts([post(i, body=b) for i, b in enumerate(BODIES)])
    yield store
    store.close()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=st.text(max_size=80))
def test_no_text_makes_search_raise(memory_store: Store, query: str) -> None:
    memory_store.search(CIRCLE, query)
    built = fts_query(query)
    assert built is None or built.count('"') % 2 == 0


def test_results_are_newest_first_and_limited(store: Store) -> None:
    store.add_posts([post(i, body=f"river stone {i}") for i in range(30)])
    found = store.search(CIRCLE, "river", limit=5)
    assert [p.seq for p in found] == [29, 28, 27, 26, 25]
    assert len(store.search(CIRCLE, "stone", limit=100)) == 30


def test_hidden_posts_are_not_found_unless_asked(searchable: Store) -> None:
    searchable.set_post_hidden(post(6, body=BODIES[6]).id)
    assert _seqs(searchable, "peaceful") == []
    assert [p.seq for p in searchable.search(CIRCLE, "peaceful", include_hidden=True)] == [6]


def test_content_warnings_are_searchable(store: Store) -> None:
    store.add_post(post(1, body="long story", content_warning="loss of a parent"))
    assert _seqs(store, "parent") == [1]


def test_deleted_posts_leave_the_index(searchable: Store) -> None:
    searchable.delete_post(post(6, body=BODIES[6]).id)
    assert _seqs(searchable, "peaceful") == []
    assert _seqs(searchable, "garden") == [7]
    _fts_integrity(searchable)


def test_retention_purge_removes_posts_messages_and_index_entries(store: Store) -> None:
    from .test_store import _dm

    store.save_circle(circle(OTHER_CIRCLE))
    store.add_posts([post(i, ts=1000 * i, body=f"lantern {i}") for i in range(1, 11)])
    store.add_post(post(1, ts=1000, circle_id=OTHER_CIRCLE, body="lantern elsewhere"))
    store.add_dm(_dm(1, ts=500))
    store.add_dm(_dm(2, ts=9000))
    result = store.purge_older_than(CIRCLE, 6000)
    assert (result.posts, result.direct_messages) == (5, 1)
    assert store.posts_count(CIRCLE) == 5
    assert sorted(p.seq for p in store.search(CIRCLE, "lantern")) == [6, 7, 8, 9, 10]
    assert store.search(CIRCLE, "lantern 3") == []
    assert [p.seq for p in store.search(OTHER_CIRCLE, "lantern")] == [1]  # other circle kept
    assert [m.id for m in store.dm_conversation(CIRCLE, BOB)] == [_dm(2).id]
    assert store.purge_older_than(CIRCLE, 6000).posts == 0
    _fts_integrity(store)
    assert store.integrity_problems() == []


def test_fts_secure_delete_is_on(store: Store) -> None:
    rows = dict(store._db().execute("SELECT k, v FROM posts_fts_config").fetchall())
    assert rows.get("secure-delete") == 1


def _fts_integrity(store: Store) -> None:
    store._db().execute("INSERT INTO posts_fts (posts_fts, rank) VALUES ('integrity-check', 1)")


@pytest.mark.parametrize("probe", [500, 10_000])  # the many-hits plan, and the few-hits plan
def test_both_search_plans_agree(monkeypatch: pytest.MonkeyPatch, probe: int) -> None:
    from messenger.storage import search as search_module

    monkeypatch.setattr(search_module, "SEARCH_PROBE", probe)
    memory = open_ephemeral()
    memory.save_circle(circle())
    memory.save_circle(circle(OTHER_CIRCLE))
    mine = [
        post(i, ts=10_000 - i * 7 % 1000, body=f"river {i}", hidden=i % 5 == 0) for i in range(700)
    ]
    memory.add_posts(mine)
    memory.add_posts([post(i, circle_id=OTHER_CIRCLE, ts=20_000, body="river") for i in range(50)])
    expected = sorted((p for p in mine if not p.hidden), key=lambda p: (p.ts, p.id), reverse=True)
    assert memory.search(CIRCLE, "river", limit=60) == expected[:60]
    with_hidden = sorted(mine, key=lambda p: (p.ts, p.id), reverse=True)
    assert memory.search(CIRCLE, "river", limit=60, include_hidden=True) == with_hidden[:60]
    memory.close()


def _index_bytes(store: Store) -> bytes:
    return b"".join(bytes(r[0]) for r in store._db().execute("SELECT block FROM posts_fts_data"))


@pytest.mark.parametrize("purged", [5, 250])  # secure-delete row by row, and the bulk rewrite
def test_purged_words_leave_the_index_physically(store: Store, purged: int) -> None:
    _no_automerge(store)  # so that no lucky merge does the scrubbing for us
    old = [post(i, ts=i, body=f"xylophonequartz entry {i}") for i in range(purged)]
    new = [post(i, ts=10_000 + i, body=f"ordinary entry {i}") for i in range(purged, 300)]
    store.add_posts(old + new)
    assert b"xylophonequartz" in _index_bytes(store)  # the check can see a term
    assert store.purge_older_than(CIRCLE, 10_000).posts == purged
    assert b"xylophonequartz" not in _index_bytes(store)
    assert store.search(CIRCLE, "xylophonequartz") == []
    assert len(store.search(CIRCLE, "ordinary", limit=1000)) == 300 - purged
    _fts_integrity(store)
    rows = dict(store._db().execute("SELECT k, v FROM posts_fts_config").fetchall())
    assert rows.get("secure-delete") == 1  # switched back on after a bulk purge


def test_without_scrubbing_a_deleted_word_would_stay_in_the_index(store: Store) -> None:
    _no_automerge(store)
    store._db().execute("INSERT INTO posts_fts (posts_fts, rank) VALUES ('secure-delete', 0)")
    store.add_posts([post(i, body=f"xylophonequartz {i}") for i in range(5)])
    store.add_posts([post(i, body="ordinary") for i in range(5, 10)])
    store._db().execute("DELETE FROM posts WHERE body LIKE 'xylophonequartz%'")
    assert store.search(CIRCLE, "xylophonequartz") == []
    assert b"xylophonequartz" in _index_bytes(store)  # what the tests above rule out


def _no_automerge(store: Store) -> None:
    store._db().execute("INSERT INTO posts_fts (posts_fts, rank) VALUES ('automerge', 0)")


def test_deleting_a_big_circle_leaves_no_index_trace(store: Store) -> None:
    _no_automerge(store)
    store.save_circle(circle(OTHER_CIRCLE))
    store.add_posts([post(i, body=f"xylophonequartz {i}") for i in range(200)])
    store.add_posts([post(i, circle_id=OTHER_CIRCLE, body="kept") for i in range(10)])
    store.delete_circle(CIRCLE)
    assert b"xylophonequartz" not in _index_bytes(store)
    assert len(store.search(OTHER_CIRCLE, "kept")) == 10
    _fts_integrity(store)
