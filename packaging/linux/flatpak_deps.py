"""Write the Flatpak module that installs Hearth's Python dependencies offline.

    python packaging/linux/flatpak_deps.py [--python-version 3.13] [-o FILE]

Reads Hearth's runtime dependencies from pyproject.toml and their exact versions from
constraints.txt, leaves out PySide6 and shiboken6 (the io.qt.PySide.BaseApp provides them), asks
pip which wheels those pins are for each Flatpak architecture (``pip install --dry-run --report``,
nothing is installed), and writes ``python3-requirements.json`` beside the manifest: one
``file`` source per wheel with its URL and sha256, and a ``pip3 install --no-index`` command.
flatpak-builder then needs no network. Run it again whenever constraints.txt changes, with
``--python-version`` set to the Python of the manifest's runtime.

Both Flatpak architectures, x86_64 and aarch64, by default (``--arch`` picks one): every pin,
``sqlcipher3`` included, has manylinux wheels for both.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from packaging.markers import Marker

ROOT = Path(__file__).resolve().parent.parent.parent
PROVIDED_BY_BASEAPP = {"pyside6", "pyside6-essentials", "pyside6-addons", "shiboken6"}
ARCHES = {
    "x86_64": ["manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64"],
    "aarch64": ["manylinux_2_28_aarch64", "manylinux_2_17_aarch64", "manylinux2014_aarch64"],
}
MODULE_NAME = "python3-hearth-deps"
#: Marker values of the Flatpak runtime (constraints.txt pins some packages per system).
LINUX = {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"}


class FlatpakDepsError(Exception):
    """The pins or pip's answer do not allow an offline module."""


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_requirements(pyproject: Path, constraints: Path) -> list[str]:
    """``name==version`` for each runtime dependency, pinned as constraints.txt says."""
    with pyproject.open("rb") as f:
        declared = tomllib.load(f)["project"]["dependencies"]
    pins: dict[str, str] = {}
    for line in constraints.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        line, _, marker = line.partition(";")
        if marker.strip() and not Marker(marker).evaluate(LINUX):
            continue  # a pin for another system (Intel Macs)
        if "==" in line:
            name, version = line.split("==", 1)
            pins[canonical(name)] = version.strip()
    out = []
    for requirement in declared:
        name = canonical(re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0])
        if name in PROVIDED_BY_BASEAPP:
            continue
        if name not in pins:
            raise FlatpakDepsError(f"{name} is not pinned in {constraints.name}")
        out.append(f"{name}=={pins[name]}")
    return out


def pip_report(
    requirements: list[str], platforms: list[str], python_version: str
) -> list[dict[str, Any]]:
    """pip's resolution (each item's name, version and download URL), for one platform."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        command = [
            sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed",
            "--only-binary=:all:", "--implementation", "cp", "--python-version", python_version,
            "--target", str(Path(tmp) / "target"), "--report", str(report),
            "--constraint", str(ROOT / "constraints.txt"),
        ]  # fmt: skip
        for platform in platforms:
            command += ["--platform", platform]
        done = subprocess.run([*command, *requirements], capture_output=True, text=True)
        if done.returncode != 0:
            raise FlatpakDepsError(f"pip could not resolve the pins: {done.stderr.strip()}")
        items: list[dict[str, Any]] = json.loads(report.read_text())["install"]
        return items


def sources(reports: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """One Flatpak ``file`` source per wheel; per-architecture wheels get ``only-arches``."""
    by_url: dict[str, dict[str, Any]] = {}
    arches_of: dict[str, list[str]] = {}
    for arch, items in reports.items():
        for item in items:
            info = item["download_info"]
            url = info["url"]
            sha256 = info.get("archive_info", {}).get("hashes", {}).get("sha256")
            if not url.startswith("https://") or not sha256:
                raise FlatpakDepsError(
                    f"{item['metadata']['name']}: pip found {url} without an https URL and a "
                    "sha256; run this where pip uses the public index"
                )
            by_url[url] = {"type": "file", "url": url, "sha256": sha256}
            arches_of.setdefault(url, []).append(arch)
    out = []
    for url, source in sorted(by_url.items(), key=lambda kv: kv[0].rsplit("/", 1)[-1]):
        if not url.endswith("-none-any.whl"):  # a compiled wheel fits its architecture only
            source["only-arches"] = sorted(arches_of[url])
        out.append(source)
    return out


def module(requirements: list[str], wheel_sources: list[dict[str, Any]]) -> dict[str, Any]:
    names = " ".join(r.split("==")[0] for r in requirements)
    return {
        "name": MODULE_NAME,
        "buildsystem": "simple",
        "build-commands": [
            'pip3 install --verbose --exists-action=i --no-index --find-links="file://${PWD}" '
            f"--prefix=${{FLATPAK_DEST}} --no-build-isolation {names}"
        ],
        "sources": wheel_sources,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--python-version", default="3.13", help="the runtime's Python (3.13)")
    parser.add_argument(
        "--arch", action="append", choices=sorted(ARCHES), help="repeatable; default: all"
    )
    parser.add_argument(
        "-o", "--output", type=Path, default=Path(__file__).with_name("python3-requirements.json")
    )
    args = parser.parse_args(argv)
    try:
        requirements = runtime_requirements(ROOT / "pyproject.toml", ROOT / "constraints.txt")
        reports = {
            arch: pip_report(requirements, platforms, args.python_version)
            for arch, platforms in ARCHES.items()
            if arch in (args.arch or list(ARCHES))
        }
        result = module(requirements, sources(reports))
    except FlatpakDepsError as exc:
        print(f"flatpak_deps: error: {exc}", file=sys.stderr)
        return 1
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"flatpak_deps: {len(result['sources'])} wheels for {', '.join(reports)} in {args.output}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
