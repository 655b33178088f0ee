"""Headless commands and events are UTF-8 whatever the system's encoding (Windows consoles give
cp1252 or cp850): simulated here with PYTHONIOENCODING, on a real ``hearth --headless``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.headless_peer import HeadlessPeer

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def peer() -> Iterator[HeadlessPeer]:
    started = HeadlessPeer(
        ["--ephemeral", "--interface", "127.0.0.1"],
        env={"PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0"},
        name="cp1252",
    )
    try:
        yield started
    finally:
        started.close()


def test_utf8_commands_and_bad_bytes_do_not_end_the_session(peer: HeadlessPeer) -> None:
    peer.wait_event("ready", 40)  # a loaded machine can take a while to start a process
    assert peer.command("/create Árbol 🌳", "circle")["name"] == "Árbol 🌳"
    assert peer.proc.stdin is not None
    peer.proc.stdin.write(b"/create \xff\xfe broken\n")  # not UTF-8 at all
    peer.proc.stdin.flush()
    peer.wait_for(lambda e: e.get("event") == "circle" and e.get("name") == "\ufffd\ufffd broken")
    assert peer.command("/create Ωmega", "circle")["name"] == "Ωmega"  # still listening
    assert peer.quit() == 0
