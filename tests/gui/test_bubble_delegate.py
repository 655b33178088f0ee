"""The bubble delegate paints every kind of post, reveals warnings on click, measures once."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from messenger.views import DeliveryState, PostView, QuoteView, ReactionView
from ui.models.conversation import ConversationModel
from ui.sample_data import generated_posts, key, post_id
from ui.theme import ThemeChoice, apply_theme
from ui.widgets.bubble_delegate import WRAP_FLAGS
from ui.widgets.conversation_view import ConversationView


def _variety() -> list[PostView]:
    base = next(generated_posts(1))
    kinds: list[dict[str, Any]] = [
        {"author": "Amber Fox", "body": "A short one."},
        {"author": "Amber Fox", "body": "Same author, soon after: no name, no avatar."},
        {"author": "Quiet Heron", "mine": True, "state": DeliveryState.QUEUED, "body": "Mine."},
        {"author": "Quiet Heron", "mine": True, "state": DeliveryState.FAILED, "body": "Failed"},
        {"author": "", "body": "Anonymous, coarse time."},
        {"author": "Bright Wren", "hidden": True, "body": "hidden body"},
        {"author": "Bright Wren", "content_warning": "grief", "body": "Behind a warning."},
        {"author": "Still Lake", "body": "x" * 400},  # one unbreakable word: wraps anywhere
        {"author": "Still Lake", "body": "line one\nline two\n\nline four " * 3},
        {"author": "Patient Willow", "body": "Ünïcödé — 表情 ✓ and emoji 🌿"},
        {
            "author": "Amber Fox",
            "body": "A reply, with reactions.",
            "reply_to": post_id(0, b"variety"),
            "quote": QuoteView(post_id(0, b"variety"), "Amber Fox", "A short one. " * 20),
            "reactions": tuple(
                ReactionView(n, 3, n == "hear") for n in ("hear", "thanks", "care", "same")
            ),
        },
        {
            "author": "Quiet Heron",
            "mine": True,
            "body": "Mine, to a post since deleted.",
            "reply_to": post_id(99),
            "quote": QuoteView(post_id(99), "", "", deleted=True),
        },
        {
            "author": "Bright Wren",
            "body": "To a post older than this device.",
            "reply_to": post_id(98),
        },
    ]
    posts = []
    for n, kind in enumerate(kinds):
        author = str(kind["author"])
        posts.append(
            replace(
                base,
                id=post_id(n, b"variety"),
                author_key=key(author),
                seq=n + 1,
                ts=base.ts + n * 20,
                **kind,
            )
        )
    return posts


@pytest.fixture
def view(qtbot: QtBot) -> ConversationView:
    model = ConversationModel()
    view = ConversationView(model)
    qtbot.addWidget(view)
    view.resize(640, 900)
    view.show()
    model.reset(_variety(), has_older=False)
    view.scrollToTop()
    return view


@pytest.mark.parametrize("theme", [ThemeChoice.LIGHT, ThemeChoice.DARK])
def test_paints_every_kind_of_post(
    qapp: QApplication, view: ConversationView, theme: ThemeChoice
) -> None:
    colours = apply_theme(qapp, theme)
    image = QImage(view.viewport().size(), QImage.Format.Format_ARGB32)
    image.fill(QColor(colours.window))
    view.viewport().render(image)
    # Something was drawn in the bubble colours of both sides.
    found = {image.pixelColor(x, y).name() for x in range(0, image.width(), 3) for y in (40, 200)}
    assert len(found) > 3
    model = view.conversation_model
    delegate = view.delegate
    for row in range(model.rowCount()):
        g = delegate.geometry(row)
        height = delegate.row_height(row)
        assert g.bubble.bottom() <= height + 0.5  # the bubble fits its row
        assert g.bubble.left() >= 0 and g.bubble.right() <= delegate.width
        post = model.post_at(row)
        assert (g.avatar is None) == (post.mine or model.is_continued(row))
    apply_theme(qapp, ThemeChoice.LIGHT)


def test_mine_on_the_right_others_on_the_left(view: ConversationView) -> None:
    model, delegate = view.conversation_model, view.delegate
    for row in range(model.rowCount()):
        g = delegate.geometry(row)
        if model.post_at(row).mine:
            assert abs(g.bubble.right() - (delegate.width - 18)) < 1
        else:
            assert g.bubble.left() > 18 + 30


def test_long_word_wraps_inside_the_bubble(view: ConversationView) -> None:
    delegate = view.delegate
    size = delegate.measure("x" * 400, delegate.text_width())
    assert size.anywhere and size.width <= delegate.text_width()
    assert size.height > 3 * delegate.measure("x", delegate.text_width()).height


def test_click_reveals_and_hides_a_content_warning(qtbot: QtBot, view: ConversationView) -> None:
    model, delegate = view.conversation_model, view.delegate
    row = next(r for r in range(model.rowCount()) if model.post_at(r).content_warning)
    post = model.post_at(row)
    collapsed = delegate.row_height(row)
    rect = view.visualRect(model.index(row))
    warning = delegate.geometry(row, float(rect.top())).warning
    assert warning is not None and not model.is_revealed(post.id)
    click = QPoint(int(warning.center().x()), int(warning.center().y()))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=click)
    assert model.is_revealed(post.id)
    assert delegate.row_height(row) > collapsed  # the body now shows
    view.executeDelayedItemsLayout()
    assert view.visualRect(model.index(row)).height() == delegate.row_height(row)
    rect = view.visualRect(model.index(row))
    warning = delegate.geometry(row, float(rect.top())).warning
    assert warning is not None
    click = QPoint(int(warning.center().x()), int(warning.center().y()))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=click)
    assert not model.is_revealed(post.id)


def test_enter_reveals_the_current_post(qtbot: QtBot, view: ConversationView) -> None:
    model = view.conversation_model
    row = next(r for r in range(model.rowCount()) if model.post_at(r).content_warning)
    view.setCurrentIndex(model.index(row))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert model.is_revealed(model.post_at(row).id)


def test_texts_are_measured_once(view: ConversationView) -> None:
    delegate = view.delegate
    before = delegate.cache_size()
    for _ in range(3):
        for row in range(view.conversation_model.rowCount()):
            delegate.row_height(row)
    assert delegate.cache_size() == before
    # A narrow window re-measures; going back to the width measured before costs nothing new.
    view.resize(420, 600)
    view.executeDelayedItemsLayout()
    narrow = delegate.cache_size()
    assert narrow > before
    view.resize(640, 900)
    view.executeDelayedItemsLayout()
    assert delegate.cache_size() == narrow


def test_footer_says_delivery_state_for_mine_only(view: ConversationView) -> None:
    delegate, model = view.delegate, view.conversation_model
    texts = [delegate.footer_text(model.post_at(r)) for r in range(model.rowCount())]
    assert any(t.endswith("Waiting to send") for t in texts)
    assert any(t.endswith("Not sent") for t in texts)
    others = [t for r, t in enumerate(texts) if not model.post_at(r).mine]
    assert all("·" not in t for t in others)


def test_time_label_today_this_week_and_older(view: ConversationView) -> None:
    delegate = view.delegate
    now = 1_700_000_000.0
    assert len(delegate.time_label(now - 60, now)) == 5  # "HH:MM"
    assert len(delegate.time_label(now - 3 * 86400, now).split()) == 2  # "Tue HH:MM"
    assert "," in delegate.time_label(now - 40 * 86400, now)  # a date


def test_painted_text_wraps_exactly_as_measured(view: ConversationView) -> None:
    """A text measured to fit one line is painted on one line (no last word cut off)."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QFontMetricsF

    delegate = view.delegate
    fm = QFontMetricsF(delegate.body_font)
    for text in ("That doesn't sound small at all. Thank you for sharing it.", "Hi", "a b c d"):
        size = delegate.measure(text, delegate.text_width())
        drawn = fm.boundingRect(QRectF(0, 0, size.width + 1, 10_000), WRAP_FLAGS, text)
        assert drawn.height() <= size.height + 0.5, text
