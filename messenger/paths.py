"""Where Hearth keeps things: the default profile directory and the bundled resources."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

from . import APP_NAME


def default_profile_dir() -> Path:
    """The platform's local, per-user data directory for Hearth (nothing is created here).

    Local, not roaming: on Windows ``%LOCALAPPDATA%\\Hearth\\profile``. A roaming profile
    (``%APPDATA%``) is copied to a domain's servers at every sign-out, and a profile's data and
    keys must stay on this machine. Linux: ``~/.local/share/Hearth/profile``; macOS:
    ``~/Library/Application Support/Hearth/profile`` (excluded from Time Machine when created).
    """
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False)) / "profile"


def resources_dir() -> Path:
    """The ``resources/`` folder: beside the packages in a checkout, or inside a frozen bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
