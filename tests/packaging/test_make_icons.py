"""packaging/make_icons.py: PNGs from the SVG, and .ico/.icns files made of them."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from messenger import APP_ID

from .helpers import load_script

# make_icons makes a QGuiApplication when none exists; the suite's QApplication must come first.
pytestmark = pytest.mark.usefixtures("qapp")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">
<rect x="4" y="4" width="56" height="56" rx="14" fill="#c2410c"/></svg>
"""


def write_icons(out: Path) -> Path:
    """Render the test SVG into ``out`` with make_icons (also used by the NSIS test)."""
    icons = load_script("make_icons.py")
    svg = out.parent / "source" / "hearth.svg"
    svg.parent.mkdir(parents=True, exist_ok=True)
    svg.write_text(SVG, encoding="utf-8")
    icons.make_icons(svg, out)
    return out


def png_size(blob: bytes) -> tuple[int, int]:
    assert blob[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", blob[16:24])
    return width, height


def test_pngs_at_every_size_in_a_theme_layout(tmp_path: Path) -> None:
    out = write_icons(tmp_path / "icons")
    module = load_script("make_icons.py")
    for size in module.PNG_SIZES:
        themed = out / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert png_size(themed.read_bytes()) == (size, size)
        assert (out / f"hearth-{size}.png").read_bytes() == themed.read_bytes()
    assert (out / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").read_text() == SVG


def test_the_ico_holds_one_png_per_size(tmp_path: Path) -> None:
    out = write_icons(tmp_path / "icons")
    data = (out / "hearth.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        w, h, _, _, planes, bpp, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]
        )
        blob = data[offset : offset + length]
        size = png_size(blob)[0]
        assert (w or 256, h or 256) == (size, size) and planes == 1 and bpp == 32
        sizes.append(size)
    assert sizes == list(load_script("make_icons.py").ICO_SIZES)


def test_the_icns_holds_png_entries_and_its_length_adds_up(tmp_path: Path) -> None:
    out = write_icons(tmp_path / "icons")
    data = (out / "hearth.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    at, kinds = 8, {}
    while at < len(data):
        kind, length = data[at : at + 4], struct.unpack(">I", data[at + 4 : at + 8])[0]
        kinds[kind] = png_size(data[at + 8 : at + length])[0]
        at += length
    assert at == len(data)
    assert kinds[b"ic09"] == 512 and kinds[b"ic07"] == 128 and kinds[b"icp4"] == 16


def test_a_shipped_png_is_used_as_is(tmp_path: Path) -> None:
    module = load_script("make_icons.py")
    first = write_icons(tmp_path / "first")
    svg = tmp_path / "source" / "hearth.svg"
    shipped = first / "hearth-48.png"
    (svg.parent / "hearth-48.png").write_bytes(shipped.read_bytes() + b"")
    marker = shipped.read_bytes()
    out = tmp_path / "second"
    module.make_icons(svg, out)
    assert (out / "hearth-48.png").read_bytes() == marker


def test_a_missing_or_broken_svg_is_a_clear_error(tmp_path: Path) -> None:
    module = load_script("make_icons.py")
    with pytest.raises(module.IconError, match="icon source missing"):
        module.make_icons(tmp_path / "nope.svg", tmp_path / "out")
    broken = tmp_path / "broken.svg"
    broken.write_text("<svg this is not", encoding="utf-8")
    with pytest.raises(module.IconError, match="not a valid SVG"):
        module.make_icons(broken, tmp_path / "out")
    assert module.main(["--svg", str(tmp_path / "nope.svg"), str(tmp_path / "out")]) == 1
