"""packaging/windows/hearth.nsi compiles with makensis against a dummy payload."""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import pytest

from tests.posix import posix_only

from .helpers import PACKAGING, need_tool

NSI = PACKAGING / "windows" / "hearth.nsi"


@pytest.fixture
def payload(tmp_path: Path) -> Path:
    """A folder shaped like dist/hearth on Windows, with fake programs."""
    folder = tmp_path / "hearth"
    (folder / "_internal" / "resources" / "words").mkdir(parents=True)
    (folder / "hearth.exe").write_bytes(b"MZ fake windowed program")
    (folder / "hearth-cli.exe").write_bytes(b"MZ fake console program")
    (folder / "_internal" / "resources" / "words" / "nouns.txt").write_text("hearth\n")
    return folder


def makensis(*defines: str) -> subprocess.CompletedProcess[str]:
    tool = need_tool("makensis", "nsis")
    return subprocess.run(
        [tool, "-WX", "-V2", *defines, str(NSI)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=NSI.parent,
    )


def file_version(exe: bytes) -> tuple[int, int, int, int]:
    """The VS_FIXEDFILEINFO file version of a Windows program."""
    at = exe.find(struct.pack("<I", 0xFEEF04BD))
    assert at >= 0, "no version resource"
    ms, ls = struct.unpack("<II", exe[at + 8 : at + 16])
    return ms >> 16, ms & 0xFFFF, ls >> 16, ls & 0xFFFF


def test_the_installer_compiles_with_the_version_from_a_define(
    payload: Path, tmp_path: Path
) -> None:
    out = tmp_path / "Hearth-2.10.3-Setup.exe"
    done = makensis("-DVERSION=2.10.3", f"-DSOURCE_DIR={payload}", f"-DOUTFILE={out}")
    assert done.returncode == 0, done.stdout + done.stderr
    data = out.read_bytes()
    assert data[:2] == b"MZ"
    assert file_version(data) == (2, 10, 3, 0)


@pytest.mark.usefixtures("qapp")
def test_an_icon_can_be_given(payload: Path, tmp_path: Path) -> None:
    from .test_make_icons import write_icons

    icons = write_icons(tmp_path / "icons")
    out = tmp_path / "Hearth-0.1.0-Setup.exe"
    done = makensis(
        "-DVERSION=0.1.0",
        f"-DSOURCE_DIR={payload}",
        f"-DOUTFILE={out}",
        f"-DICON={icons / 'hearth.ico'}",
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_without_a_version_it_refuses_with_a_reason(payload: Path, tmp_path: Path) -> None:
    done = makensis(f"-DSOURCE_DIR={payload}", f"-DOUTFILE={tmp_path / 'x.exe'}")
    assert done.returncode != 0
    assert "VERSION is not defined" in done.stdout + done.stderr


def test_without_a_payload_it_fails(tmp_path: Path) -> None:
    done = makensis(
        "-DVERSION=0.1.0", f"-DSOURCE_DIR={tmp_path / 'nothing'}", f"-DOUTFILE={tmp_path / 'x.exe'}"
    )
    assert done.returncode != 0


def test_the_script_installs_a_shortcut_and_an_uninstaller() -> None:
    text = NSI.read_text(encoding="utf-8")
    assert "MULTIUSER_USE_PROGRAMFILES64" in text  # Program Files for all users
    assert 'CreateShortcut "$SMPROGRAMS\\${APP_NAME}.lnk"' in text
    assert "WriteUninstaller" in text and 'Section "Uninstall"' in text
    # the uninstaller never removes the install folder recursively (it may be shared)
    assert 'RMDir /r "$INSTDIR"' not in text


def test_all_users_or_just_me_links_firewall_and_no_elevated_start() -> None:
    text = NSI.read_text(encoding="utf-8")
    assert "!insertmacro MULTIUSER_PAGE_INSTALLMODE" in text  # a per-user install is offered
    assert "HKLM" not in text  # SHCTX: HKLM for all users, HKCU for one
    # hearth:// links
    assert 'WriteRegStr SHCTX "${URL_KEY}" "URL Protocol" ""' in text
    assert '"$INSTDIR\\${EXE}" "%1"' in text
    assert 'DeleteRegKey SHCTX "${URL_KEY}"' in text
    # a firewall rule for private networks, added on install and removed on uninstall
    add = text.index("firewall add rule")
    assert "profile=private" in text[add : text.index("\n", add)]
    assert text.count("firewall delete rule") == 2  # before adding (upgrades) and uninstalling
    # the finish page starts Hearth through Explorer, never with the installer's rights
    assert "MUI_FINISHPAGE_RUN_FUNCTION StartUnelevated" in text
    assert '"$WINDIR\\explorer.exe" "$INSTDIR\\${EXE}"' in text


@posix_only
def test_a_sign_command_signs_the_uninstaller_and_the_installer(
    payload: Path, tmp_path: Path
) -> None:
    log = tmp_path / "signed.txt"
    signer = tmp_path / "sign.sh"
    signer.write_text(f'#!/bin/sh\necho "$1" >> "{log}"\n')
    signer.chmod(0o755)
    out = tmp_path / "Hearth-1.0.0-Setup.exe"
    done = makensis(
        "-DVERSION=1.0.0", f"-DSOURCE_DIR={payload}", f"-DOUTFILE={out}", f"-DSIGN_COMMAND={signer}"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    signed = log.read_text().splitlines()
    assert len(signed) == 2  # the uninstaller while it is written, then the installer
    assert signed[1] == str(out)
