"""Render the main screens offscreen, in light and dark, into a folder (``make screenshots``)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from .app import make_application  # noqa: E402
from .main_window import MainWindow  # noqa: E402
from .theme import ThemeChoice, apply_theme  # noqa: E402

Scene = Callable[[], QWidget]


def _welcome() -> QWidget:
    return MainWindow()


SCENES: dict[str, Scene] = {"welcome": _welcome}


def render_all(folder: Path) -> list[Path]:
    app = make_application()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for theme in (ThemeChoice.LIGHT, ThemeChoice.DARK):
        apply_theme(app, theme)
        for name, scene in SCENES.items():
            widget = scene()
            widget.show()
            QApplication.processEvents()
            path = folder / f"{name}-{theme.value}.png"
            widget.grab().save(str(path))
            widget.close()
            written.append(path)
    return written


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else Path("docs/screenshots")
    for path in render_all(folder):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
