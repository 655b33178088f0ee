"""The conversation model: paging over a long history, live posts without duplicates, updates."""

from __future__ import annotations

import bisect
from dataclasses import replace

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from messenger.views import DeliveryState, PostView
from ui.models.conversation import ConversationModel, PostRole, sort_key
from ui.sample_data import generated_posts, post_id
from ui.widgets.conversation_view import ConversationView

HISTORY = 100_000
PAGE = 500


class PageSource:
    """A history of posts (oldest first) served in pages, as the core's store would."""

    def __init__(self, posts: list[PostView]) -> None:
        self.posts = posts
        self.keys = [sort_key(p) for p in posts]
        self.requests = 0

    def newest(self, limit: int) -> tuple[list[PostView], bool]:
        start = max(0, len(self.posts) - limit)
        return self.posts[start:], start > 0

    def before(self, post: PostView, limit: int) -> tuple[list[PostView], bool]:
        self.requests += 1
        end = bisect.bisect_left(self.keys, sort_key(post))
        start = max(0, end - limit)
        return self.posts[start:end], start > 0


@pytest.fixture(scope="module")
def history() -> list[PostView]:
    return list(generated_posts(HISTORY))


def test_pages_through_100000_posts_in_order(history: list[PostView]) -> None:
    source = PageSource(history)
    model = ConversationModel()
    model.fetchOlder.connect(lambda before: model.prepend_page(*source.before(before, PAGE)))
    model.reset(*source.newest(PAGE))
    assert model.rowCount() == PAGE and model.has_older
    for _ in range(HISTORY // PAGE + 5):  # bounded: one page per round
        if not model.canFetchMore(QModelIndex()):
            break
        model.fetchMore(QModelIndex())
    assert model.rowCount() == HISTORY
    assert not model.has_older and not model.canFetchMore(QModelIndex())
    assert source.requests == HISTORY // PAGE - 1
    assert model.post_at(0) == history[0] and model.post_at(HISTORY - 1) == history[-1]
    ids = [model.post_at(r).id for r in range(0, HISTORY, 997)]
    assert ids == [history[r].id for r in range(0, HISTORY, 997)]
    assert model.row_of(history[54_321].id) == 54_321


def test_asks_once_per_page_and_only_when_the_gate_is_open() -> None:
    posts = list(generated_posts(50))
    model = ConversationModel()
    asked: list[PostView] = []
    model.fetchOlder.connect(asked.append)
    model.reset(posts[25:], has_older=True)
    near_top = [False]
    model.set_fetch_gate(lambda: near_top[0])
    assert not model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert asked == []
    near_top[0] = True
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())  # a request is pending: not asked twice
    assert asked == [posts[25]] and model.fetch_pending
    assert model.prepend_page(posts[:25], has_older=False) == 25
    assert not model.fetch_pending and not model.canFetchMore(QModelIndex())


def test_live_posts_append_and_are_never_shown_twice() -> None:
    posts = list(generated_posts(30))
    model = ConversationModel()
    model.reset(posts[:20], has_older=False)
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    for post in posts[20:]:
        assert model.add_post(post)
    assert inserted == [(r, r) for r in range(20, 30)]
    # The same posts again (a relay, a sync after reconnecting): no new rows.
    for post in posts:
        assert not model.add_post(post)
    assert model.rowCount() == 30
    # A page that overlaps what is held adds only the missing ones.
    assert model.prepend_page(posts[:25], has_older=False) == 0
    assert [model.post_at(r).id for r in range(30)] == [p.id for p in posts]


def test_a_late_synced_post_lands_in_time_order() -> None:
    posts = list(generated_posts(10))
    model = ConversationModel()
    model.reset([p for i, p in enumerate(posts) if i != 4], has_older=False)
    assert model.add_post(posts[4])
    assert model.row_of(posts[4].id) == 4
    assert [model.post_at(r) for r in range(10)] == posts


def test_delivery_state_and_hidden_flag_update_by_id() -> None:
    posts = list(generated_posts(10))
    model = ConversationModel()
    model.reset(posts, has_older=False)
    changes: list[int] = []
    model.dataChanged.connect(lambda top, _bottom, _roles: changes.append(top.row()))
    target = posts[6]
    assert model.update_state(target.id, DeliveryState.FAILED)
    assert model.post_at(6).state is DeliveryState.FAILED
    assert model.data(model.index(6), PostRole.STATE) is DeliveryState.FAILED
    assert model.set_hidden(target.id, True)
    assert model.post_at(6).hidden
    assert model.data(model.index(6), Qt.ItemDataRole.DisplayRole) == "This post is hidden."
    assert changes == [6, 6]
    assert not model.update_state(post_id(999_999), DeliveryState.READ)
    assert not model.set_hidden(post_id(999_999), True)


def test_content_warning_hides_the_body_until_revealed() -> None:
    post = replace(next(generated_posts(1)), content_warning="loss", body="the body")
    model = ConversationModel()
    model.reset([post], has_older=False)
    index = model.index(0)
    assert model.data(index, Qt.ItemDataRole.DisplayRole) == "loss"
    assert "content warning: loss" in model.data(index, Qt.ItemDataRole.AccessibleTextRole)
    assert model.setData(index, True, PostRole.REVEALED)
    assert model.data(index, Qt.ItemDataRole.DisplayRole) == "the body"
    model.toggle_revealed(0)
    assert not model.is_revealed(post.id)


def test_continuation_groups_posts_by_the_same_author_shortly_after() -> None:
    first = next(generated_posts(1))
    same = replace(first, id=post_id(1, b"x"), seq=first.seq + 1, ts=first.ts + 30)
    later = replace(first, id=post_id(2, b"x"), seq=first.seq + 2, ts=first.ts + 3600)
    model = ConversationModel()
    model.reset([first, same, later], has_older=False)
    assert [model.is_continued(r) for r in range(3)] == [False, True, False]


def test_trim_keeps_the_newest_and_says_there_is_more() -> None:
    posts = list(generated_posts(100))
    model = ConversationModel()
    model.reset(posts, has_older=False)
    assert model.trim_oldest(40) == 60
    assert model.rowCount() == 40 and model.has_older
    assert model.post_at(0) == posts[60]
    assert posts[0].id not in model and posts[99].id in model


def test_view_fetches_older_posts_near_the_top_and_keeps_its_place(qtbot: QtBot) -> None:
    history = list(generated_posts(2_000))
    source = PageSource(history)
    model = ConversationModel()
    view = ConversationView(model)
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    model.fetchOlder.connect(lambda before: model.prepend_page(*source.before(before, 200)))
    model.reset(*source.newest(200))
    assert view.at_bottom()
    assert source.requests == 0  # the newest post being visible asks for nothing
    bar = view.verticalScrollBar()
    first_visible = view.indexAt(view.viewport().rect().topLeft()).row()
    bar.setValue(0)
    assert source.requests == 1 and model.rowCount() == 400
    # What was at the top is still on screen after 200 rows were put above it.
    shown = view.indexAt(view.viewport().rect().topLeft()).row()
    assert shown >= 200 and first_visible >= 0
    assert not view.at_bottom()
    # A live post while reading old ones does not pull the view down.
    value = bar.value()
    model.add_post(replace(history[-1], id=post_id(1, b"live"), seq=10**6, ts=history[-1].ts + 1))
    assert bar.value() == value


def test_view_follows_live_posts_at_the_bottom_and_lets_old_rows_go(qtbot: QtBot) -> None:
    posts = list(generated_posts(60))
    model = ConversationModel()
    view = ConversationView(model)
    view.max_rows, view.keep_rows = 40, 30
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    model.reset(posts[:35], has_older=False)
    for post in posts[35:]:
        model.add_post(post)
        assert view.at_bottom()
    assert view.trim() == 30
    assert model.rowCount() == 30 and model.has_older and view.at_bottom()


def test_a_burst_of_live_posts_is_laid_out_once_and_ends_at_the_bottom(qtbot: QtBot) -> None:
    """A catch-up brings hundreds of posts at once: one relayout for the burst (each post
    used to lay the whole list out again: 10,000 posts took over a minute)."""
    posts = list(generated_posts(1_200))
    model = ConversationModel()
    view = ConversationView(model)
    view.max_rows, view.keep_rows = 1_000, 600
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    model.reset(posts[:20], has_older=False)
    layouts: list[int] = []
    follow = view.scrollToBottom

    def counting() -> None:
        layouts.append(model.rowCount())
        follow()

    view.scrollToBottom = counting  # type: ignore[method-assign]
    for post in posts[20:]:
        model.add_post(post)
    assert layouts == []  # nothing laid out while the burst comes in
    qtbot.waitUntil(lambda: bool(layouts), timeout=5_000)
    assert layouts == [600]  # once, after letting the oldest go (over max_rows)
    assert view.at_bottom() and model.has_older
    assert model.post_at(model.rowCount() - 1) == posts[-1]
