"""Render ``resources/icons/hearth.svg`` to PNGs (16 to 512 pixels) beside it, with QtSvg.

``python -m ui.render_icons`` (offscreen); packagers and ``setWindowIcon`` use the PNGs where
an SVG will not do.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from messenger.paths import resource

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


class IconError(Exception):
    """The SVG could not be read or rendered."""


def render(svg: Path, folder: Path, sizes: tuple[int, ...] = SIZES) -> list[Path]:
    if QGuiApplication.instance() is None:
        QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise IconError(f"not a valid SVG: {svg}")
    written = []
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        path = folder / f"{svg.stem}-{size}.png"
        if not image.save(str(path)):
            raise IconError(f"could not write {path}")
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    svg = Path(argv[0]) if argv else resource("icons", "hearth.svg")
    try:
        for path in render(svg, svg.parent):
            print(path)
    except IconError as exc:
        print(f"render_icons: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
