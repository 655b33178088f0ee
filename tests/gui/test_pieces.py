"""Small pieces: reply cues, texts in resources/, the app icon, the circle panel, the guard."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from messenger.paths import resource
from messenger.views import PostView, Role
from ui import pyside_guard
from ui import sample_data as sample
from ui.render_icons import SIZES, IconError, render
from ui.reply_cue import describe_reply_cue, typical_reply_seconds
from ui.texts import faq_markdown, intro_templates, read_entries, starters, support_entries
from ui.widgets.circle_panel import CirclePanel
from ui.widgets.sidebar import Sidebar


def _post(author: str, ts: float, n: int) -> PostView:
    return PostView(sample.CIRCLE_ID, sample.post_id(n, b"cue"), sample.key(author), author,
                    n + 1, ts, "text")  # fmt: skip


def test_reply_cue_is_the_median_delay_after_someone_else() -> None:
    posts = []
    t = 0.0
    for n, delay in enumerate([60, 120, 300, 7 * 3600, 90]):
        posts.append(_post("Amber Fox", t, 2 * n))
        posts.append(_post("Bright Wren", t + delay, 2 * n + 1))
        t += 10 * 3600
    seconds = typical_reply_seconds(posts, sample.key("Bright Wren"))
    assert seconds == 105.0  # the 7-hour gap is not a reply
    assert describe_reply_cue(seconds) == "usually replies within a few minutes"
    assert typical_reply_seconds(posts[:4], sample.key("Bright Wren")) is None  # too few
    assert typical_reply_seconds(posts, sample.key("Nobody")) is None
    assert describe_reply_cue(None) == ""
    assert describe_reply_cue(30) == "usually replies within a minute"
    assert describe_reply_cue(3000) == "usually replies within an hour"
    assert describe_reply_cue(4 * 3600) == "usually replies within a few hours"


def test_anonymous_posts_never_count_for_cues() -> None:
    posts = [_post("Amber Fox", n * 100.0, n) for n in range(6)]
    posts += [replace(_post("", n * 100.0 + 10, 10 + n), author_key=sample.key("X"))
              for n in range(6)]  # fmt: skip
    assert typical_reply_seconds(posts, sample.key("X")) is None


def test_text_resources_load_and_skip_comments(tmp_path: Path) -> None:
    assert len(starters()) >= 10 and len(intro_templates()) >= 3
    assert "##" in faq_markdown()
    path = tmp_path / "list.txt"
    path.write_text("# comment\n\n first \nsecond\n", encoding="utf-8")
    assert read_entries(path) == ["first", "second"]
    assert read_entries(tmp_path / "missing.txt") == []
    path.write_bytes(b"\xff\xfe\x00bad")
    assert read_entries(path) == []


def test_support_entries_validate_the_file(tmp_path: Path) -> None:
    shipped = json.loads(resource("support", "resources.json").read_text(encoding="utf-8"))
    assert len(support_entries()) == len(shipped["entries"])
    path = tmp_path / "resources.json"
    path.write_text(
        json.dumps(
            {"entries": [{"title": "A", "detail": "B"}, {"title": "no detail"}, 7, {"detail": 1}]}
        ),
        encoding="utf-8",
    )
    assert [(e.title, e.detail) for e in support_entries(path=path)] == [("A", "B")]
    path.write_text("{not json", encoding="utf-8")
    assert support_entries(path=path) == []
    path.write_text("[1, 2]", encoding="utf-8")
    assert support_entries(path=path) == []


def test_app_icon_renders_at_every_size(qapp: QApplication, tmp_path: Path) -> None:
    svg = resource("icons", "hearth.svg")
    written = render(svg, tmp_path)
    assert [p.name for p in written] == [f"hearth-{s}.png" for s in SIZES]
    for path, size in zip(written, SIZES, strict=True):
        image = QImage(str(path))
        assert image.width() == size and image.height() == size
    middle = QImage(str(written[-1])).pixelColor(256, 256)
    assert middle.alpha() == 255  # the mark is opaque in the middle
    for size in SIZES:  # the committed PNGs exist too
        assert resource("icons", f"hearth-{size}.png").exists()
    bad = tmp_path / "bad.svg"
    bad.write_text("<svg", encoding="utf-8")
    with pytest.raises(IconError):
        render(bad, tmp_path)


def test_circle_panel_member_actions(qtbot: QtBot) -> None:
    panel = CirclePanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.show_circle(sample.circle(Role.HOST), sample.members())
    blocks: list[tuple[object, bool]] = []
    panel.blockRequested.connect(lambda m, on: blocks.append((m, on)))
    safety: list[object] = []
    panel.safetyNumberRequested.connect(safety.append)
    removes: list[object] = []
    panel.removeRequested.connect(removes.append)
    me = sample.members()[0]
    panel.select_member(me.key)
    assert not panel.block_button.isEnabled() and not panel.remove_button.isEnabled()
    willow = next(m for m in sample.members() if m.key_changed)
    panel.select_member(willow.key)
    assert panel.member_note.isVisible() and "key changed" in panel.member_note.text()
    panel.block_button.click()
    assert panel.confirm_dialog is not None and panel.confirm_dialog.isVisible()
    assert panel.confirm_dialog.cancel_button.isDefault()  # Enter does not block
    panel.confirm_dialog.confirm_button.click()
    panel.safety_button.click()
    panel.remove_button.click()
    assert blocks == [(willow, True)] and safety == [willow] and removes == [willow]
    panel.update_member(replace(willow, blocked=True))
    assert panel.selected_member() == replace(willow, blocked=True)
    assert panel.block_button.text() == "Unblock"
    panel.block_button.click()
    assert blocks[-1] == (replace(willow, blocked=True), False)


def test_circle_panel_for_a_member_hides_host_tools(qtbot: QtBot) -> None:
    panel = CirclePanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.show_circle(sample.circle(Role.MEMBER), sample.members())
    assert not panel.remove_button.isVisible() and not panel.invite_button.isVisible()
    assert not panel.moderation_button.isVisible() and panel.leave_button.isVisible()


def test_sidebar_paints_rows_with_badges(qtbot: QtBot) -> None:
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.resize(270, 600)
    sidebar.show()
    sidebar.circle_model.set_circles(sample.other_circles())
    sidebar.people_model.set_members(sample.members())
    image = QImage(sidebar.size(), QImage.Format.Format_ARGB32)
    sidebar.render(image)
    assert sidebar.circles.view.isVisible() and sidebar.people.view.isVisible()
    assert sidebar.circle_model.set_unread(sample.CIRCLE_ID, 12)
    assert sidebar.circle_model.circle(sample.CIRCLE_ID).unread == 12  # type: ignore[union-attr]
    assert not sidebar.circle_model.set_unread(b"unknown", 1)
    sidebar.render(image)


def test_pyside_guard_is_active_only_where_needed() -> None:
    active = pyside_guard.apply()
    assert active == (pyside_guard.affected_version() is not None)
    if sys.version_info >= (3, 12):
        assert not active
    if active:  # None, True and False can no longer run out of references
        for singleton in (None, True, False):
            assert sys.getrefcount(singleton) > 2**39
    # Applying twice gives no second headroom.
    assert pyside_guard.apply() == active
    assert sys.getrefcount(None) < 2**41


def test_gc_guard_collects_cycles_from_the_event_loop(qapp: QApplication) -> None:
    import gc
    import weakref

    from PySide6.QtCore import QObject

    from ui.gc_guard import GcGuard

    guard = GcGuard()
    try:
        assert not gc.isenabled()

        class Holder(QObject):
            me: object = None

        holder = Holder()
        holder.me = holder  # a reference cycle
        ref = weakref.ref(holder)
        del holder
        assert ref() is not None  # nothing collects it behind Qt's back
        for _ in range(2000):  # allocate until generation 0 is over its threshold
            [object() for _ in range(10)]
            if gc.get_count()[0] > gc.get_threshold()[0]:
                break
        guard.tick()
        gc.collect()  # the older generations too, as later ticks would
        assert ref() is None
    finally:
        guard.stop()
    assert gc.isenabled()


def test_a_translation_is_loaded_for_the_language(qapp: QApplication, tmp_path: Path) -> None:
    import shutil
    import subprocess

    from PySide6.QtCore import QCoreApplication, QLocale

    from ui.i18n import install_translator

    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    if not lrelease.exists() and shutil.which("pyside6-lrelease") is None:
        pytest.skip("pyside6-lrelease is not installed")
    ts = tmp_path / "hearth_fr.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="fr">'
        "<context><name>Sidebar</name><message><source>Circles</source>"
        "<translation>Cercles</translation></message></context></TS>",
        encoding="utf-8",
    )
    tool = str(lrelease) if lrelease.exists() else "pyside6-lrelease"
    subprocess.run([tool, str(ts)], check=True, capture_output=True, timeout=60)
    assert install_translator(qapp, QLocale("de_DE"), tmp_path) is None  # none for German
    translator = install_translator(qapp, QLocale("fr_FR"), tmp_path)
    assert translator is not None
    try:
        assert QCoreApplication.translate("Sidebar", "Circles") == "Cercles"
    finally:
        qapp.removeTranslator(translator)
    assert QCoreApplication.translate("Sidebar", "Circles") == "Circles"
