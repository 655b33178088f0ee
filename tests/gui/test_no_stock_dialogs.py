"""Issue 15 item 12: no stock message boxes. Every question and notice the app shows is one of
its own calm dialogs (``ui/dialogs``: ConfirmDialog, NoticeDialog, RulesDialog...), in the app's
look and words, with Cancel as the default where something cannot be undone. Qt's stock dialogs
(QMessageBox and friends) bring their own words, icons and default buttons: none may come back.
"""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "ui"
STOCK = {
    "QMessageBox",
    "QInputDialog",
    "QErrorMessage",
    "QFileDialog",
    "QColorDialog",
    "QFontDialog",
    "QProgressDialog",
}


def _stock_uses(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        name = None
        if isinstance(node, ast.Name):
            name = node.id
        elif isinstance(node, ast.Attribute):
            name = node.attr
        elif isinstance(node, ast.alias):
            name = node.name.rsplit(".", 1)[-1]
        if name in STOCK:
            found.append(f"{path.name}:{getattr(node, 'lineno', '?')}: {name}")
    return found


def test_the_app_shows_no_stock_dialog() -> None:
    paths = sorted(UI.rglob("*.py"))
    assert len(paths) > 50  # the whole front end is looked at
    found = [use for path in paths for use in _stock_uses(path)]
    assert not found, "\n".join(found)


def test_the_check_finds_a_stock_dialog(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from PySide6.QtWidgets import QMessageBox\n"
        "import PySide6.QtWidgets as w\n"
        "w.QInputDialog.getText(None, 'a', 'b')\n",
        encoding="utf-8",
    )
    found = sorted(use.rsplit(" ", 1)[-1] for use in _stock_uses(probe))
    assert found == ["QInputDialog", "QMessageBox"]
