"""Every interactive widget of every dialog and of the main window has an accessible name and
can be reached with Tab; every visible text came through tr() (it is in hearth_en.ts)."""

from __future__ import annotations

import ast
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from messenger.paths import resource
from ui import sample_data as sample
from ui.dialogs import (
    AboutDialog,
    CreateCircleDialog,
    FirstRunDialog,
    InviteDialog,
    JoinDialog,
    LeaveDialog,
    ModerationQueueDialog,
    ReportDialog,
    SafetyNumberDialog,
    SettingsDialog,
    SupportDialog,
    UnlockDialog,
)
from ui.main_window import MainWindow
from ui.preferences import Preferences
from ui.requests import ModerationReport, ReportReason
from ui.texts import support_entries

ROOT = Path(__file__).resolve().parents[2]
INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QKeySequenceEdit,
)
COMPOSITES = (QComboBox, QAbstractSpinBox, QKeySequenceEdit, QTabBar)


def _suggest() -> str:
    return "Gentle Fern"


def _window_with_circle() -> QWidget:
    window = MainWindow(preferences=Preferences(reply_cues=True), suggest_pseudonym=_suggest)
    circle = sample.circle()
    window.set_circles(sample.other_circles())
    window.show_circle(circle, sample.conversation(time.time()), has_older=False)
    window.show_panel(circle)
    window.show_members(circle.id, sample.members())
    window.panel.select_member(sample.members()[2].key)
    return window


def _moderation() -> QWidget:
    member = sample.members()[2]
    post = sample.conversation(0.0)[4]
    report = ModerationReport("a", sample.CIRCLE_ID, member, ReportReason.SPAM, "", "", 0.0, post)
    return ModerationQueueDialog([report])


def _invite() -> QWidget:
    dialog = InviteDialog(sample.circle())
    dialog.show_code(sample.join_code(time.time()))
    dialog.add_join_request(sample.join_request())
    return dialog


def _join_rules() -> QWidget:
    dialog = JoinDialog(["Hello."], _suggest)
    dialog.input.setText("7-amber-lantern")
    dialog.next()
    dialog.show_preview("Tuesday group", "Be kind.")
    return dialog


SCREENS: dict[str, Callable[[], QWidget]] = {
    "main window (welcome)": lambda: MainWindow(suggest_pseudonym=_suggest),
    "main window (circle and panel)": _window_with_circle,
    "first run": lambda: FirstRunDialog(_suggest),
    "unlock": UnlockDialog,
    "create circle": lambda: CreateCircleDialog(_suggest),
    "invite": _invite,
    "join": lambda: JoinDialog(["Hello."], _suggest),
    "join (rules)": _join_rules,
    "leave": lambda: LeaveDialog(sample.circle(), ["Goodbye."]),
    "settings": lambda: SettingsDialog(Preferences()),
    "safety number": lambda: SafetyNumberDialog(sample.members()[2]),
    "report": lambda: ReportDialog(sample.members()[2], sample.conversation(0.0)[4]),
    "moderation": _moderation,
    "about": AboutDialog,
    "support": lambda: SupportDialog(support_entries(), "## Q\n\nA."),
}


def _interactive(root: QWidget) -> list[QWidget]:
    found: list[QWidget] = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or widget.objectName().startswith("qt_"):
            continue
        parent = widget.parentWidget()
        inside_composite = False
        while parent is not None and parent is not root:
            if isinstance(parent, COMPOSITES):
                inside_composite = True
                break
            parent = parent.parentWidget()
        if not inside_composite:
            found.append(widget)
    return found


@pytest.fixture(params=sorted(SCREENS))
def screen(request: pytest.FixtureRequest, qtbot: QtBot) -> QWidget:
    widget = SCREENS[request.param]()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_every_interactive_widget_has_an_accessible_name(screen: QWidget) -> None:
    widgets = _interactive(screen)
    assert widgets
    unnamed = [
        f"{type(w).__name__} {w.objectName()!r} {getattr(w, 'text', lambda: '')()!r}"
        for w in widgets
        if not w.accessibleName().strip()
    ]
    assert not unnamed, unnamed


def test_every_visible_control_is_reachable_with_tab(screen: QWidget) -> None:
    chain: set[int] = set()
    widget: QWidget | None = screen.nextInFocusChain()
    for _ in range(2000):  # bounded walk around the focus chain
        if widget is None or widget is screen:
            break
        chain.add(id(widget))
        widget = widget.nextInFocusChain()
    missing = [
        f"{type(w).__name__} {w.accessibleName()!r}"
        for w in _interactive(screen)
        if w.isVisibleTo(screen)
        and w.isEnabled()
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and id(w) not in chain
    ]
    assert not missing, missing


def _ts_sources() -> set[str]:
    tree = ET.parse(resource("translations", "hearth_en.ts"))
    return {el.text or "" for el in tree.iter("source")}


def test_texts_of_every_screen_are_in_the_translation_file(screen: QWidget) -> None:
    sources = _ts_sources()
    data = {c.name for c in sample.other_circles()} | {m.pseudonym for m in sample.members()}
    missing = []
    for widget in screen.findChildren(QWidget):
        if isinstance(widget, QLabel) and widget.textFormat() != Qt.TextFormat.PlainText:
            text = widget.text()
            if "<" in text:  # rich text assembled from translated pieces
                continue
        elif isinstance(widget, QLabel | QAbstractButton):
            text = widget.text()
        else:
            continue
        if not text or not any(c.isalpha() for c in text) or text in data:
            continue
        if text in sources or any(_matches(template, text) for template in sources):
            continue
        missing.append(text)
    # Texts that come from data (names, rules, posts, codes) are not in the file.
    allowed = {sample.RULES, sample.circle().description, "7-amber-lantern", "Be kind."}
    allowed |= {"Hopeful Finch", "Gentle Fern", "Tuesday group", "Hello.", "Goodbye."}
    allowed |= {e.title for e in support_entries()} | {e.detail for e in support_entries()}
    allowed |= {e.contact for e in support_entries()}
    allowed |= {p.body for p in sample.conversation(0.0)}
    leftover = [t for t in missing if t not in allowed and not t.startswith("Version ")]
    assert not leftover, leftover


def _matches(template: str, text: str) -> bool:
    """``template`` with ``{placeholders}`` matches ``text``."""
    if "{" not in template:
        return False
    import re

    pattern = re.escape(template)
    pattern = re.sub(r"\\\{[a-z_]+\\\}", ".*", pattern)
    return re.fullmatch(pattern, text, flags=re.DOTALL) is not None


def test_translation_file_is_up_to_date(tmp_path: Path) -> None:
    from ui.update_translations import LupdateMissing, update

    try:
        fresh = update(tmp_path / "hearth_en.ts")
    except LupdateMissing as exc:
        pytest.skip(str(exc))
    sources = {el.text or "" for el in ET.parse(fresh).iter("source")}
    assert sources == _ts_sources(), "run: python -m ui.update_translations"


# Calls whose first argument is shown to people: a literal there skipped tr().
SHOWN = {
    "QLabel",
    "QPushButton",
    "QCheckBox",
    "QRadioButton",
    "QAction",
    "QToolButton",
    "setText",
    "setPlaceholderText",
    "setToolTip",
    "setAccessibleName",
    "setAccessibleDescription",
    "setWindowTitle",
    "setInformativeText",
    "addTab",
    "addItem",
    "show_error",
    "hint",
    "field",
    "add_primary",
    "add_button",
    "add_cancel",
    "link_button",
}


def test_no_literal_user_visible_strings_outside_tr() -> None:
    bad = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        if path.name in {"cli.py", "app.py", "screenshots.py", "sample_data.py"}:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if (
                name in SHOWN
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and any(c.isalpha() for c in first.value)
            ):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}({first.value!r})")
    assert not bad, bad
