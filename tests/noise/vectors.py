"""The cacophony test vectors, read from the repository's own test data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

VECTORS_FILE = (
    Path(__file__).resolve().parent.parent
    / "data"
    / "noise-vectors"
    / "cacophony-25519-ChaChaPoly-BLAKE2b.json"
)


@dataclass(frozen=True)
class Message:
    payload: bytes
    ciphertext: bytes


@dataclass(frozen=True)
class Vector:
    protocol_name: str
    raw: dict[str, Any]
    messages: tuple[Message, ...]

    def key(self, name: str) -> bytes | None:
        value = self.raw.get(name)
        return bytes.fromhex(value) if value is not None else None

    def psks(self, side: str) -> list[bytes]:
        return [bytes.fromhex(p) for p in self.raw.get(f"{side}_psks", [])]

    @property
    def handshake_hash(self) -> bytes:
        return bytes.fromhex(self.raw["handshake_hash"])

    @property
    def pattern(self) -> str:
        return self.protocol_name.split("_")[1]


def load_vectors() -> list[Vector]:
    data = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))
    return [
        Vector(
            protocol_name=v["protocol_name"],
            raw=v,
            messages=tuple(
                Message(bytes.fromhex(m["payload"]), bytes.fromhex(m["ciphertext"]))
                for m in v["messages"]
            ),
        )
        for v in data["vectors"]
    ]
