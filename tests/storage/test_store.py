"""The repository API: posts (duplicates, paging, sync queries), circles, DMs."""

from __future__ import annotations

import pytest

from messenger.storage import (
    CircleRecord,
    Direction,
    DirectMessageRecord,
    DmState,
    InvalidRecord,
    MembershipRecord,
    PostRecord,
    Store,
    StoreClosed,
    UnknownCircle,
)

from .helpers import ALICE, BOB, CIRCLE, OTHER_CIRCLE, circle, post, post_id


# -- posts --------------------------------------------------------------------------------
def test_duplicate_posts_are_refused_quietly(store: Store) -> None:
    first = post(1)
    assert store.add_post(first) is True
    assert store.add_post(first) is False  # same id
    same_seq = post(1, body="a different post claiming the same seq")
    assert same_seq.id != first.id
    assert store.add_post(same_seq) is False  # same (circle, author, seq)
    assert store.post_at(CIRCLE, ALICE, 1) == first
    assert store.posts_count(CIRCLE) == 1


def test_add_posts_is_one_batch_and_reports_the_new_ids(store: Store) -> None:
    store.add_post(post(2))
    batch = [post(1), post(2), post(3), post(3)]
    assert store.add_posts(batch) == [post(1).id, post(3).id]
    assert store.add_posts([]) == []
    assert store.posts_count(CIRCLE) == 3
    assert store.known_post_ids([post(1).id, post_id("nope"), post(3).id]) == {
        post(1).id,
        post(3).id,
    }


def test_a_bad_record_in_a_batch_stores_none_of_it(store: Store) -> None:
    with pytest.raises(InvalidRecord):
        store.add_posts([post(1), "not a post"])  # type: ignore[list-item]
    assert store.posts_count(CIRCLE) == 0


def test_post_for_an_unknown_circle(store: Store) -> None:
    with pytest.raises(UnknownCircle) as info:
        store.add_post(post(1, circle_id=b"never-joined"))
    assert info.value.code == "unknown_circle"
    with pytest.raises(UnknownCircle):
        store.add_posts([post(1), post(2, circle_id=b"never-joined")])
    assert store.posts_count(CIRCLE) == 0  # the whole batch rolled back


@pytest.mark.parametrize(
    "change",
    [
        {"id": b"short"},
        {"author_key": b"x" * 31},
        {"seq": -1},
        {"seq": 2**63},
        {"ts": 1.5},
        {"ts": True},
        {"body": b"bytes"},
        {"circle_id": b""},
        {"circle_id": b"x" * 65},
        {"reply_to": b"x"},
        {"content_warning": 3},
        {"hidden": 1},
        {"signed": "text"},
    ],
)
def test_records_check_their_shape(change: dict[str, object]) -> None:
    fields: dict[str, object] = {
        "id": post_id(1),
        "circle_id": CIRCLE,
        "author_key": ALICE,
        "seq": 1,
        "ts": 1,
        "received_at": 1,
        "body": "b",
        "signed": b"s",
    }
    fields.update(change)
    with pytest.raises(InvalidRecord):
        PostRecord(**fields)  # type: ignore[arg-type]


def test_record_repr_leaks_no_text() -> None:
    shown = repr(post(1, body="my secret words", content_warning="grief"))
    assert "secret" not in shown and "grief" not in shown and "envelope" not in shown


def test_paging_newest_first_with_a_stable_cursor(store: Store) -> None:
    # 25 posts, several sharing a timestamp, inserted out of order
    posts = [post(i, ts=1000 + i // 3) for i in range(25)]
    store.add_posts(reversed(posts))
    expected = sorted(posts, key=lambda p: (p.ts, p.id), reverse=True)
    pages, before = [], None
    for _ in range(10):
        page = store.newest_posts(CIRCLE, 7, before)
        if not page:
            break
        pages.append(page)
        before = (page[-1].ts, page[-1].id)
    assert [len(p) for p in pages] == [7, 7, 7, 4]
    assert [p for page in pages for p in page] == expected
    assert store.newest_posts(OTHER_CIRCLE, 7) == []
    assert store.newest_posts(CIRCLE, 0) == []


def test_hidden_posts(store: Store) -> None:
    store.add_posts([post(1), post(2)])
    assert store.set_post_hidden(post(2).id) is True
    assert store.set_post_hidden(post_id("missing")) is False
    assert [p.seq for p in store.newest_posts(CIRCLE)] == [2, 1]
    assert store.newest_posts(CIRCLE)[0].hidden is True
    assert [p.seq for p in store.newest_posts(CIRCLE, include_hidden=False)] == [1]
    assert store.delete_post(post(1).id) is True
    assert store.get_post(post(1).id) is None


def test_sync_queries(store: Store) -> None:
    store.add_posts([post(s) for s in (1, 2, 3, 7, 8, 12)])
    store.add_posts([post(s, author=BOB) for s in (0, 1)])
    assert store.high_water_marks(CIRCLE) == {ALICE: 12, BOB: 1}
    assert store.high_water_marks(OTHER_CIRCLE) == {}
    assert [p.seq for p in store.posts_after(CIRCLE, ALICE, 3)] == [7, 8, 12]
    assert [p.seq for p in store.posts_after(CIRCLE, ALICE, 3, limit=2)] == [7, 8]
    assert store.missing_seqs(CIRCLE, ALICE, 1) == [4, 5, 6, 9, 10, 11]
    assert store.missing_seqs(CIRCLE, ALICE, 0, 14) == [0, 4, 5, 6, 9, 10, 11, 13, 14]
    assert store.missing_seqs(CIRCLE, ALICE, 5, 9) == [5, 6, 9]
    assert store.missing_seqs(CIRCLE, ALICE, 1, limit=4) == [4, 5, 6, 9]
    assert store.missing_seqs(CIRCLE, BOB, 0) == []
    assert store.missing_seqs(CIRCLE, b"C" * 32, 1) == []
    assert store.missing_seqs(CIRCLE, b"C" * 32, 1, 3) == [1, 2, 3]
    assert store.missing_seqs(CIRCLE, ALICE, 20, 10) == []


# -- settings, circles, memberships, members -------------------------------------------
def test_settings_round_trip(store: Store) -> None:
    assert store.get_setting("theme") is None
    assert store.get_setting("theme", "light") == "light"
    store.set_setting("theme", "dark")
    store.set_setting("limits", {"retention_days": 30, "tags": ["a", "b"], "raw": b"\x00"})
    store.set_setting("theme", "high-contrast")
    assert store.settings() == {
        "limits": {"retention_days": 30, "tags": ["a", "b"], "raw": b"\x00"},
        "theme": "high-contrast",
    }
    assert store.delete_setting("theme") is True
    assert store.delete_setting("theme") is False
    with pytest.raises(InvalidRecord):
        store.set_setting("bad", object())
    with pytest.raises(InvalidRecord):
        store.set_setting("", 1)


def test_circles_crud(store: Store) -> None:
    second = CircleRecord(OTHER_CIRCLE, "Thursday", 5, b"rec2")
    store.save_circle(second)
    assert [c.id for c in store.circles()] == [CIRCLE, OTHER_CIRCLE]
    assert store.get_circle(OTHER_CIRCLE) == second
    assert store.set_circle_left(OTHER_CIRCLE) is True
    assert [c.id for c in store.circles(include_left=False)] == [CIRCLE]
    store.save_circle(CircleRecord(OTHER_CIRCLE, "Renamed", 5, b"rec3", left=True))
    got = store.get_circle(OTHER_CIRCLE)
    assert got is not None and got.name == "Renamed" and got.left and got.record == b"rec3"
    assert store.get_circle(b"unknown") is None


def test_deleting_a_circle_takes_everything_in_it(store: Store) -> None:
    store.save_circle(circle(OTHER_CIRCLE))
    store.save_membership(MembershipRecord(CIRCLE, b"private keys"))
    store.add_posts([post(1, body="marmalade"), post(1, circle_id=OTHER_CIRCLE)])
    store.add_dm(_dm(1))
    assert store.delete_circle(CIRCLE) is True
    assert store.get_membership(CIRCLE) is None
    assert store.posts_count(CIRCLE) == 0
    assert store.search(CIRCLE, "marmalade") == []
    assert store.get_dm(_dm(1).id) is None
    assert store.posts_count(OTHER_CIRCLE) == 1
    assert store.delete_circle(CIRCLE) is False
    assert store.integrity_problems() == []


def test_memberships(store: Store) -> None:
    store.save_membership(MembershipRecord(CIRCLE, b"one"))
    store.save_membership(MembershipRecord(CIRCLE, b"two"))
    assert store.get_membership(CIRCLE) == MembershipRecord(CIRCLE, b"two")
    assert store.memberships() == [MembershipRecord(CIRCLE, b"two")]
    assert store.delete_membership(CIRCLE) is True
    assert store.get_membership(CIRCLE) is None
    with pytest.raises(UnknownCircle):
        store.save_membership(MembershipRecord(b"elsewhere", b"x"))


# -- direct messages --------------------------------------------------------------------
def _dm(n: int, *, ts: int | None = None, peer: bytes = BOB) -> DirectMessageRecord:
    return DirectMessageRecord(
        id=post_id("dm", n),
        circle_id=CIRCLE,
        peer_key=peer,
        direction=Direction.OUT if n % 2 else Direction.IN,
        state=DmState.QUEUED if n % 2 else DmState.DELIVERED,
        ts=1000 + n if ts is None else ts,
        body=f"dm {n}",
        signed=b"sig",
    )


def test_direct_messages(store: Store) -> None:
    for n in range(1, 6):
        assert store.add_dm(_dm(n)) is True
    assert store.add_dm(_dm(1)) is False
    store.add_dm(_dm(9, peer=ALICE))
    page = store.dm_conversation(CIRCLE, BOB, 3)
    assert [m.body for m in page] == ["dm 5", "dm 4", "dm 3"]
    rest = store.dm_conversation(CIRCLE, BOB, 3, before=(page[-1].ts, page[-1].id))
    assert [m.body for m in rest] == ["dm 2", "dm 1"]
    assert store.dm_peers(CIRCLE) == [(ALICE, 1009), (BOB, 1005)]
    assert [m.id for m in store.dms_in_state(CIRCLE, DmState.QUEUED)] == [
        _dm(1).id,
        _dm(3).id,
        _dm(5).id,
        _dm(9).id,
    ]


def test_dm_state_only_moves_forward(store: Store) -> None:
    store.add_dm(_dm(1))  # queued
    assert store.set_dm_state(_dm(1).id, DmState.SENT) is True
    assert store.set_dm_state(_dm(1).id, DmState.SENT) is False
    assert store.set_dm_state(_dm(1).id, DmState.READ) is True
    assert store.set_dm_state(_dm(1).id, DmState.DELIVERED) is False  # late receipt
    assert store.set_dm_state(_dm(1).id, DmState.QUEUED) is False
    got = store.get_dm(_dm(1).id)
    assert got is not None and got.state is DmState.READ
    assert store.set_dm_state(post_id("none"), DmState.READ) is False


# -- life cycle -----------------------------------------------------------------------
def test_a_closed_store_says_so(store: Store) -> None:
    store.close()
    store.close()  # twice is fine
    assert store.closed
    with pytest.raises(StoreClosed) as info:
        store.newest_posts(CIRCLE)
    assert info.value.code == "store_closed"
    with pytest.raises(StoreClosed):
        store.add_post(post(1))


def test_high_water_marks_match_a_brute_force_count(store: Store) -> None:
    import random

    rng = random.Random(3)
    authors = [bytes([n]) * 32 for n in range(1, 31)]
    posts = [post(rng.randrange(200), author=rng.choice(authors)) for _ in range(1500)]
    store.save_circle(circle(OTHER_CIRCLE))
    store.add_post(post(999, author=authors[0], circle_id=OTHER_CIRCLE))
    store.add_posts(posts)
    expected: dict[bytes, int] = {}
    for p in posts:
        expected[p.author_key] = max(expected.get(p.author_key, -1), p.seq)
    assert store.high_water_marks(CIRCLE) == expected
