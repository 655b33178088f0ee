"""``make screenshots`` renders every scene, light and dark: the states a person meets
(issue 15), each a real window or dialog built from sample views. Run as the command runs, in a
process of its own (it switches the application's theme)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from ui.screenshots import SCENES

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(180)
def test_every_scene_renders_in_both_themes(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ui.screenshots", str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=150,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    expected = {f"{name}-{theme}.png" for name in SCENES for theme in ("light", "dark")}
    assert {p.name for p in tmp_path.iterdir()} == expected
    for name in sorted(expected):
        image = QImage(str(tmp_path / name))
        assert image.width() >= 300 and image.height() >= 100, name
        colours = {
            image.pixel(x, y)
            for x in range(0, image.width(), 5)
            for y in range(0, image.height(), 5)
        }
        assert len(colours) > 10, f"{name} is blank"  # text and controls were drawn on it
