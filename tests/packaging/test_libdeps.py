"""packaging/linux/libdeps.py: ldd's answers, Depends and the .deb's pruning, on real ELF files."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from .helpers import load_script, need_tool

LDD_OUTPUT = """\
\tlinux-vdso.so.1 (0x00007ffd4b5e2000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f1e8fda6000)
\tlibQt6Core.so.6 => /opt/hearth/_internal/libQt6Core.so.6 (0x00007f1e8f000000)
\tlibwayland-cursor.so.0 => not found
\t/lib64/ld-linux-x86-64.so.2 (0x00007f1e90a80000)
"""


def libdeps() -> Any:  # the script, loaded as a module
    return load_script("linux/libdeps.py")


def test_ldd_lines_are_read_as_name_and_place() -> None:
    assert libdeps().parse_ldd(LDD_OUTPUT) == [
        ("libxcb-cursor.so.0", "/lib/x86_64-linux-gnu/libxcb-cursor.so.0"),
        ("libQt6Core.so.6", "/opt/hearth/_internal/libQt6Core.so.6"),
        ("libwayland-cursor.so.0", None),
    ]


def test_depends_values_are_read_as_package_names() -> None:
    names = libdeps().parse_depends("libc6 (>= 2.36), libegl1 | libegl-mesa0,\n libxcb1:amd64, ")
    assert names == {"libc6", "libegl1", "libegl-mesa0", "libxcb1"}


def test_the_closure_follows_dependencies_and_virtual_packages() -> None:
    graph = {"libgl1": {"libglx0"}, "libglx0": {"libglx-mesa0"}, "libglx-mesa0": set(), "x": {"y"}}
    assert libdeps().closure(["libgl1"], graph) == {"libgl1", "libglx0", "libglx-mesa0"}


@pytest.fixture
def tiny_bundle(tmp_path: Path) -> Path:
    """A bundle made of one real program (a copy of /bin/true) and an empty _internal."""
    need_tool("ldd", "libc-bin")
    need_tool("dpkg", "dpkg")
    true = shutil.which("true")
    assert true is not None
    bundle = tmp_path / "hearth"
    (bundle / "_internal").mkdir(parents=True)
    shutil.copy(true, bundle / "hearth")
    return bundle


def test_a_system_library_outside_depends_is_reported(tiny_bundle: Path) -> None:
    problems = libdeps().check(tiny_bundle, "")
    assert any("libc.so.6 comes from libc6" in p for p in problems), problems


def test_with_its_package_in_depends_the_bundle_is_complete(tiny_bundle: Path) -> None:
    assert libdeps().check(tiny_bundle, "libc6") == []


def test_a_library_found_nowhere_is_reported(tiny_bundle: Path) -> None:
    """A real ELF whose needed library exists nowhere: patch a copy's DT_NEEDED name."""
    data = (tiny_bundle / "hearth").read_bytes()
    assert b"libc.so.6\0" in data
    (tiny_bundle / "broken").write_bytes(data.replace(b"libc.so.6\0", b"libq.so.6\0", 1))
    problems = libdeps().check(tiny_bundle, "libc6")
    assert any(p.startswith("libq.so.6 not found, needed by broken") for p in problems), problems


def test_prune_removes_only_copies_of_what_depends_installs(tiny_bundle: Path) -> None:
    internal = tiny_bundle / "_internal"
    (internal / "libc.so.6").write_bytes(b"a copy the system provides")
    (internal / "libpython3.11.so.1.0").write_bytes(b"ours")
    removed = libdeps().prune(tiny_bundle, "libc6")
    assert removed == [internal / "libc.so.6"]
    assert (internal / "libpython3.11.so.1.0").exists()


def test_a_missing_bundle_is_a_clear_error(tmp_path: Path) -> None:
    module = libdeps()
    with pytest.raises(module.LibDepsError, match="no bundle"):
        module.check(tmp_path / "nothing", "libc6")
    assert module.main(["check", str(tmp_path / "nothing"), "--depends", "libc6"]) == 2


def test_the_newest_glibc_version_any_elf_file_needs(tmp_path: Path) -> None:
    module = libdeps()
    (tmp_path / "_internal").mkdir()
    (tmp_path / "_internal" / "libold.so").write_bytes(b"\x7fELF\x00GLIBC_2.2.5\x00GLIBC_2.17\x00")
    (tmp_path / "_internal" / "libnew.so").write_bytes(b"\x7fELF\x00GLIBC_2.34\x00GLIBC_2.35\x00")
    (tmp_path / "readme.txt").write_bytes(b"GLIBC_2.99\x00")  # not an ELF file: ignored
    assert module.glibc_needed(tmp_path) == "2.35"
    real = shutil.which("ls")
    if real is not None:  # a real program of this system needs some glibc 2.x
        shutil.copy(real, tmp_path / "_internal" / "ls")
        assert module.glibc_needed(tmp_path).startswith("2.")
    with pytest.raises(module.LibDepsError):
        module.glibc_needed(tmp_path / "nothing")
