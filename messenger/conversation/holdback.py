"""Posts that arrived ahead of a gap in their author's sequence, held until it fills.

Bounded in total; each author's front gap remembers when it was first seen, for the timeout.
"""

from __future__ import annotations

from dataclasses import dataclass

from .envelope import SignedPost
from .ranges import Range, to_ranges


@dataclass(frozen=True, slots=True)
class Held:
    post: SignedPost
    peer: bytes


class HoldBack:
    def __init__(self, max_total: int) -> None:
        self.max_total = max_total
        self._by_author: dict[bytes, dict[int, Held]] = {}
        self._ids: set[bytes] = set()
        self.gap_since: dict[bytes, int] = {}  # author -> when its front gap was first seen
        self.retried: set[bytes] = set()  # authors whose gap we asked every peer about

    def __len__(self) -> int:
        return len(self._ids)

    def authors(self) -> list[bytes]:
        return list(self._by_author)

    def has_id(self, post_id: bytes) -> bool:
        return post_id in self._ids

    def at(self, author: bytes, seq: int) -> SignedPost | None:
        held = self._by_author.get(author, {}).get(seq)
        return None if held is None else held.post

    def hold(self, post: SignedPost, peer: bytes, now: int) -> bool:
        """Keep ``post`` (False when full); starts the author's gap clock if not running."""
        if len(self._ids) >= self.max_total:
            return False
        self._by_author.setdefault(post.author_key, {})[post.seq] = Held(post, peer)
        self._ids.add(post.id)
        self.gap_since.setdefault(post.author_key, now)
        return True

    def lowest(self, author: bytes) -> int | None:
        held = self._by_author.get(author)
        return min(held) if held else None

    def pop(self, author: bytes, seq: int) -> Held | None:
        held = self._by_author.get(author)
        if not held or seq not in held:
            return None
        item = held.pop(seq)
        self._ids.discard(item.post.id)
        if not held:
            self._forget(author)
        return item

    def gap_filled(self, author: bytes, now: int) -> None:
        """The front gap closed; the next one (if any) starts its own clock now."""
        if author in self._by_author:
            self.gap_since[author] = now
            self.retried.discard(author)
        else:
            self._forget(author)

    def missing(self, author: bytes, after: int) -> list[Range]:
        """The seqs above ``after`` and below the highest held post that are not held."""
        held = self._by_author.get(author)
        if not held:
            return []
        top = max(held)
        return to_ranges(s for s in range(after + 1, top) if s not in held)

    def _forget(self, author: bytes) -> None:
        self._by_author.pop(author, None)
        self.gap_since.pop(author, None)
        self.retried.discard(author)
