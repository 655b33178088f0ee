"""The window's menu bar, built from the window's own actions (so each shortcut lives once)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenuBar, QWidget

translate = QCoreApplication.translate

LAYOUT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("&Hearth", ("new", "join", "-", "settings", "-", "hide", "panic", "-", "quit")),
    ("&View", ("circles", "compose", "search", "panel")),
    ("H&elp", ("shortcuts", "help", "about")),
)


def build_menu_bar(parent: QWidget, action: Callable[[str], QAction]) -> QMenuBar:
    bar = QMenuBar(parent)
    bar.setAccessibleName(translate("MenuBar", "Menu bar"))
    titles = {
        "&Hearth": translate("MenuBar", "&Hearth"),
        "&View": translate("MenuBar", "&View"),
        "H&elp": translate("MenuBar", "H&elp"),
    }
    for title, names in LAYOUT:
        menu = bar.addMenu(titles[title])
        for name in names:
            if name == "-":
                menu.addSeparator()
            else:
                menu.addAction(action(name))
    return bar
