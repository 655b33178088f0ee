"""The few bytes exchanged in clear before the Noise handshake (protocol version 2).

1. The responder speaks first, at once and the same way to everyone: ``MAGIC`` + version + a
   fresh 16-byte *challenge*.
2. The dialer answers with its hello: ``MAGIC`` + version + a fresh 16-byte nonce +
   ``hint(circle discovery key, "hearth-dial" + challenge + nonce)``.

The responder matches the hint against its circle keys (as it matches mDNS hints) to choose its
per-circle static key and psk. Because the hint covers the responder's own fresh challenge, a
captured hello is useless on any other connection: replayed, it matches nothing. An observer sees
random bytes that link nothing; both messages go into the Noise prologue (``hearth/2`` +
challenge + hello), so tampering with either breaks the handshake.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from ..discovery.hints import HINT_SIZE, hint
from ..errors import NetworkError

MAGIC = b"HRTH"
VERSION = 2
CHALLENGE_SIZE = 16
NONCE_SIZE = 16
CHALLENGE_MESSAGE_SIZE = len(MAGIC) + 1 + CHALLENGE_SIZE
SIZE = len(MAGIC) + 1 + NONCE_SIZE + HINT_SIZE
PROLOGUE_BASE = b"hearth/2"
_DOMAIN = b"hearth-dial"


class HelloError(NetworkError):
    """The bytes before the handshake are not a Hearth hello or challenge of this version."""


def _check_header(data: bytes, size: int, what: str) -> bytes:
    if len(data) != size:
        raise HelloError(f"truncated {what}")
    if data[: len(MAGIC)] != MAGIC:
        raise HelloError("not a Hearth connection (bad magic)")
    version = data[len(MAGIC)]
    if version != VERSION:
        raise HelloError(f"unsupported protocol version {version}")
    return data[len(MAGIC) + 1 :]


def new_challenge() -> bytes:
    """The responder's first message: magic, version, 16 fresh random bytes."""
    return MAGIC + bytes([VERSION]) + secrets.token_bytes(CHALLENGE_SIZE)


def read_challenge(data: bytes) -> bytes:
    """The challenge's random part; :class:`HelloError` when ``data`` is not one."""
    return _check_header(data, CHALLENGE_MESSAGE_SIZE, "challenge")


@dataclass(frozen=True)
class Hello:
    nonce: bytes
    hint: bytes
    version: int = VERSION

    @classmethod
    def for_key(cls, key: bytes, challenge: bytes, nonce: bytes | None = None) -> Hello:
        """The hello for circle (or join point) ``key``, bound to the responder's challenge."""
        nonce = secrets.token_bytes(NONCE_SIZE) if nonce is None else nonce
        return cls(nonce=nonce, hint=hint(key, _DOMAIN + challenge + nonce))

    def encode(self) -> bytes:
        return MAGIC + bytes([self.version]) + self.nonce + self.hint

    @classmethod
    def decode(cls, data: bytes) -> Hello:
        body = _check_header(data, SIZE, "hello")
        return cls(body[:NONCE_SIZE], body[NONCE_SIZE:], VERSION)

    def match(self, keys: Sequence[bytes], challenge: bytes) -> int | None:
        """The index of the one key this hello is for under ``challenge``; None when none (or,
        by a 4-byte hint collision, several) match: such a hello is answered like a stranger's."""
        data = _DOMAIN + challenge + self.nonce
        found = [i for i, key in enumerate(keys) if hint(key, data) == self.hint]
        return found[0] if len(found) == 1 else None


def prologue(clear_bytes: bytes) -> bytes:
    return PROLOGUE_BASE + clear_bytes


async def dial(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, key: bytes, within: float
) -> bytes:
    """The dialer's side: read the responder's challenge, send the hello for ``key``; returns
    every clear byte of the exchange (for the prologue). :class:`HelloError` or
    :class:`TimeoutError` when the responder does not speak Hearth 2 within ``within`` s."""
    try:
        first = await asyncio.wait_for(reader.readexactly(CHALLENGE_MESSAGE_SIZE), within)
    except asyncio.IncompleteReadError as exc:
        raise HelloError("the peer hung up before its challenge") from exc
    challenge = read_challenge(first)
    hello = Hello.for_key(key, challenge).encode()
    writer.write(hello)
    return first + hello
