"""A passphrase change leaves no old wrapped key behind (overwritten in place, then the new key
file renamed over it, on every OS), and an interruption between the two loses nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from messenger.storage import (
    MINIMUM,
    ProfileCorrupt,
    WrongPassphrase,
    change_passphrase,
    files,
    keyfile,
    open_profile,
)

from .helpers import CIRCLE, PASS, make_profile

NEW = "a brand new passphrase"


def _every_byte(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_the_old_wrapped_key_is_overwritten_where_it_was(profile_dir: Path, tmp_path: Path) -> None:
    make_profile(profile_dir)
    old = keyfile.read(profile_dir / "key")
    # A second name for the old key file's own bytes: what a later look at the disk would find.
    old_bytes_place = tmp_path / "old-key-inode"
    os.link(profile_dir / "key", old_bytes_place)
    change_passphrase(profile_dir, PASS, NEW)
    assert old.wrapped not in old_bytes_place.read_bytes()
    assert old.salt not in old_bytes_place.read_bytes()
    assert old.wrapped not in _every_byte(profile_dir)
    assert files.leftovers(profile_dir / "key") == []
    with pytest.raises(WrongPassphrase):
        open_profile(profile_dir, PASS)
    store = open_profile(profile_dir, NEW)
    assert store.posts_count(CIRCLE) == 1
    store.close()


def test_a_change_interrupted_after_the_overwrite_is_finished_at_the_next_open(
    profile_dir: Path,
) -> None:
    make_profile(profile_dir)
    key = keyfile.unwrap_key(keyfile.read(profile_dir / "key"), PASS)
    new_file = keyfile.wrap_key(key, NEW, MINIMUM).encode()
    # The state a crash leaves between the two steps: the whole new file under its temp name,
    # the old one already overwritten with noise.
    files.temp_name(profile_dir / "key").write_bytes(new_file)
    assert files.overwrite(profile_dir / "key")
    store = open_profile(profile_dir, NEW)
    assert store.posts_count(CIRCLE) == 1
    store.close()
    assert (profile_dir / "key").read_bytes() == new_file
    assert files.leftovers(profile_dir / "key") == []


def test_a_damaged_key_file_without_a_whole_leftover_stays_an_error(profile_dir: Path) -> None:
    make_profile(profile_dir)
    files.temp_name(profile_dir / "key").write_bytes(b"half a key file")
    assert files.overwrite(profile_dir / "key")
    with pytest.raises(ProfileCorrupt):
        open_profile(profile_dir, PASS)
