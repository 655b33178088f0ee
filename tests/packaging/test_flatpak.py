"""The Flatpak manifest and its pinned wheels (packaging/linux), read without flatpak-builder."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from messenger import APP_ID

from .helpers import PACKAGING, ROOT, load_script
from .mini_yaml import loads

MANIFEST = PACKAGING / "linux" / f"{APP_ID}.yml"
WHEELS = PACKAGING / "linux" / "python3-requirements.json"


def manifest() -> dict[str, Any]:
    value = loads(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(value, dict)
    return value


def app_module() -> dict[str, Any]:
    [module] = [m for m in manifest()["modules"] if isinstance(m, dict) and m["name"] == "hearth"]
    return module


def test_the_app_id_and_command() -> None:
    m = manifest()
    assert m["app-id"] == APP_ID
    assert MANIFEST.name == f"{APP_ID}.yml"
    assert m["command"] == "hearth"


def test_it_builds_on_the_pyside_baseapp_of_its_kde_runtime() -> None:
    m = manifest()
    assert m["base"] == "io.qt.PySide.BaseApp"
    assert m["runtime"] == "org.kde.Platform" and m["sdk"] == "org.kde.Sdk"
    assert m["base-version"] == m["runtime-version"]
    assert "/app/cleanup-BaseApp.sh" in m["cleanup-commands"]


def test_the_sandbox_may_use_the_network_and_show_windows() -> None:
    args = manifest()["finish-args"]
    assert "--share=network" in args  # mDNS and direct connections
    assert "--socket=wayland" in args
    assert "--socket=fallback-x11" in args or "--socket=x11" in args
    assert not [a for a in args if a.startswith("--filesystem")]  # the profile stays inside
    assert "--talk-name=org.kde.StatusNotifierWatcher" in args  # the tray icon
    assert "--talk-name=org.freedesktop.Notifications" in args


def test_it_installs_the_desktop_entry_metainfo_icon_and_resources() -> None:
    commands = "\n".join(app_module()["build-commands"])
    for path in (
        f"resources/linux/{APP_ID}.desktop",
        f"resources/linux/{APP_ID}.metainfo.xml",
        f"share/applications/{APP_ID}.desktop",
        f"share/metainfo/{APP_ID}.metainfo.xml",
        f"share/icons/hicolor/scalable/apps/{APP_ID}.svg",
        "cp -r resources",
    ):
        assert path in commands
    for source in re.findall(r"install -Dm644 (\S+)", commands):
        if "icons/" not in source:  # the icon is the UI's, checked by make package
            assert (ROOT / source).is_file(), source
    [source] = app_module()["sources"]
    assert source["type"] == "dir" and (MANIFEST.parent / source["path"]).resolve() == ROOT
    assert ".venv" in source["skip"] and "dist" in source["skip"]


def test_every_module_file_it_names_exists() -> None:
    for module in manifest()["modules"]:
        if isinstance(module, str):
            assert (MANIFEST.parent / module).is_file(), module


def test_the_pinned_wheels_match_constraints() -> None:
    """python3-requirements.json is regenerated (flatpak_deps.py) when the pins change."""
    deps = load_script("linux/flatpak_deps.py")
    module = json.loads(WHEELS.read_text(encoding="utf-8"))
    files = [s["url"].rsplit("/", 1)[-1] for s in module["sources"]]
    for requirement in deps.runtime_requirements(ROOT / "pyproject.toml", ROOT / "constraints.txt"):
        name, version = requirement.split("==")
        stem = "[-_.]".join(re.escape(part) for part in name.split("-"))
        wanted = re.compile(rf"^{stem}-{re.escape(version)}-", re.IGNORECASE)
        assert any(wanted.match(f) for f in files), f"no wheel for {requirement}: run flatpak_deps"
    for source in module["sources"]:
        assert source["url"].startswith("https://") and len(source["sha256"]) == 64
    assert not any(f.lower().startswith(("pyside6", "shiboken6")) for f in files)
    arches = {a for s in module["sources"] for a in s.get("only-arches", [])}
    assert arches == {"x86_64", "aarch64"}  # both Flatpak architectures have every wheel
    for arch in arches:
        compiled = [
            f
            for s, f in zip(module["sources"], files, strict=True)
            if arch in s.get("only-arches", [])
        ]
        assert any(f.startswith("sqlcipher3-") for f in compiled), arch


def test_runtime_requirements_leave_pyside_to_the_baseapp(tmp_path: Path) -> None:
    deps = load_script("linux/flatpak_deps.py")
    reqs = deps.runtime_requirements(ROOT / "pyproject.toml", ROOT / "constraints.txt")
    assert all("==" in r for r in reqs)
    assert not [r for r in reqs if r.startswith(("pyside6", "shiboken6"))]
    assert any(r.startswith("sqlcipher3==") for r in reqs)
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndependencies = ["PySide6-Essentials>=6", "zeroconf>=0.1"]\n'
    )
    (tmp_path / "constraints.txt").write_text("PySide6-Essentials==6.12.0\n")
    with pytest.raises(deps.FlatpakDepsError, match="zeroconf is not pinned"):
        deps.runtime_requirements(tmp_path / "pyproject.toml", tmp_path / "constraints.txt")


def test_sources_need_https_and_mark_compiled_wheels_per_architecture() -> None:
    deps = load_script("linux/flatpak_deps.py")

    def item(url: str) -> dict[str, Any]:
        return {
            "metadata": {"name": "x"},
            "download_info": {"url": url, "archive_info": {"hashes": {"sha256": "0" * 64}}},
        }

    pure = "https://files.example/p/ifaddr-0.2.0-py3-none-any.whl"
    x86 = "https://files.example/p/msgpack-1.2.4-cp313-cp313-manylinux_2_17_x86_64.whl"
    arm = "https://files.example/p/msgpack-1.2.4-cp313-cp313-manylinux_2_17_aarch64.whl"
    out = deps.sources({"x86_64": [item(pure), item(x86)], "aarch64": [item(pure), item(arm)]})
    by_url = {s["url"]: s for s in out}
    assert "only-arches" not in by_url[pure]
    assert by_url[x86]["only-arches"] == ["x86_64"] and by_url[arm]["only-arches"] == ["aarch64"]
    with pytest.raises(deps.FlatpakDepsError, match="https"):
        deps.sources({"x86_64": [item("file:///opt/wheels/ifaddr-0.2.0-py3-none-any.whl")]})
