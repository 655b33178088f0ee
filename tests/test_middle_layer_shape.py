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
    "details_lane",
    "direct",
    "dm_history",
    "effects",
    "events",
    "facade",
    "joining",
    "links",
    "moderating",
    "network_port",
    "newcomers",
    "outputs",
    "persist",
    "posting",
    "presenting",
    "profile",
    "pump",
    "router",
    "runtime",
    "session",
    "showing",
    "engine_storage",
    "views",
)
MAX_LINES = 420  # "no file over ~400 lines"
PROTOCOL = (
    "session",
    "links",
    "details_lane",
    "roster_lane",
    "admission",
    "effects",
    "anonymity",
    "anonymous_posts",
    "acts",
    "showing",
    "outputs",
)
"""A circle's protocol and its lanes: sans-IO (issue 14), driven by ``pump.py``."""


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


def test_no_file_in_the_core_is_over_about_400_lines() -> None:
    """Issue 14: every module of ``messenger/``, its subpackages included."""
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted((ROOT / "messenger").rglob("*.py"))
    }
    assert {n: s for n, s in sizes.items() if s > MAX_LINES} == {}


def _defined_here(tree: ast.AST) -> set[str]:
    """Private names this module defines: functions, classes, attributes set on self or cls,
    names assigned, keyword arguments of its own signatures."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {n for n in names if n.startswith("_")}


def _foreign_private_uses(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    mine = _defined_here(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        name = node.attr
        if not name.startswith("_") or name.startswith("__") or name in mine:
            continue
        found.append(f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_private_member_is_used_across_modules() -> None:
    """Issue 14, everywhere in the core, network layer and desktop app: an object's private
    members are used only in the module that defines them."""
    paths = [
        p for pkg in ("messenger", "network", "ui") for p in sorted((ROOT / pkg).rglob("*.py"))
    ]
    found = [use for path in paths for use in _foreign_private_uses(path)]
    allowed = {  # third-party internals, named on purpose
        "ui/selftest.py",  # zeroconf's DNS flag constants, to build a raw mDNS query
        "network/interface_flags.py",  # ctypes' _fields_
    }
    assert [f for f in found if f.split(":")[0] not in allowed] == []


def test_the_module_check_finds_a_foreign_private_member(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "class A:\n    def __init__(self):\n        self._mine = 1\n"
        "def f(a, b):\n    return a._mine + b._theirs\n",
        encoding="utf-8",
    )
    assert [u.split(": ")[1] for u in _foreign_private_uses(sample, tmp_path)] == ["b._theirs"]


def test_the_circle_protocol_never_awaits() -> None:
    """Issue 14: the per-circle protocol is sans-IO. Its modules define no coroutine, await
    nothing and import no asyncio: what they want done is an output its pump performs."""
    found = []
    for name in PROTOCOL:
        path = ROOT / "messenger" / f"{name}.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.AsyncFunctionDef | ast.Await | ast.AsyncWith | ast.AsyncFor):
                found.append(f"{name}.py:{node.lineno}: {type(node).__name__}")
            elif isinstance(node, ast.Import | ast.ImportFrom):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                if isinstance(node, ast.ImportFrom) and node.module:
                    modules.append(node.module)
                if any(m.split(".")[0] in {"asyncio", "threading", "socket"} for m in modules):
                    found.append(f"{name}.py:{node.lineno}: imports {modules}")
    assert not found, "\n".join(found)
