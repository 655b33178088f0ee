"""Where Hearth keeps things: the default profile directory and the bundled resources."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

from . import APP_NAME


def default_profile_dir() -> Path:
    """The platform's per-user data directory for Hearth (nothing is created here)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=True)) / "profile"


def resources_dir() -> Path:
    """The ``resources/`` folder: beside the packages in a checkout, or inside a frozen bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
