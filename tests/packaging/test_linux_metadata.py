"""The desktop entry and AppStream metainfo in resources/linux: validators, ids, versions."""

from __future__ import annotations

import configparser
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from messenger import APP_ID, APP_NAME

from .helpers import ROOT, need_tool

LINUX = ROOT / "resources" / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
PLACEHOLDER = "https://hearth.example.org/screenshots/"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(DESKTOP.read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


def metainfo() -> ET.Element:
    return ET.parse(METAINFO).getroot()


def test_both_files_are_named_for_the_app_id() -> None:
    assert DESKTOP.is_file() and METAINFO.is_file()
    assert metainfo().findtext("id") == APP_ID


def test_the_desktop_entry_launches_hearth_with_the_themed_icon() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == APP_NAME
    assert entry["Exec"].split()[0] == "hearth"
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    assert "Chat" in entry["Categories"].split(";")


def test_the_desktop_entry_opens_hearth_links() -> None:
    entry = desktop_entry()
    assert entry["Exec"] == "hearth %u"  # the link is handed over as one argument
    assert "x-scheme-handler/hearth" in entry["MimeType"].split(";")


def test_the_metainfo_points_at_the_desktop_entry_and_the_program() -> None:
    root = metainfo()
    assert root.get("type") == "desktop-application"
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name
    assert root.findtext("provides/binary") == "hearth"
    assert root.findtext("project_license") == "GPL-3.0-or-later"


def test_the_content_rating_declares_chat_between_users() -> None:
    rating = metainfo().find("content_rating")
    assert rating is not None and rating.get("type") == "oars-1.1"
    attributes = {a.get("id"): a.text for a in rating.findall("content_attribute")}
    assert attributes.get("social-chat") == "intense"  # members talk freely, unmoderated by us


def test_the_newest_release_is_the_project_version() -> None:
    with (ROOT / "pyproject.toml").open("rb") as f:
        version = tomllib.load(f)["project"]["version"]
    releases = metainfo().findall("releases/release")
    assert releases, "no <release> in the metainfo"
    assert releases[0].get("version") == version, "add a <release> for the new version"


def test_every_screenshot_is_a_file_in_docs_screenshots() -> None:
    images = [i.text or "" for i in metainfo().findall("screenshots/screenshot/image")]
    assert images
    for url in images:
        assert url.startswith(PLACEHOLDER), url  # build.sh rewrites this host when publishing
        assert (ROOT / "docs" / "screenshots" / url.removeprefix(PLACEHOLDER)).is_file(), url


def test_desktop_file_validate_accepts_the_entry() -> None:
    tool = need_tool("desktop-file-validate", "desktop-file-utils")
    done = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_appstreamcli_accepts_the_metainfo_offline() -> None:
    tool = need_tool("appstreamcli", "appstream")
    done = subprocess.run(
        [tool, "validate", "--no-net", "--explain", str(METAINFO)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("bad", ["missing-id", "web-url"])
def test_appstreamcli_rejects_a_broken_copy(tmp_path: Path, bad: str) -> None:
    """The validator check is real: a broken copy fails it."""
    tool = need_tool("appstreamcli", "appstream")
    text = METAINFO.read_text(encoding="utf-8")
    if bad == "missing-id":
        text = text.replace(f"<id>{APP_ID}</id>", "")
    else:
        text = text.replace(PLACEHOLDER, "docs/screenshots/")
    broken = tmp_path / f"{APP_ID}.metainfo.xml"
    broken.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [tool, "validate", "--no-net", str(broken)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
