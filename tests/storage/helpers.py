"""Record factories and file snapshots shared by the storage tests."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from messenger.storage import CircleRecord, PostRecord

CIRCLE = b"circle-one-id-16"
OTHER_CIRCLE = b"circle-two-id-16"
ALICE = b"A" * 32
BOB = b"B" * 32
PASS = "correct horse battery staple"


def circle(
    circle_id: bytes = CIRCLE, name: str = "Tuesday group", joined_at: int = 1
) -> CircleRecord:
    return CircleRecord(id=circle_id, name=name, joined_at=joined_at, record=b"\x81\xa1k\x01")


def post_id(*parts: object) -> bytes:
    return hashlib.blake2b(repr(parts).encode(), digest_size=32).digest()


def post(
    seq: int,
    *,
    author: bytes = ALICE,
    circle_id: bytes = CIRCLE,
    ts: int | None = None,
    body: str | None = None,
    content_warning: str | None = None,
    hidden: bool = False,
) -> PostRecord:
    return PostRecord(
        id=post_id(circle_id, author, seq, body),
        circle_id=circle_id,
        author_key=author,
        seq=seq,
        ts=1_700_000_000_000 + seq * 1000 if ts is None else ts,
        received_at=1_700_000_000_500 + seq * 1000,
        body=f"post number {seq}" if body is None else body,
        signed=b"envelope:" + author[:4] + seq.to_bytes(4, "big"),
        content_warning=content_warning,
        hidden=hidden,
    )


def snapshot(root: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file under ``root``: (content, mtime_ns, mode)."""
    found: dict[str, tuple[bytes, int, int]] = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = Path(dirpath) / name
            st = path.stat()
            found[str(path.relative_to(root))] = (path.read_bytes(), st.st_mtime_ns, st.st_mode)
    return found


def all_files(root: Path) -> list[str]:
    return sorted(
        str(Path(d, f).relative_to(root)) for d, _dirs, files in os.walk(root) for f in files
    )


def make_profile(path: Path) -> None:
    """A closed profile (cheapest Argon2id) holding one circle and one post."""
    from messenger.storage import MINIMUM, create_profile

    store = create_profile(path, PASS, kdf=MINIMUM)
    store.save_circle(circle())
    store.add_post(post(1))
    store.close()
