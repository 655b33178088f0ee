"""What a frozen Linux bundle needs from the system, read from its ELF files with ``ldd``.

    python packaging/linux/libdeps.py check BUNDLE --depends "libc6, libegl1, ..."
    python packaging/linux/libdeps.py prune BUNDLE --depends "..."
    python packaging/linux/libdeps.py glibc BUNDLE

``check`` runs ``ldd`` on every shared object and program in BUNDLE the way the PyInstaller
bootloader loads them (``LD_LIBRARY_PATH`` set to the bundle's ``_internal``), then fails when a
library resolves nowhere, or when one resolves from the system but its Debian package (``dpkg -S``)
is not in the given ``Depends``. ``prune`` deletes the bundle's own copies of libraries that those
packages install on this machine: the ``.deb`` uses the system's instead. ``glibc`` prints the
newest glibc symbol version any ELF file of the bundle asks for (the ``.deb``'s ``libc6 (>= …)``).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

_LDD_LINE = re.compile(r"^\s*(\S+)\s+=>\s+(not found|\S+)")
_ELF_MAGIC = b"\x7fELF"
_GLIBC_VERSION = re.compile(rb"GLIBC_(2\.[0-9]+(?:\.[0-9]+)?)\x00")


class LibDepsError(Exception):
    """The bundle cannot be examined (missing folder, no ldd, no dpkg)."""


@dataclass(frozen=True)
class Resolution:
    """Where one needed library was found for one ELF file of the bundle."""

    needed_by: Path
    soname: str
    path: Path | None  # None: not found anywhere


@dataclass(frozen=True)
class Report:
    missing: tuple[Resolution, ...]
    system: dict[str, Path]  # soname -> where the system provides it
    packages: dict[str, str]  # soname -> Debian package
    unpackaged: tuple[str, ...]  # system sonames that no package owns


def internal_dir(bundle: Path) -> Path:
    internal = bundle / "_internal"
    return internal if internal.is_dir() else bundle


def elf_files(bundle: Path) -> list[Path]:
    out = []
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as f:
                if f.read(4) == _ELF_MAGIC:
                    out.append(path)
    return out


def parse_ldd(text: str) -> list[tuple[str, str | None]]:
    """(soname, path or None) for each ``name => path`` line of ldd's output."""
    out: list[tuple[str, str | None]] = []
    for line in text.splitlines():
        match = _LDD_LINE.match(line)
        if match:
            name, where = match.groups()
            out.append((name, None if where == "not found" else where))
    return out


def _ldd(elf: Path, env: dict[str, str]) -> list[Resolution]:
    try:
        done = subprocess.run(
            ["ldd", str(elf)], capture_output=True, text=True, env=env, timeout=60
        )
    except FileNotFoundError:
        raise LibDepsError("ldd is not installed (Debian package libc-bin)") from None
    if done.returncode != 0:  # "not a dynamic executable": static, or another machine's
        return []
    return [
        Resolution(elf, name, Path(where) if where else None)
        for name, where in parse_ldd(done.stdout)
    ]


def resolve(bundle: Path) -> list[Resolution]:
    if not bundle.is_dir():
        raise LibDepsError(f"no bundle at {bundle}")
    env = dict(os.environ, LD_LIBRARY_PATH=str(internal_dir(bundle)))
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = pool.map(lambda elf: _ldd(elf, env), elf_files(bundle))
        return [r for rs in found for r in rs]


def _dpkg_search(paths: Iterable[str]) -> dict[str, str]:
    """path -> owning package, for the paths dpkg knows (one ``dpkg -S`` for all)."""
    wanted = sorted(set(paths))
    if not wanted:
        return {}
    try:
        done = subprocess.run(["dpkg", "-S", *wanted], capture_output=True, text=True, timeout=120)
    except FileNotFoundError:
        raise LibDepsError("dpkg is not installed: run this on Debian or Ubuntu") from None
    owners: dict[str, str] = {}
    for line in done.stdout.splitlines():
        packages, sep, path = line.partition(": ")
        if sep and path in wanted:
            owners[path] = packages.split(",")[0].strip().split(":")[0]  # drop ":amd64"
    return owners


def _twins(path: Path) -> list[str]:
    """The path, its real path, and its twin across the /usr merge (/lib <-> /usr/lib)."""
    out = [str(path), str(path.resolve())]
    for text in list(out):
        if text.startswith("/usr/lib/"):
            out.append(text.removeprefix("/usr"))
        elif text.startswith("/lib/"):
            out.append("/usr" + text)
    return out


def dpkg_owners(paths: Iterable[Path]) -> dict[Path, str]:
    """The Debian package that installed each path (absent when none did)."""
    twins = {path: _twins(path) for path in paths}
    found = _dpkg_search(t for ts in twins.values() for t in ts)
    out: dict[Path, str] = {}
    for path, candidates in twins.items():
        for candidate in candidates:
            if candidate in found:
                out[path] = found[candidate]
                break
    return out


def parse_depends(text: str) -> set[str]:
    """Package names from a Depends value ("a (>= 1), b | c" -> {a, b, c})."""
    names = set()
    for clause in text.split(","):
        for alternative in clause.split("|"):
            name = alternative.strip().split(" ")[0].split("(")[0].split(":")[0]
            if name:
                names.add(name)
    return names


def examine(bundle: Path) -> Report:
    resolutions = resolve(bundle)
    missing = tuple(r for r in resolutions if r.path is None)
    system: dict[str, Path] = {}
    for r in resolutions:
        if r.path is not None and not r.path.resolve().is_relative_to(bundle.resolve()):
            system.setdefault(r.soname, r.path)
    owners = dpkg_owners(system.values())
    packages: dict[str, str] = {}
    unpackaged = []
    for soname, path in sorted(system.items()):
        if path in owners:
            packages[soname] = owners[path]
        else:
            unpackaged.append(soname)
    return Report(missing, system, packages, tuple(unpackaged))


def installed_depends() -> dict[str, set[str]]:
    """Every installed package and the packages it depends on (one ``dpkg-query``)."""
    try:
        done = subprocess.run(
            ["dpkg-query", "-W", "-f=${Package}\t${Provides}\t${Depends}, ${Pre-Depends}\n"],
            capture_output=True,
            text=True,
            timeout=120,
        )
    except FileNotFoundError:
        raise LibDepsError("dpkg-query is not installed: run this on Debian or Ubuntu") from None
    graph: dict[str, set[str]] = {}
    for line in done.stdout.splitlines():
        package, _, rest = line.partition("\t")
        provides, _, depends = rest.partition("\t")
        graph.setdefault(package, set()).update(parse_depends(depends))
        for virtual in parse_depends(provides):  # a virtual name leads to its provider
            graph.setdefault(virtual, set()).add(package)
    return graph


def closure(packages: Iterable[str], graph: dict[str, set[str]]) -> set[str]:
    """The packages named and everything they depend on, as installed here."""
    seen: set[str] = set()
    todo = list(packages)
    while todo:
        package = todo.pop()
        if package not in seen:
            seen.add(package)
            todo.extend(graph.get(package, set()) - seen)
    return seen


def check(bundle: Path, depends: str) -> list[str]:
    """Problems (empty when the bundle and Depends are complete), and prints what it found.

    A system library is covered when its package is in Depends or is pulled in by one that is.
    """
    report = examine(bundle)
    covered = closure(parse_depends(depends), installed_depends())
    problems = []
    for soname, needers in sorted(_missing_by_soname(report.missing, bundle).items()):
        problems.append(f"{soname} not found, needed by {', '.join(needers)}")
    for soname, package in sorted(report.packages.items()):
        if package not in covered:
            problems.append(f"{soname} comes from {package}, which Depends does not cover")
    for soname in report.unpackaged:
        problems.append(f"{soname} ({report.system[soname]}) is owned by no Debian package")
    needed = sorted(set(report.packages.values()))
    print(f"libdeps: {len(report.system)} system libraries from: {', '.join(needed)}")
    return problems


def _missing_by_soname(missing: Iterable[Resolution], bundle: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in missing:
        needer = str(r.needed_by.relative_to(bundle))
        if needer not in out.setdefault(r.soname, []):
            out[r.soname].append(needer)
    return out


def package_files(packages: Iterable[str]) -> set[str]:
    """Base names of the shared libraries that the given installed packages hold."""
    names: set[str] = set()
    for package in packages:
        done = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            continue
        for line in done.stdout.splitlines():
            base = line.rsplit("/", 1)[-1]
            if ".so" in base:
                names.add(base)
    return names


def prune(bundle: Path, depends: str) -> list[Path]:
    """Remove the bundle's top-level copies of libraries that the Depends packages install."""
    provided = package_files(parse_depends(depends))
    removed = []
    for path in sorted(internal_dir(bundle).iterdir()):
        if path.name in provided and (path.is_file() or path.is_symlink()):
            path.unlink()
            removed.append(path)
    return removed


def glibc_needed(bundle: Path) -> str:
    """The newest ``GLIBC_2.x`` symbol version the bundle's ELF files need ("2.17" at least)."""
    if not bundle.is_dir():
        raise LibDepsError(f"no bundle at {bundle}")
    newest = (2, 17)
    for elf in elf_files(bundle):
        for match in _GLIBC_VERSION.finditer(elf.read_bytes()):
            version = tuple(int(part) for part in match.group(1).split(b"."))
            newest = max(newest, version[:2])
    return ".".join(str(part) for part in newest)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("action", choices=("check", "prune", "glibc"))
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--depends", default="", help="the .deb's Depends value")
    args = parser.parse_args(argv)
    if args.action != "glibc" and not args.depends:
        parser.error(f"{args.action} needs --depends")
    try:
        if args.action == "glibc":
            print(glibc_needed(args.bundle))
            return 0
        if args.action == "prune":
            removed = prune(args.bundle, args.depends)
            print(f"libdeps: removed {len(removed)} libraries the system provides")
            return 0
        problems = check(args.bundle, args.depends)
    except LibDepsError as exc:
        print(f"libdeps: error: {exc}", file=sys.stderr)
        return 2
    for problem in problems:
        print(f"libdeps: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
