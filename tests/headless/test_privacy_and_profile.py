"""The promises a person relies on, checked on real processes and real files.

- An ephemeral session writes nothing anywhere (HOME and TMPDIR point into a watched folder).
- A profile keeps its history across runs; a wrong passphrase gives a clear error and touches
  nothing.
- ``/wipe`` leaves the profile folder empty and nothing anywhere that was written holds a post.
- Logs at INFO carry no message text, no keys and no addresses.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from messenger.profile_open import MIN_PASSPHRASE_LENGTH
from tests.headless_peer import HeadlessPeer
from ui.dialogs.passphrase import MIN_LENGTH

pytestmark = pytest.mark.timeout(120)

SECRET_TEXT = "my-sister-said-the-river-was-too-high-7391"


@pytest.fixture
def peers() -> Iterator[list[HeadlessPeer]]:
    made: list[HeadlessPeer] = []
    yield made
    for peer in made:
        peer.close()


def snapshot(root: Path) -> dict[str, str]:
    files = {}
    for path in root.rglob("*"):
        if path.is_file():
            files[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def env_in(home: Path, **extra: str) -> dict[str, str]:
    (home / "tmp").mkdir(parents=True, exist_ok=True)
    return {
        "HOME": str(home),
        "TMPDIR": str(home / "tmp"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        **extra,
    }


def test_an_ephemeral_session_writes_nothing(tmp_path: Path, peers: list[HeadlessPeer]) -> None:
    home = tmp_path / "home"
    env = env_in(home)
    before = snapshot(home)
    a = HeadlessPeer(["--ephemeral", "--interface", "127.0.0.1"], env=env, name="a")
    b = HeadlessPeer(["--ephemeral", "--interface", "127.0.0.1"], env=env, name="b")
    peers += [a, b]
    a.wait_event("ready")
    b.wait_event("ready")
    link = a.command("/create Quiet Room", "circle")["invite"]
    b.command(f"/join {link}", "circle")
    b.wait_event("peer_connected", 20)
    a.send(f"/say {SECRET_TEXT}")
    b.wait_event("post", 20, body=SECRET_TEXT)
    assert a.quit() == 0 and b.quit() == 0
    assert snapshot(home) == before == {}
    assert not any(home.rglob("*.db")) and list((home / "tmp").iterdir()) == []


def test_profile_keeps_history_and_refuses_a_wrong_passphrase(
    tmp_path: Path, peers: list[HeadlessPeer]
) -> None:
    home, profile = tmp_path / "home", tmp_path / "profile"
    args = ["--profile", str(profile), "--interface", "127.0.0.1"]
    first = HeadlessPeer(args, env=env_in(home, HEARTH_PASSPHRASE="correct horse"), name="first")
    peers.append(first)
    assert first.wait_event("ready")["profile"] == str(profile)
    first.command("/create Kept Circle", "circle")
    first.send(f"/say {SECRET_TEXT}")
    first.wait_event("post", body=SECRET_TEXT)
    assert first.quit() == 0
    files = snapshot(profile)
    assert "key" in files and any(name.startswith("hearth.db") for name in files)
    # Encrypted at rest: the text is not in any file of the profile.
    for path in profile.rglob("*"):
        if path.is_file():
            assert SECRET_TEXT.encode() not in path.read_bytes(), path

    wrong = HeadlessPeer(args, env=env_in(home, HEARTH_PASSPHRASE="wrong horse"), name="wrong")
    peers.append(wrong)
    error = wrong.wait_event("error", 60)
    assert error["code"] == "wrong_passphrase" and "passphrase" in error["message"].lower()
    assert wrong.proc.wait(timeout=30) != 0
    assert snapshot(profile) == files  # touched nothing

    again = HeadlessPeer(args, env=env_in(home, HEARTH_PASSPHRASE="correct horse"), name="again")
    peers.append(again)
    again.wait_event("ready", 60)
    history = again.command("/history", "list")["items"]
    assert [p["body"] for p in history] == [SECRET_TEXT]
    assert again.quit() == 0


def test_a_profile_without_a_passphrase_is_refused_clearly(tmp_path: Path) -> None:
    env = {k: v for k, v in env_in(tmp_path / "home").items()}
    env.pop("HEARTH_PASSPHRASE", None)
    os_env = {k: v for k, v in os.environ.items() if k != "HEARTH_PASSPHRASE"}
    peer = HeadlessPeer(
        ["--profile", str(tmp_path / "p"), "--interface", "127.0.0.1"], env={**os_env, **env}
    )
    try:
        error = peer.wait_event("error", 30)
        assert error["code"] == "passphrase_required"
        assert peer.proc.wait(timeout=30) != 0
        assert not (tmp_path / "p").exists()
    finally:
        peer.close()


def test_wipe_leaves_nothing_readable(tmp_path: Path, peers: list[HeadlessPeer]) -> None:
    home, profile = tmp_path / "home", tmp_path / "profile"
    env = env_in(home, HEARTH_PASSPHRASE="pass phrase")
    peer = HeadlessPeer(["--profile", str(profile), "--interface", "127.0.0.1"], env=env)
    peers.append(peer)
    peer.wait_event("ready", 60)
    peer.command("/create Private", "circle")
    for k in range(20):
        peer.send(f"/say {SECRET_TEXT} {k}")
    peer.wait_for(lambda e: e.get("event") == "post" and e["body"].endswith(" 19"), 20)
    written = {p: p.read_bytes() for p in profile.rglob("*") if p.is_file()}
    assert written
    peer.send("/wipe")
    peer.wait_event("bye", 30)
    assert peer.proc.wait(timeout=30) == 0
    assert not profile.exists() or list(profile.iterdir()) == []
    # Nothing left anywhere under HOME or the profile holds the text.
    for path in [*home.rglob("*"), *tmp_path.rglob("*")]:
        if path.is_file():
            assert SECRET_TEXT.encode() not in path.read_bytes(), path


def test_info_logs_carry_no_text_keys_or_addresses(peers: list[HeadlessPeer]) -> None:
    a = HeadlessPeer(["--ephemeral", "--interface", "127.0.0.1"], name="a")
    b = HeadlessPeer(["--ephemeral", "--interface", "127.0.0.1"], name="b")
    peers += [a, b]
    a.wait_event("ready")
    b.wait_event("ready")
    circle = a.command("/create Feedback Team", "circle")
    b.command(f"/join {circle['invite']}", "circle")
    joined = b.wait_event("peer_connected", 20)
    a.send(f"/say {SECRET_TEXT}")
    b.wait_event("post", 20, body=SECRET_TEXT)
    a.send("/members")
    a.wait_event("list")
    assert a.quit() == 0 and b.quit() == 0
    logs = "\n".join(a.stderr + b.stderr)
    assert "INFO" in logs  # there are logs, and they are about the right things
    for needle in (
        SECRET_TEXT,
        "127.0.0.1",
        circle["id"],
        joined["key"],
        joined["member"],
        "Feedback Team",
        circle["invite"][15:40],
    ):
        assert needle not in logs, needle


@pytest.mark.parametrize("phrase", ["x", "seven c"])
def test_a_new_profile_refuses_a_passphrase_shorter_than_the_guis_minimum(
    tmp_path: Path, phrase: str
) -> None:
    assert MIN_LENGTH == MIN_PASSPHRASE_LENGTH and len(phrase) < MIN_LENGTH  # as the GUI
    profile = tmp_path / "p"
    peer = HeadlessPeer(
        ["--profile", str(profile), "--interface", "127.0.0.1"],
        env=env_in(tmp_path / "home", HEARTH_PASSPHRASE=phrase),
    )
    try:
        error = peer.wait_event("error", 30)
        assert error["code"] == "passphrase_too_short"
        assert str(MIN_PASSPHRASE_LENGTH) in error["message"]
        assert peer.proc.wait(timeout=30) != 0
        assert not profile.exists() or list(profile.iterdir()) == []
    finally:
        peer.close()
