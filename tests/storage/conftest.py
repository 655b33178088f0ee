"""Fixtures for the storage tests: fast Argon2 limits and an open profile on a real file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from messenger.storage import MINIMUM, Store, create_profile

from .helpers import PASS, circle


@pytest.fixture
def profile_dir(tmp_path: Path) -> Path:
    return tmp_path / "profile"


@pytest.fixture
def store(profile_dir: Path) -> Iterator[Store]:
    """A fresh profile (cheapest Argon2id) with one circle saved; closed after the test."""
    opened = create_profile(profile_dir, PASS, kdf=MINIMUM)
    opened.save_circle(circle())
    try:
        yield opened
    finally:
        opened.close()
