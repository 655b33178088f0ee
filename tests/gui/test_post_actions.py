"""Acts on posts in the message list: keys and chips ask for a reply, a reaction or a deletion;
a deleted post becomes a calm placeholder (and the quotes of it say so); timeline lines are no
posts (no menu, no keys, no grouping)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from messenger.views import PostView, QuoteView, ReactionView
from ui.models.conversation import ConversationModel
from ui.sample_data import generated_posts, key, post_id
from ui.widgets.conversation_view import ConversationView


def _posts() -> list[PostView]:
    base = next(generated_posts(1))
    theirs = replace(
        base,
        id=post_id(1),
        author="Amber Fox",
        author_key=key("Amber Fox"),
        body="How was your week?",
        reactions=(ReactionView("hear", 2),),
    )
    mine = replace(
        base,
        id=post_id(2),
        author="Quiet Heron",
        author_key=key("Quiet Heron"),
        seq=2,
        ts=base.ts + 10,
        body="Better, thank you.",
        mine=True,
        reply_to=theirs.id,
        quote=QuoteView(theirs.id, "Amber Fox", theirs.body),
    )
    anonymous = replace(
        base,
        id=post_id(3),
        author="",
        seq=3,
        ts=base.ts + 20,
        body="Said without my name.",
        mine=True,
        anonymous=True,
    )
    return [theirs, mine, anonymous]


@pytest.fixture
def view(qtbot: QtBot) -> ConversationView:
    model = ConversationModel()
    view = ConversationView(model)
    qtbot.addWidget(view)
    view.resize(640, 700)
    view.show()
    view.can_act = True
    model.reset(_posts(), has_older=False)
    return view


def _press(view: ConversationView, row: int, key: Qt.Key) -> None:
    view.setCurrentIndex(view.conversation_model.index(row))
    QTest.keyClick(view, key)


def test_keys_ask_for_reply_reaction_and_deletion(view: ConversationView) -> None:
    asked: list[tuple[str, object]] = []
    view.replyRequested.connect(lambda p: asked.append(("reply", p.id)))
    view.reactRequested.connect(lambda p, n: asked.append((n, p.id)))
    view.deleteRequested.connect(lambda p: asked.append(("delete", p.id)))
    _press(view, 0, Qt.Key.Key_R)
    _press(view, 0, Qt.Key.Key_1)
    _press(view, 0, Qt.Key.Key_4)
    _press(view, 0, Qt.Key.Key_Delete)  # not mine: nothing
    _press(view, 1, Qt.Key.Key_Delete)
    _press(view, 2, Qt.Key.Key_Delete)  # mine but anonymous: never by my key
    assert asked == [
        ("reply", post_id(1)),
        ("hear", post_id(1)),
        ("same", post_id(1)),
        ("delete", post_id(2)),
    ]
    anonymous = view.conversation_model.post_at(2)
    assert "Delete for everyone…" not in [a.text() for a in view.post_menu(anonymous).actions()]
    view.can_act = False  # a direct conversation, or a circle I was removed from
    _press(view, 0, Qt.Key.Key_R)
    assert len(asked) == 4


def test_a_click_on_a_chip_gives_or_takes_back_that_reaction(view: ConversationView) -> None:
    clicked: list[tuple[bytes, str]] = []
    view.reactRequested.connect(lambda p, n: clicked.append((p.id, n)))
    rect = view.visualRect(view.conversation_model.index(0))
    [(name, chip)] = view.delegate.geometry(0, float(rect.top())).chips
    centre = chip.center().toPoint() + QPoint(rect.left(), 0)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert clicked == [(post_id(1), "hear")]


def test_a_deleted_post_becomes_a_placeholder_and_its_quotes_say_so(
    view: ConversationView,
) -> None:
    model = view.conversation_model
    before = view.delegate.row_height(1)
    assert model.mark_deleted(post_id(1))
    index = model.index(0)
    assert model.data(index) == "This post was deleted."
    assert "deleted" in model.data(index, Qt.ItemDataRole.AccessibleTextRole)
    gone = model.post_at(0)
    assert gone.body == "" and gone.reactions == () and model.is_deleted(gone.id)
    reply = model.post_at(1)
    assert reply.quote is not None and reply.quote.deleted and reply.quote.body == ""
    assert view.delegate.row_height(1) < before  # the quote lost its line of text
    assert [a.text() for a in view.post_menu(gone).actions()] == []


def test_timeline_lines_are_no_posts(view: ConversationView) -> None:
    model = view.conversation_model
    first = model.post_at(0)
    line = model.add_notice(first.circle_id, "Bright Wren joined the circle", first.ts + 5)
    row = model.row_of(line.id)
    assert row == 1 and model.is_notice(line.id)
    assert model.data(model.index(row)) == "Bright Wren joined the circle"
    assert model.data(model.index(row), Qt.ItemDataRole.AccessibleTextRole) == line.body
    g = view.delegate.geometry(row)
    assert g.avatar is None and g.header is None and not g.chips
    assert view.post_menu(line).actions() == []
    assert not model.is_continued(row + 1)
