"""Prove the pinned set installs from wheels alone on every platform Hearth ships for.

    python packaging/wheels_check.py [--python 3.12 ...] [--target win_amd64 ...] [--download]

For each target (Windows x64, macOS arm64 and x86_64, manylinux x86_64 and aarch64) and each
Python (3.11, 3.12, 3.13) it asks pip to resolve Hearth's runtime dependencies, its ``test`` and
``package`` extras and ``packaging/requirements-build.txt`` under ``constraints.txt`` with
``--only-binary=:all: --platform … --python-version …`` and prints the wheels chosen. Without
``--download`` pip resolves from the index's metadata (``install --dry-run``) and downloads
nothing; with it, ``pip download`` fetches every wheel into a temporary folder. Either way it
reaches the package index, so it is ``make wheels-check``, not part of ``make test``.

pip evaluates environment markers against the Python running it, not the target, so this script
evaluates the markers of the top-level requirements and of ``constraints.txt`` itself for each
target (``sys_platform``, ``platform_machine``, …) and hands pip the result. Markers on
dependencies of dependencies are still evaluated by pip for this machine.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PYTHONS = ("3.11", "3.12", "3.13")
EXTRAS = ("test", "package")
#: The oldest macOS Qt 6.11 supports (LSMinimumSystemVersion in packaging/macos/Info.plist).
MACOS = "13_0"
#: The newest glibc whose manylinux wheels a Linux target may take: Ubuntu 22.04's on x86_64;
#: on aarch64 Ubuntu 24.04's, because PySide6 6.11's aarch64 wheels are manylinux_2_39.
NEWEST_GLIBC = {"x86_64": 35, "aarch64": 39}


@dataclass(frozen=True)
class Target:
    """One platform: pip's platform tags and the marker values of a Python running there."""

    name: str
    platforms: tuple[str, ...]
    sys_platform: str
    platform_system: str
    platform_machine: str
    os_name: str

    def environment(self, python: str) -> dict[str, str]:
        return {
            "sys_platform": self.sys_platform,
            "platform_system": self.platform_system,
            "platform_machine": self.platform_machine,
            "os_name": self.os_name,
            "python_version": python,
            "python_full_version": f"{python}.0",
            "implementation_name": "cpython",
            "platform_python_implementation": "CPython",
        }


def manylinux(arch: str) -> tuple[str, ...]:
    minors = range(NEWEST_GLIBC[arch], 16, -1)
    return (*(f"manylinux_2_{minor}_{arch}" for minor in minors), f"manylinux2014_{arch}")


TARGETS = (
    Target("win_amd64", ("win_amd64",), "win32", "Windows", "AMD64", "nt"),
    Target("macosx_arm64", (f"macosx_{MACOS}_arm64",), "darwin", "Darwin", "arm64", "posix"),
    Target("macosx_x86_64", (f"macosx_{MACOS}_x86_64",), "darwin", "Darwin", "x86_64", "posix"),
    Target("manylinux_x86_64", manylinux("x86_64"), "linux", "Linux", "x86_64", "posix"),
    Target("manylinux_aarch64", manylinux("aarch64"), "linux", "Linux", "aarch64", "posix"),
)


class WheelsCheckError(Exception):
    """A requirement line this script cannot read."""


def applies(requirement: Requirement, environment: dict[str, str]) -> bool:
    marker: Marker | None = requirement.marker
    return marker is None or marker.evaluate(environment)


def requirement_lines(path: Path) -> list[Requirement]:
    """The requirements of a pip requirements or constraints file (comments and blanks skipped)."""
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        try:
            out.append(Requirement(line))
        except ValueError as exc:
            raise WheelsCheckError(f"{path.name}: {line!r}: {exc}") from None
    return out


def top_level(root: Path) -> list[Requirement]:
    """Runtime dependencies, the extras CI installs, and the installers' build tools."""
    with (root / "pyproject.toml").open("rb") as f:
        project = tomllib.load(f)["project"]
    names = list(project["dependencies"])
    for extra in EXTRAS:
        names += project["optional-dependencies"][extra]
    return [Requirement(n) for n in names] + requirement_lines(
        root / "packaging" / "requirements-build.txt"
    )


def for_target(requirements: list[Requirement], environment: dict[str, str]) -> list[str]:
    """The requirements that apply on this target, markers removed (pip would judge them here)."""
    out = []
    for requirement in requirements:
        if applies(requirement, environment):
            bare = Requirement(str(requirement))
            bare.marker = None
            out.append(str(bare))
    return out


def pip_command(target: Target, python: str, folder: Path, *, download: bool) -> list[str]:
    common = ["--only-binary=:all:", "--implementation", "cp", "--python-version", python]
    for platform in target.platforms:
        common += ["--platform", platform]
    if download:
        return [sys.executable, "-m", "pip", "download", "--quiet", "-d", str(folder), *common]
    return [
        *(sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed"),
        *("--target", str(folder / "target"), "--report", str(folder / "report.json")),
        *common,
    ]


def check(target: Target, python: str, *, download: bool) -> tuple[bool, list[str], str]:
    """(resolved?, wheel file names, pip's error) for one target and Python."""
    environment = target.environment(python)
    with tempfile.TemporaryDirectory(prefix="hearth-wheels-") as tmp:
        folder = Path(tmp)
        constraints = folder / "constraints.txt"
        constraints.write_text(
            "\n".join(for_target(requirement_lines(ROOT / "constraints.txt"), environment)) + "\n"
        )
        command = [
            *pip_command(target, python, folder, download=download),
            "--constraint",
            str(constraints),
            *for_target(top_level(ROOT), environment),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            error = [line for line in done.stderr.splitlines() if "Location" not in line]
            return False, [], "\n".join(error[-6:])
        if download:
            wheels = sorted(p.name for p in folder.iterdir() if p.suffix == ".whl")
        else:
            report = json.loads((folder / "report.json").read_text())
            wheels = sorted(
                item["download_info"]["url"].rsplit("/", 1)[-1] for item in report["install"]
            )
        not_wheels = [w for w in wheels if not w.endswith(".whl")]
        if not_wheels:
            return False, wheels, f"not wheels: {', '.join(not_wheels)}"
        return True, wheels, ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--python", action="append", choices=PYTHONS, help="default: all")
    names = [t.name for t in TARGETS]
    parser.add_argument("--target", action="append", choices=names, help="default: all")
    parser.add_argument("--download", action="store_true", help="download the wheels too")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every wheel")
    args = parser.parse_args(argv)
    failed = 0
    for target in TARGETS:
        if args.target and target.name not in args.target:
            continue
        for python in args.python or PYTHONS:
            try:
                ok, wheels, error = check(target, python, download=args.download)
            except WheelsCheckError as exc:
                print(f"wheels-check: error: {exc}", file=sys.stderr)
                return 2
            status = f"{len(wheels)} wheels" if ok else "FAILED"
            print(f"{target.name:18} cp{python.replace('.', ''):4} {status}", flush=True)
            if args.verbose or not ok:
                for wheel in wheels:
                    print(f"    {wheel}")
            if not ok:
                failed += 1
                print("    " + error.replace("\n", "\n    "))
    print("wheels-check: " + ("every target resolves" if not failed else f"{failed} failed"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
