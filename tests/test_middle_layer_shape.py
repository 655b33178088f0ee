"""The messenger's middle layer keeps the shape issue 14 gave it (docs/ARCHITECTURE.md, "The
middle layer"): no object reaches into another's private members (``x._y`` with ``x`` not
``self`` or ``cls``) in the core's top-level modules or the desktop controller, and the middle
layer's modules stay small enough to read."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIDDLE = (
    "anonymous_posts",
    "api",
    "circle_life",
    "circle_settings",
    "circles",
    "config",
    "direct",
    "dm_history",
    "effects",
    "events",
    "facade",
    "joining",
    "moderating",
    "network_port",
    "newcomers",
    "persist",
    "posting",
    "presenting",
    "profile",
    "router",
    "runtime",
    "session",
    "showing",
    "engine_storage",
    "views",
)
MAX_LINES = 420  # "no file over ~400 lines"


def _private_uses(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Attribute):
            continue
        name = node.attr
        if not name.startswith("_") or name.startswith("__"):
            continue
        if isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"}:
            continue
        found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_private_member_is_used_across_objects() -> None:
    paths = [*sorted((ROOT / "messenger").glob("*.py")), ROOT / "ui" / "controller.py"]
    found = [use for path in paths for use in _private_uses(path)]
    assert not found, "\n".join(found)


def test_the_middle_layer_modules_stay_small() -> None:
    sizes = {
        name: len((ROOT / "messenger" / f"{name}.py").read_text(encoding="utf-8").splitlines())
        for name in MIDDLE
    }
    assert {n: s for n, s in sizes.items() if s > MAX_LINES} == {}


def test_the_check_finds_a_private_member_used_across_objects(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("other._secret\nself._mine\ncls._ours\nx.__class__\n", encoding="utf-8")
    assert _private_uses(sample) == ["sample.py:1: other._secret"]
