"""macOS: the Info.plist keys for local network access, entitlements and the dmgbuild settings."""

from __future__ import annotations

import plistlib
from pathlib import Path
from typing import Any

from messenger import APP_ID
from network.discovery import SERVICE_TYPE

from .helpers import PACKAGING

MACOS = PACKAGING / "macos"


def info() -> dict[str, Any]:
    with (MACOS / "Info.plist").open("rb") as f:
        value = plistlib.load(f)
    assert isinstance(value, dict)
    return value


def test_the_bundle_id_is_the_app_id() -> None:
    plist = info()
    assert plist["CFBundleIdentifier"] == APP_ID
    assert plist["CFBundleExecutable"] == "hearth"
    assert plist["CFBundlePackageType"] == "APPL"


def test_local_network_access_is_declared_for_our_bonjour_service() -> None:
    plist = info()
    # macOS 11+ blocks mDNS browsing of services not listed here
    assert plist["NSBonjourServices"] == [SERVICE_TYPE.removesuffix(".local.")]
    assert len(plist["NSLocalNetworkUsageDescription"]) > 20


def test_the_minimum_system_is_one_that_asks_for_local_network_access() -> None:
    major = int(info()["LSMinimumSystemVersion"].split(".")[0])
    assert major >= 11
    assert info()["NSHighResolutionCapable"] is True


def test_the_minimum_system_is_what_qt_6_11_supports() -> None:
    assert info()["LSMinimumSystemVersion"] == "13.0"


def test_hearth_links_are_declared() -> None:
    [url_type] = info()["CFBundleURLTypes"]
    assert url_type["CFBundleURLSchemes"] == ["hearth"]
    assert url_type["CFBundleURLName"].startswith(info()["CFBundleIdentifier"])


def test_entitlements_are_a_plist_of_hardened_runtime_exceptions() -> None:
    with (MACOS / "entitlements.plist").open("rb") as f:
        entitlements = plistlib.load(f)
    assert entitlements
    assert all(key.startswith("com.apple.security.cs.") for key in entitlements)


def test_dmg_settings_put_the_app_beside_applications() -> None:
    path = MACOS / "dmg_settings.py"
    settings: dict[str, Any] = {"defines": {"app": "/tmp/dist/Hearth.app"}, "__file__": str(path)}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), settings)
    assert settings["files"] == ["/tmp/dist/Hearth.app"]
    assert settings["symlinks"] == {"Applications": "/Applications"}
    assert set(settings["icon_locations"]) == {"Hearth.app", "Applications"}
    assert settings["format"] == "UDZO"


def test_dmg_settings_have_defaults_without_defines() -> None:
    path = MACOS / "dmg_settings.py"
    settings: dict[str, Any] = {"__file__": str(path)}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), settings)
    assert Path(settings["application"]).name == "Hearth.app"
