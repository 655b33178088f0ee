"""Profiles on disk: create/open, layout and permissions, wrong passphrase, damage, re-keying."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import msgpack
import pytest

from messenger.storage import (
    MINIMUM,
    PassphraseRejected,
    ProfileCorrupt,
    ProfileExists,
    ProfileMissing,
    WrongPassphrase,
    change_passphrase,
    create_profile,
    keyfile,
    open_profile,
    profile_exists,
)
from tests.posix import assert_mode, posix_only

from .helpers import CIRCLE, PASS, all_files, circle, post, snapshot


def _make(path: Path) -> None:
    store = create_profile(path, PASS, kdf=MINIMUM)
    store.save_circle(circle())
    store.add_post(post(1))
    store.close()


def test_create_then_open_round_trip(profile_dir: Path) -> None:
    assert not profile_exists(profile_dir)
    _make(profile_dir)
    assert profile_exists(profile_dir)
    store = open_profile(profile_dir, PASS)
    try:
        assert store.posts_count(CIRCLE) == 1
        assert store.get_post(post(1).id) == post(1)
        assert not store.ephemeral and store.path == profile_dir
        assert store.integrity_problems() == []
    finally:
        store.close()


def test_layout_and_private_permissions(profile_dir: Path) -> None:
    store = create_profile(profile_dir, PASS, kdf=MINIMUM)
    try:
        store.save_circle(circle())
        names = set(os.listdir(profile_dir))
        assert (
            {"key", "hearth.db", "lock"}
            <= names
            <= {
                "key",
                "hearth.db",
                "hearth.db-wal",
                "hearth.db-shm",
                "lock",
            }
        )
        assert_mode(profile_dir, 0o700)
        for name in names:
            assert_mode(profile_dir / name, 0o600)
        mode = store._db().execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"
        assert store._db().execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert store._db().execute("PRAGMA secure_delete").fetchone()[0] == 1
        assert store._db().execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY
        assert store._db().execute("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        store.close()


def test_database_is_encrypted_with_a_raw_key(profile_dir: Path) -> None:
    _make(profile_dir)
    head = (profile_dir / "hearth.db").read_bytes()[:16]
    assert head != b"SQLite format 3\x00"  # a plain SQLite file starts with this


def test_creating_over_an_existing_profile_is_refused(profile_dir: Path) -> None:
    _make(profile_dir)
    before = snapshot(profile_dir)
    with pytest.raises(ProfileExists):
        create_profile(profile_dir, "another", kdf=MINIMUM)
    assert snapshot(profile_dir) == before


def test_a_create_that_died_before_the_key_file_leaves_no_profile(profile_dir: Path) -> None:
    profile_dir.mkdir()
    (profile_dir / "hearth.db").write_bytes(os.urandom(8192))  # orphan: its key never landed
    (profile_dir / "hearth.db-wal").write_bytes(os.urandom(100))
    assert not profile_exists(profile_dir)
    _make(profile_dir)
    store = open_profile(profile_dir, PASS)
    assert store.posts_count(CIRCLE) == 1
    store.close()


def test_missing_profile(tmp_path: Path) -> None:
    with pytest.raises(ProfileMissing) as info:
        open_profile(tmp_path / "nobody", PASS)
    assert info.value.code == "profile_missing"
    assert not (tmp_path / "nobody").exists()  # opening does not create anything


def test_empty_passphrase_is_refused_before_anything_is_created(tmp_path: Path) -> None:
    with pytest.raises(PassphraseRejected):
        create_profile(tmp_path / "p", "", kdf=MINIMUM)
    assert not (tmp_path / "p").exists()


def test_wrong_passphrase_touches_nothing(profile_dir: Path) -> None:
    _make(profile_dir)
    before = snapshot(profile_dir)
    listing = sorted(os.listdir(profile_dir))
    dir_mtime = profile_dir.stat().st_mtime_ns
    with pytest.raises(WrongPassphrase) as info:
        open_profile(profile_dir, "not the passphrase")
    assert info.value.code == "wrong_passphrase"
    assert snapshot(profile_dir) == before  # same bytes, same mtimes, same modes
    assert sorted(os.listdir(profile_dir)) == listing
    assert profile_dir.stat().st_mtime_ns == dir_mtime
    # and nothing was left locked: the right passphrase opens at once
    open_profile(profile_dir, PASS).close()


def test_wrong_passphrase_when_the_lock_file_is_gone_creates_nothing(profile_dir: Path) -> None:
    _make(profile_dir)
    (profile_dir / "lock").unlink()
    with pytest.raises(WrongPassphrase):
        open_profile(profile_dir, "nope")
    assert not (profile_dir / "lock").exists()


def test_damaged_key_file_is_a_clear_error(profile_dir: Path) -> None:
    _make(profile_dir)
    key = profile_dir / "key"
    data = bytearray(key.read_bytes())
    data[-5] ^= 0x40
    key.write_bytes(bytes(data))
    with pytest.raises(ProfileCorrupt, match=r"damaged|not a Hearth key file") as info:
        open_profile(profile_dir, PASS)
    assert info.value.code == "profile_corrupt"
    key.write_bytes(b'{"this": "is json"}')
    with pytest.raises(ProfileCorrupt, match="not a Hearth key file"):
        open_profile(profile_dir, PASS)


def test_key_file_of_another_profile_does_not_open_this_database(tmp_path: Path) -> None:
    _make(tmp_path / "one")
    _make(tmp_path / "two")
    (tmp_path / "one" / "key").write_bytes((tmp_path / "two" / "key").read_bytes())
    with pytest.raises(ProfileCorrupt, match="cannot be decrypted"):
        open_profile(tmp_path / "one", PASS)
    # the failed open let go of the profile: a second try fails the same way, not "locked"
    with pytest.raises(ProfileCorrupt):
        open_profile(tmp_path / "one", PASS)


def test_missing_database_is_a_clear_error(profile_dir: Path) -> None:
    _make(profile_dir)
    (profile_dir / "hearth.db").unlink()
    with pytest.raises(ProfileCorrupt, match="database file is missing"):
        open_profile(profile_dir, PASS)
    assert not (profile_dir / "hearth.db").exists()


def test_garbage_database_is_a_clear_error(profile_dir: Path) -> None:
    _make(profile_dir)
    for suffix in ("-wal", "-shm"):
        (profile_dir / f"hearth.db{suffix}").unlink(missing_ok=True)
    (profile_dir / "hearth.db").write_bytes(os.urandom(8192))
    with pytest.raises(ProfileCorrupt):
        open_profile(profile_dir, PASS)


def test_profile_path_that_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_bytes(b"x")
    with pytest.raises(ProfileCorrupt, match="not a directory"):
        open_profile(target, PASS)
    with pytest.raises(ProfileCorrupt, match="not a directory"):
        create_profile(target, PASS, kdf=MINIMUM)


def test_change_passphrase(profile_dir: Path) -> None:
    _make(profile_dir)
    old_file = (profile_dir / "key").read_bytes()
    change_passphrase(profile_dir, PASS, "a new passphrase")
    new_file = (profile_dir / "key").read_bytes()
    assert new_file != old_file
    assert msgpack.unpackb(new_file)["salt"] != msgpack.unpackb(old_file)["salt"]
    assert keyfile.read(profile_dir / "key").params == MINIMUM  # limits carried over
    with pytest.raises(WrongPassphrase):
        open_profile(profile_dir, PASS)
    store = open_profile(profile_dir, "a new passphrase")
    assert store.posts_count(CIRCLE) == 1
    store.close()
    assert all_files(profile_dir) == sorted(["key", "hearth.db", "lock"])  # no temp file left
    assert_mode(profile_dir / "key", 0o600)


def test_change_passphrase_while_open_and_with_new_limits(profile_dir: Path) -> None:
    _make(profile_dir)
    store = open_profile(profile_dir, PASS)
    try:
        custom = keyfile.KdfParams(2, 1 << 16)
        change_passphrase(profile_dir, PASS, "second", kdf=custom)
        assert keyfile.read(profile_dir / "key").params == custom
        assert store.posts_count(CIRCLE) == 1
    finally:
        store.close()
    open_profile(profile_dir, "second").close()


def test_change_passphrase_with_the_wrong_old_one_touches_nothing(profile_dir: Path) -> None:
    _make(profile_dir)
    before = snapshot(profile_dir)
    with pytest.raises(WrongPassphrase):
        change_passphrase(profile_dir, "wrong", "new one")
    with pytest.raises(PassphraseRejected):
        change_passphrase(profile_dir, PASS, "")
    assert snapshot(profile_dir) == before


@posix_only
def test_an_existing_directory_keeps_its_mode_but_the_files_are_private(tmp_path: Path) -> None:
    chosen = tmp_path / "chosen"
    chosen.mkdir(mode=0o755)
    os.chmod(chosen, 0o755)
    _make(chosen)
    assert stat.S_IMODE(chosen.stat().st_mode) == 0o755
    for name in os.listdir(chosen):
        assert stat.S_IMODE((chosen / name).stat().st_mode) == 0o600, name


def test_nested_profile_directories_are_created(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b" / "profile"
    _make(deep)
    assert_mode(deep, 0o700)
    open_profile(deep, PASS).close()
