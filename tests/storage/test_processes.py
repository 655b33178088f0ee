"""Real second processes: kill -9 in the middle of a write burst; one process per profile."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from messenger.storage import (
    MINIMUM,
    ProfileLocked,
    create_profile,
    open_profile,
    wipe_profile,
)
from tests.posix import posix_only

from .helpers import CIRCLE, PASS, all_files, circle

ROOT = Path(__file__).resolve().parents[2]


def _child(mode: str, profile: Path, **env: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.storage.child", mode, str(profile)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **env},
    )


def _read_lines(proc: subprocess.Popen[bytes], want: int, timeout: float) -> list[str]:
    """Lines from the child's stdout until ``want`` of them or ``timeout`` seconds."""
    assert proc.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    buffer, lines = b"", list[str]()
    deadline = time.monotonic() + timeout
    try:
        while len(lines) < want and time.monotonic() < deadline:
            if not selector.select(timeout=0.2):
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            buffer += chunk
            *complete, buffer = buffer.split(b"\n")
            lines += [c.decode() for c in complete]
    finally:
        selector.close()
    return lines


def _make_profile(path: Path) -> None:
    store = create_profile(path, PASS, kdf=MINIMUM)
    store.save_circle(circle())
    store.close()


@posix_only
def test_every_acknowledged_post_survives_kill_9(profile_dir: Path) -> None:
    _make_profile(profile_dir)
    proc = _child("burst", profile_dir)
    try:
        acked = _read_lines(proc, 400, timeout=60)
        assert len(acked) >= 400, proc.stderr.read().decode() if proc.stderr else ""
        proc.send_signal(signal.SIGKILL)
        # whatever else it printed before it died was acknowledged too
        rest, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL  # it really was killed mid-burst
    acked += [line for line in rest.decode().split("\n") if line]
    acked = [line for line in acked if len(line) == 64]  # a last partial line is not an ack
    assert len(acked) >= 400
    store = open_profile(profile_dir, PASS)  # the kernel dropped the dead process's lock
    try:
        assert store.integrity_problems() == []
        have = store.known_post_ids(bytes.fromhex(h) for h in acked)
        assert len(have) == len(set(acked))
        assert store.posts_count(CIRCLE) >= len(set(acked))
        store._db().execute("INSERT INTO posts_fts (posts_fts, rank) VALUES ('integrity-check', 1)")
    finally:
        store.close()


def test_a_profile_is_open_in_one_process_at_a_time(profile_dir: Path) -> None:
    _make_profile(profile_dir)
    proc = _child("hold", profile_dir)
    try:
        assert _read_lines(proc, 1, timeout=30) == ["ready"]
        with pytest.raises(ProfileLocked) as info:
            open_profile(profile_dir, PASS)
        assert info.value.code == "profile_locked"
        with pytest.raises(ProfileLocked):
            wipe_profile(profile_dir)
        assert "key" in all_files(profile_dir)  # the refused wipe removed nothing
        proc.communicate(b"", timeout=30)  # let it close the profile
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    assert proc.returncode == 0
    open_profile(profile_dir, PASS).close()


@posix_only
def test_the_lock_dies_with_its_process(profile_dir: Path) -> None:
    _make_profile(profile_dir)
    proc = _child("hold", profile_dir)
    try:
        assert _read_lines(proc, 1, timeout=30) == ["ready"]
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    store = open_profile(profile_dir, PASS)
    assert store.integrity_problems() == []
    store.close()


def test_a_second_open_in_the_same_process_is_refused(profile_dir: Path) -> None:
    _make_profile(profile_dir)
    first = open_profile(profile_dir, PASS)
    try:
        with pytest.raises(ProfileLocked):
            open_profile(profile_dir, PASS)
    finally:
        first.close()
    open_profile(profile_dir, PASS).close()  # closing let go


def test_an_ephemeral_session_writes_nothing_anywhere(tmp_path: Path) -> None:
    home = tmp_path / "home"
    tmp = tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    profile = home / ".local" / "share" / "Hearth" / "profile"
    env = {
        "HOME": str(home),
        "TMPDIR": str(tmp),
        "TMP": str(tmp),
        "TEMP": str(tmp),
        "SQLITE_TMPDIR": str(tmp),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    proc = _child("ephemeral", profile, **env)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    assert out.decode().split() == ["done", "50", "50", "3000", "1500"]
    assert all_files(tmp_path) == []
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["home", "tmp"]
