"""``hearth-rendezvous`` as scripts use it: the listening line, a usable address, clean exits,
nothing on disk, no client addresses in the logs."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from network.rendezvous import RendezvousAddress, ServerLink, parse_address
from tests.posix import posix_only

from .helpers import LIMIT, fast_client

pytestmark = pytest.mark.timeout(60)

SCRIPT = Path(sys.executable).parent / "hearth-rendezvous"
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "network.rendezvous.cli"]


class Running:
    def __init__(self, args: list[str], home: Path) -> None:
        env = {**os.environ, "HOME": str(home), "TMPDIR": str(home)}
        self.proc = subprocess.Popen(
            [*COMMAND, *args],
            cwd=home,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def line(self) -> dict[str, object]:
        assert self.proc.stdout is not None
        text = self.proc.stdout.readline()
        assert text, f"no output; stderr: {self.stop()[1]}"
        event = json.loads(text)
        assert isinstance(event, dict)
        return event

    def stop(self, sig: int = signal.SIGTERM) -> tuple[int, str, str]:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        out, err = self.proc.communicate(timeout=LIMIT)
        return self.proc.returncode, out, err


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path


def files_under(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*"))


async def _use(address: RendezvousAddress) -> None:
    """Register, look up, and relay a few bytes through the server at ``address``."""
    accepted: asyncio.Queue[bytes] = asyncio.Queue()

    async def on_incoming(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await accepted.put(await reader.readexactly(5))
        writer.close()

    tag_key = os.urandom(32)
    member, seeker = fast_client(address, on_incoming), fast_client(address)
    try:
        await member.register(tag_key, b"info")
        [found] = await seeker.lookup(tag_key)
        reader, writer = await seeker.connect(found)
        writer.write(b"hello")
        assert await asyncio.wait_for(accepted.get(), LIMIT) == b"hello"
        writer.close()
    finally:
        await member.close()
        await seeker.close()


@posix_only
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_listening_line_address_works_and_nothing_is_left_on_disk(home: Path, sig: int) -> None:
    server = Running(["--listen", "127.0.0.1:0"], home)
    try:
        event = server.line()
        assert set(event) == {"event", "address"} and event["event"] == "listening"
        address = parse_address(str(event["address"]))
        assert address.host == "127.0.0.1" and address.port > 0
        asyncio.run(_use(address))
    finally:
        code, out, err = server.stop(sig)
    assert code == 0, err
    assert out == ""  # the listening line was all
    assert files_under(home) == []
    assert "127.0.0.1" not in err  # no client (or server) address in the logs


def test_every_listening_socket_gets_a_line_with_the_same_key(home: Path) -> None:
    server = Running(["--listen", "127.0.0.1:0", "--listen", "127.0.0.1:0"], home)
    try:
        first, second = (
            parse_address(str(server.line()["address"])),
            parse_address(str(server.line()["address"])),
        )
    finally:
        code, _, err = server.stop()
    assert code == 0, err
    assert first.public_key == second.public_key and first.port != second.port


def test_without_a_key_file_the_key_is_new_each_run(home: Path) -> None:
    keys = []
    for _ in range(2):
        server = Running(["--listen", "127.0.0.1:0"], home)
        try:
            keys.append(parse_address(str(server.line()["address"])).public_key)
        finally:
            server.stop()
    assert keys[0] != keys[1]
    assert files_under(home) == []


@posix_only
def test_a_key_file_is_created_private_and_reused(home: Path) -> None:
    key_file = home / "server.key"
    keys = []
    for _ in range(2):
        server = Running(["--listen", "127.0.0.1:0", "--key-file", str(key_file)], home)
        try:
            keys.append(parse_address(str(server.line()["address"])).public_key)
        finally:
            code, _, err = server.stop()
        assert code == 0, err
    assert keys[0] == keys[1]
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.stat().st_size == 32
    assert files_under(home) == [key_file]


@pytest.mark.parametrize(
    ("content", "mode", "words"),
    [
        (b"short", 0o600, "exactly 32 bytes"),
        pytest.param(bytes(32), 0o644, "other users", marks=posix_only),
    ],
)
def test_a_bad_key_file_fails_to_start(home: Path, content: bytes, mode: int, words: str) -> None:
    key_file = home / "server.key"
    key_file.write_bytes(content)
    key_file.chmod(mode)
    result = subprocess.run(
        [*COMMAND, "--listen", "127.0.0.1:0", "--key-file", str(key_file)],
        capture_output=True, text=True, timeout=LIMIT, cwd=home,
    )  # fmt: skip
    assert result.returncode == 1
    event = json.loads(result.stdout.splitlines()[0])
    assert event["event"] == "error" and event["code"] == "bad_key_file"
    assert words in event["message"]


def test_a_port_in_use_fails_to_start(home: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = subprocess.run(
            [*COMMAND, "--listen", f"127.0.0.1:{port}"],
            capture_output=True, text=True, timeout=LIMIT, cwd=home,
        )  # fmt: skip
    assert result.returncode == 1
    event = json.loads(result.stdout)
    assert event["event"] == "error" and event["code"] == "cannot_listen"


@pytest.mark.parametrize(
    "args",
    [
        ["--listen", "nohost"],
        ["--listen", "127.0.0.1:99999"],
        ["--listen", "::1:7700"],
        ["--listen", "bad_host:7700"],
        ["--log-addresses"],
        ["--bogus"],
    ],
)
def test_bad_command_lines(home: Path, args: list[str]) -> None:
    result = subprocess.run(
        [*COMMAND, *args], capture_output=True, text=True, timeout=LIMIT, cwd=home
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hearth-rendezvous: error: ")
    assert result.stdout == ""


def test_debug_logs_show_addresses_only_when_asked(home: Path) -> None:
    for args, shown in ((["--debug"], False), (["--debug", "--log-addresses"], True)):
        server = Running(["--listen", "127.0.0.1:0", *args], home)
        try:
            address = parse_address(str(server.line()["address"]))
            asyncio.run(_ping(address))
        finally:
            code, _, err = server.stop()
        assert code == 0
        assert "DEBUG" in err
        assert ("127.0.0.1:" in err) == shown


async def _ping(address: RendezvousAddress) -> None:
    link = await ServerLink.open(address)
    link.start()
    await link.ping()
    await link.close()
