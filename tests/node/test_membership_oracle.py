"""Issue 16 item 1: an outsider probing a real node process learns nothing about its circles.

The attacker holds no key. It captures one genuine hello (a real member process dialing the
victim through a recording proxy), then replays it on its own connection and sends its own
first handshake message; and it compares how the victim answers a hello for a circle the victim
is in with one for a foreign circle.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from network.channel import PROLOGUE_BASE
from network.node import hello
from network.noise import HandshakeState, KeyPair, NoiseError

from .helpers import circle_keys

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(90)]

PEER = Path(__file__).with_name("member_peer.py")
SECRET = os.urandom(32)


class Proc:
    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc

    async def event(self, name: str, timeout: float = 20.0) -> dict[str, object]:
        assert self.proc.stdout is not None
        async with asyncio.timeout(timeout):
            while True:
                line = await self.proc.stdout.readline()
                if not line:
                    raise EOFError(f"peer exited before {name!r}")
                event: dict[str, object] = json.loads(line)
                if event.get("event") == name:
                    return event


@contextlib.asynccontextmanager
async def member(name: str, dial: str = "") -> AsyncIterator[Proc]:
    args = [str(PEER), "--secret", SECRET.hex(), "--name", name]
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        *(["--dial", dial] if dial else []),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        yield Proc(proc)
    finally:
        if proc.returncode is None:
            proc.kill()
        await proc.wait()


async def recording_proxy(port: int, sent: bytearray) -> asyncio.Server:
    """Forwards 127.0.0.1:<its port> to ``port``, recording what the dialer sends."""

    async def pipe(
        src: asyncio.StreamReader, dst: asyncio.StreamWriter, log: bytearray | None
    ) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await src.read(65536):
                if log is not None:
                    log += data
                dst.write(data)
        dst.close()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", port)
        await asyncio.gather(pipe(reader, up_writer, sent), pipe(up_reader, writer, None))

    return await asyncio.start_server(serve, "127.0.0.1", 0)


async def _first_bytes(reader: asyncio.StreamReader, wait: float) -> bytes:
    """Whatever the victim says on its own within ``wait`` seconds."""
    got = b""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(wait):
            while len(got) < hello.CHALLENGE_MESSAGE_SIZE:
                chunk = await reader.read(hello.CHALLENGE_MESSAGE_SIZE - len(got))
                if not chunk:
                    break
                got += chunk
    return got


async def _rest(reader: asyncio.StreamReader) -> tuple[bytes, bool]:
    """Everything until the victim hangs up (and whether it did, within 15 s)."""
    got = b""
    try:
        async with asyncio.timeout(15):
            while chunk := await reader.read(65536):
                got += chunk
    except TimeoutError:
        return got, False
    return got, True


def _frame(message: bytes) -> bytes:
    return len(message).to_bytes(2, "big") + message


async def test_a_replayed_hello_reveals_no_static_key_and_no_payload() -> None:
    async with member("alice") as victim:
        ready = await victim.event("ready")
        victim_static = bytes.fromhex(str(ready["static"]))
        sent = bytearray()
        proxy = await recording_proxy(int(str(ready["port"])), sent)
        proxy_port = proxy.sockets[0].getsockname()[1]
        try:
            async with member("bob", dial=f"127.0.0.1:{proxy_port}") as bob:
                await bob.event("connected")
                await victim.event("connected")
        finally:
            proxy.close()
        captured = bytes(sent[: hello.SIZE])  # the genuine hello, as seen on the wire

        reader, writer = await asyncio.open_connection("127.0.0.1", int(str(ready["port"])))
        try:
            first = await _first_bytes(reader, 1.0)
            writer.write(captured)
            # The attacker's own first message, as for the psk3 pattern (no key needed there).
            attacker = HandshakeState(
                "Noise_XXpsk3_25519_ChaChaPoly_BLAKE2b",
                initiator=True,
                prologue=PROLOGUE_BASE + first + captured,
                s=KeyPair.generate(),
                psks=[os.urandom(32)],
            )
            writer.write(_frame(attacker.write_message(b"")))
            answer, hung_up = await _rest(reader)
        finally:
            writer.close()
    leaked = b""
    if len(answer) > 2:
        with contextlib.suppress(NoiseError):
            attacker.read_message(answer[2 : 2 + int.from_bytes(answer[:2], "big")])
            leaked = attacker.remote_static or b""
    assert leaked != victim_static, "the victim's static key was readable by an outsider"
    assert answer == b"" and hung_up, f"the victim answered a replayed hello ({len(answer)} B)"


async def _probe(port: int, key: bytes) -> tuple[int, bool, int, bool]:
    """(bytes before the hello, open 1 s after the hello, bytes after a forged message 1,
    hung up after it)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        first = await _first_bytes(reader, 5.0)
        writer.write(hello.Hello.for_key(key, hello.read_challenge(first)).encode())
        quiet = await _first_bytes(reader, 1.0)
        still_open = quiet == b"" and not reader.at_eof()
        writer.write(_frame(os.urandom(32 + 16)))  # an e and an (empty) sealed payload
        answer, hung_up = await _rest(reader)
    finally:
        writer.close()
    return len(first) + len(quiet), still_open, len(answer), hung_up


async def test_a_hello_for_a_foreign_circle_is_answered_like_a_real_one() -> None:
    async with member("alice") as victim:
        port = int(str((await victim.event("ready"))["port"]))
        real_key, _ = circle_keys(SECRET)
        real = await _probe(port, real_key)
        foreign = await _probe(port, os.urandom(32))
    assert real == foreign == (hello.CHALLENGE_MESSAGE_SIZE, True, 0, True)
