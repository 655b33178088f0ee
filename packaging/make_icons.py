"""Render the app icon for the installers: PNGs at the usual sizes, a Windows .ico, a macOS .icns.

    python packaging/make_icons.py OUT_DIR [--svg resources/icons/hearth.svg]

Source: ``resources/icons/hearth.svg`` (the UI's icon). A PNG shipped beside it as
``hearth-<size>.png`` is used as is for that size; every other size is rendered from the SVG with
QtSvg, offscreen. Output: ``OUT_DIR/hicolor/<size>x<size>/apps/org.hearth.Hearth.png``, the same
files flat as ``OUT_DIR/hearth-<size>.png``, ``OUT_DIR/hearth.svg``, ``OUT_DIR/hearth.ico`` and
``OUT_DIR/hearth.icns`` (both made of PNG entries, which every supported Windows and macOS reads).
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_ID = "org.hearth.Hearth"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# The .icns types that hold PNG data, by pixel size (the @2x types reuse the larger PNGs).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),
    (b"icp6", 64),
    (b"ic12", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic13", 256),
    (b"ic09", 512),
    (b"ic14", 512),
)


class IconError(Exception):
    """The icon could not be made (missing or unreadable source)."""


def render_pngs(svg: Path, sizes: tuple[int, ...]) -> dict[int, bytes]:
    """PNG bytes for each size: a shipped ``hearth-<size>.png`` if present, else rendered."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise IconError(f"not a valid SVG: {svg}")
    out: dict[int, bytes] = {}
    for size in sizes:
        shipped = svg.with_name(f"hearth-{size}.png")
        if shipped.is_file():
            out[size] = shipped.read_bytes()
            continue
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buffer, "PNG"):
            raise IconError(f"could not encode a {size}px PNG")
        buffer.close()
        out[size] = bytes(data.data())
    del app
    return out


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows icon whose entries are PNG images (readable since Windows Vista)."""
    sizes = [s for s in ICO_SIZES if s in pngs]
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        blob = pngs[size]
        dim = 0 if size >= 256 else size  # 0 stands for 256
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
        blobs += blob
    return header + entries + blobs


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS icon file whose entries are PNG images (readable since OS X 10.7)."""
    body = b""
    for kind, size in ICNS_TYPES:
        if size in pngs:
            blob = pngs[size]
            body += kind + struct.pack(">I", len(blob) + 8) + blob
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def make_icons(svg: Path, out: Path) -> list[Path]:
    if not svg.is_file():
        raise IconError(f"icon source missing: {svg}")
    pngs = render_pngs(svg, PNG_SIZES)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for size, blob in pngs.items():
        themed = out / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        themed.parent.mkdir(parents=True, exist_ok=True)
        themed.write_bytes(blob)
        flat = out / f"hearth-{size}.png"
        flat.write_bytes(blob)
        written += [themed, flat]
    scalable = out / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg, scalable)
    shutil.copyfile(svg, out / "hearth.svg")
    (out / "hearth.ico").write_bytes(ico_bytes(pngs))
    (out / "hearth.icns").write_bytes(icns_bytes(pngs))
    return [*written, scalable, out / "hearth.svg", out / "hearth.ico", out / "hearth.icns"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="folder to write the icons into")
    parser.add_argument("--svg", type=Path, default=ROOT / "resources" / "icons" / "hearth.svg")
    args = parser.parse_args(argv)
    try:
        written = make_icons(args.svg, args.out)
    except IconError as exc:
        print(f"make_icons: error: {exc}", file=sys.stderr)
        return 1
    print(f"make_icons: {len(written)} files in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
