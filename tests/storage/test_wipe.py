"""Wipe: afterwards the profile directory is empty, and nothing it ever held was in clear."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from messenger.storage import (
    MINIMUM,
    MembershipRecord,
    ProfileMissing,
    StoreClosed,
    create_profile,
    open_ephemeral,
    open_profile,
    profile_exists,
    wipe_profile,
)

from .helpers import CIRCLE, PASS, circle, post, snapshot

# Distinctive texts, each searched for as UTF-8 bytes (and UTF-16, for good measure).
SECRETS = [
    "Marmalade-Zeppelin-7731 told the group about the divorce",
    "Quiet Heron Of Lisbon",
    "Circle Of Saffron Lanterns",
    "private-identity-blob-XYZZY",
    "dm text Obsidian Walrus 4410",
]


def _needles() -> list[bytes]:
    found: list[bytes] = []
    for text in SECRETS:
        for word in text.split():
            if len(word) >= 6:
                found += [word.encode("utf-8"), word.encode("utf-16-le")]
    return found


def _plaintext_in(files: dict[str, tuple[bytes, int, int]]) -> list[str]:
    return [
        f"{name}: {needle!r}"
        for name, (data, _mtime, _mode) in files.items()
        for needle in _needles()
        if needle in data
    ]


def _fill(store_path: Path, snapshots: list[dict[str, tuple[bytes, int, int]]]) -> None:
    from .test_store import _dm

    store = create_profile(store_path, PASS, kdf=MINIMUM)
    store.save_circle(circle(name=SECRETS[2]))
    store.save_membership(MembershipRecord(CIRCLE, SECRETS[3].encode()))
    store.set_setting("pseudonym", SECRETS[1])
    snapshots.append(snapshot(store_path))
    for i in range(200):
        store.add_post(post(i, body=f"{SECRETS[0]} ({i})"))
        if i % 50 == 0:
            snapshots.append(snapshot(store_path))  # the WAL while it holds fresh pages
    store.add_dm(dataclasses.replace(_dm(1), body=SECRETS[4]))
    store.purge_older_than(CIRCLE, post(100).ts)  # deleted rows and a checkpoint, too
    snapshots.append(snapshot(store_path))
    store.close()
    snapshots.append(snapshot(store_path))


def test_wipe_leaves_an_empty_directory_and_no_plaintext_ever(profile_dir: Path) -> None:
    snapshots: list[dict[str, tuple[bytes, int, int]]] = []
    _fill(profile_dir, snapshots)
    # the data is really there (so the byte search below would have found it in clear) ...
    store = open_profile(profile_dir, PASS)
    assert len(store.search(CIRCLE, "Marmalade", limit=500)) == 100
    snapshots.append(snapshot(profile_dir))
    # ... but nothing the profile ever wrote to disk holds it in clear: it is encrypted
    assert any("hearth.db-wal" in s for s in snapshots)
    assert all(s["hearth.db"][0] for s in snapshots)
    for files in snapshots:
        assert _plaintext_in(files) == []
    wipe_profile(profile_dir, store)
    assert profile_dir.is_dir()
    assert os.listdir(profile_dir) == []
    assert not profile_exists(profile_dir)
    assert store.closed
    with pytest.raises(StoreClosed):
        store.posts_count(CIRCLE)
    with pytest.raises(ProfileMissing):
        open_profile(profile_dir, PASS)


def test_the_plaintext_check_would_see_an_unencrypted_copy(tmp_path: Path) -> None:
    # the same bytes through stdlib sqlite3 (no encryption) are found: the check has teeth
    import sqlite3

    conn = sqlite3.connect(tmp_path / "plain.db")
    conn.execute("CREATE TABLE t (body TEXT)")
    conn.execute("INSERT INTO t VALUES (?)", (SECRETS[0],))
    conn.commit()
    conn.close()
    assert _plaintext_in(snapshot(tmp_path)) != []


def test_wipe_without_an_open_store(profile_dir: Path) -> None:
    _fill(profile_dir, [])
    wipe_profile(profile_dir)
    assert os.listdir(profile_dir) == []


def test_wipe_removes_stray_files_of_ours_but_not_of_others(profile_dir: Path) -> None:
    _fill(profile_dir, [])
    (profile_dir / "hearth.db-journal").write_bytes(b"x")
    (profile_dir / ".key.abcdef.tmp").write_bytes(b"half-written key")
    (profile_dir / "notes.txt").write_bytes(b"the user's own file")
    wipe_profile(profile_dir)
    assert os.listdir(profile_dir) == ["notes.txt"]


def test_the_key_file_is_overwritten_before_it_is_deleted(profile_dir: Path) -> None:
    _fill(profile_dir, [])
    key = profile_dir / "key"
    original = key.read_bytes()
    holder = os.open(key, os.O_RDONLY)  # keeps the inode readable after the unlink
    try:
        wipe_profile(profile_dir)
        after = os.pread(holder, len(original) + 16, 0)
    finally:
        os.close(holder)
    assert len(after) == len(original)
    assert after != original
    assert b"hearth-key" not in after


def test_wipe_is_idempotent_and_harmless_where_nothing_is(tmp_path: Path) -> None:
    wipe_profile(tmp_path / "never-existed")
    assert not (tmp_path / "never-existed").exists()
    (tmp_path / "empty").mkdir()
    wipe_profile(tmp_path / "empty")
    wipe_profile(tmp_path / "empty")
    assert os.listdir(tmp_path / "empty") == []


def test_wiping_an_ephemeral_session_just_ends_it(tmp_path: Path) -> None:
    store = open_ephemeral()
    store.save_circle(circle())
    wipe_profile(tmp_path / "unused", store)
    assert store.closed
    assert not (tmp_path / "unused").exists()
