"""What the sync engine needs from storage (:class:`PostLog`), and an in-memory one.

The engine owns one log per circle. In the messenger it is a :class:`~.logindex.LogIndex` (an
index in memory, storage an output performed by ``messenger/engine_storage.py``);
:class:`MemoryPostLog` holds everything in memory, for the simulator and tests.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from typing import Protocol

from .envelope import SignedPost


class PostLog(Protocol):
    """One circle's posts, as the sync engine sees them."""

    def contains(self, post_id: bytes) -> bool:
        """Whether a post with this id is stored."""
        ...

    def add(self, post: SignedPost, received_at: int) -> bool:
        """Store a verified post; False if its id, or its (author, seq), is stored already."""
        ...

    def high_water_marks(self) -> dict[bytes, int]:
        """For each author, the highest seq stored."""
        ...

    def posts_after(self, author_key: bytes, seq: int, limit: int) -> Sequence[SignedPost]:
        """At most ``limit`` of the author's posts with a seq above ``seq``, in seq order."""
        ...


class MemoryPostLog:
    """A :class:`PostLog` in memory: dicts and one sorted seq list per author."""

    def __init__(self) -> None:
        self._by_id: dict[bytes, SignedPost] = {}
        self._received: dict[bytes, int] = {}
        self._seqs: dict[bytes, list[int]] = {}
        self._by_seq: dict[bytes, dict[int, SignedPost]] = {}

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[SignedPost]:
        return iter(list(self._by_id.values()))

    def contains(self, post_id: bytes) -> bool:
        return post_id in self._by_id

    def get(self, post_id: bytes) -> SignedPost | None:
        return self._by_id.get(post_id)

    def at(self, author_key: bytes, seq: int) -> SignedPost | None:
        return self._by_seq.get(author_key, {}).get(seq)

    def received_at(self, post_id: bytes) -> int | None:
        return self._received.get(post_id)

    def add(self, post: SignedPost, received_at: int) -> bool:
        by_seq = self._by_seq.setdefault(post.author_key, {})
        if post.id in self._by_id or post.seq in by_seq:
            return False
        self._by_id[post.id] = post
        self._received[post.id] = received_at
        by_seq[post.seq] = post
        seqs = self._seqs.setdefault(post.author_key, [])
        if not seqs or post.seq > seqs[-1]:
            seqs.append(post.seq)
        else:
            bisect.insort(seqs, post.seq)
        return True

    def high_water_marks(self) -> dict[bytes, int]:
        return {author: seqs[-1] for author, seqs in self._seqs.items() if seqs}

    def posts_after(self, author_key: bytes, seq: int, limit: int) -> list[SignedPost]:
        seqs = self._seqs.get(author_key)
        if not seqs or limit <= 0:
            return []
        start = bisect.bisect_right(seqs, seq)
        by_seq = self._by_seq[author_key]
        return [by_seq[s] for s in seqs[start : start + limit]]

    def purge_older_than(self, cutoff_ts: int) -> int:
        """Forget posts timestamped before ``cutoff_ts`` (ms); returns how many."""
        old = [p for p in self._by_id.values() if p.ts < cutoff_ts]
        for post in old:
            del self._by_id[post.id]
            del self._received[post.id]
            del self._by_seq[post.author_key][post.seq]
            self._seqs[post.author_key].remove(post.seq)
        return len(old)
