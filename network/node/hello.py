"""The few bytes a dialer sends in clear before the Noise handshake.

``MAGIC`` + version + a fresh 16-byte nonce + ``hint(circle discovery key, "dial" + nonce)``.
The responder matches the hint against its circle keys (as it matches mDNS hints) to choose its
per-circle static key and psk before the handshake's second message. An observer sees random
bytes that link nothing; all of them go into the Noise prologue, so tampering breaks the
handshake.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from ..discovery.hints import HINT_SIZE, hint
from ..errors import NetworkError

MAGIC = b"HRTH"
VERSION = 1
NONCE_SIZE = 16
SIZE = len(MAGIC) + 1 + NONCE_SIZE + HINT_SIZE
PROLOGUE_BASE = b"hearth/1"
_DOMAIN = b"hearth-dial"


class HelloError(NetworkError):
    """The bytes before the handshake are not a Hearth hello for any of our circles."""


@dataclass(frozen=True)
class Hello:
    nonce: bytes
    hint: bytes
    version: int = VERSION

    @classmethod
    def for_key(cls, key: bytes, nonce: bytes | None = None) -> Hello:
        nonce = secrets.token_bytes(NONCE_SIZE) if nonce is None else nonce
        return cls(nonce=nonce, hint=hint(key, _DOMAIN + nonce))

    def encode(self) -> bytes:
        return MAGIC + bytes([self.version]) + self.nonce + self.hint

    @classmethod
    def decode(cls, data: bytes) -> Hello:
        if len(data) != SIZE:
            raise HelloError("truncated hello")
        if data[: len(MAGIC)] != MAGIC:
            raise HelloError("not a Hearth connection (bad magic)")
        version = data[len(MAGIC)]
        if version != VERSION:
            raise HelloError(f"unsupported protocol version {version}")
        start = len(MAGIC) + 1
        return cls(data[start : start + NONCE_SIZE], data[start + NONCE_SIZE :], version)

    def match(self, keys: Sequence[bytes]) -> int:
        """The index of the one key this hello is for; HelloError when none or several match."""
        found = [i for i, key in enumerate(keys) if hint(key, _DOMAIN + self.nonce) == self.hint]
        if len(found) != 1:
            raise HelloError("ambiguous hello" if found else "hello matches none of our circles")
        return found[0]


def prologue(clear_bytes: bytes) -> bytes:
    return PROLOGUE_BASE + clear_bytes
