"""The post log as the sync engine holds it when storage is an output (:class:`LogIndex`).

The engine runs on the event loop and never waits for the database. It keeps, in memory, what
it must decide on at once: every stored post's id, author, seq and date (a few dozen bytes a
post), and the bodies of the posts it handled most recently. What it stores becomes a write
(:meth:`LogIndex.take_writes`) that the adapter performs on the database thread before anything
acknowledging it leaves; a body it must send but does not hold raises :class:`LogMiss`, and the
engine answers that request once the adapter has loaded the range (a
:class:`~.events.LoadPosts` event, then :meth:`LogIndex.loaded`).
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .envelope import SignedPost

CACHED_POSTS = 4096
"""Bodies kept in memory: at least what one catch-up keeps in flight (two WANTs of 2,000)."""


class LogMiss(Exception):
    """The bodies of ``author``'s posts in ``lo..hi`` are stored but not in memory."""

    def __init__(self, author: bytes, lo: int, hi: int) -> None:
        super().__init__(f"posts {lo}..{hi} not in memory")
        self.author, self.lo, self.hi = author, lo, hi


@dataclass(frozen=True)
class Entry:
    author: bytes
    seq: int
    ts: int


class LogIndex:
    """One circle's posts: an index of all of them, the recent bodies, the writes not yet
    taken. Satisfies :class:`~.postlog.PostLog`; :meth:`posts_after` raises :class:`LogMiss`
    for bodies it does not hold."""

    def __init__(
        self, entries: Iterable[tuple[bytes, bytes, int, int]] = (), *, cached: int = CACHED_POSTS
    ) -> None:
        self._entries: dict[bytes, Entry] = {}
        self._ids: dict[bytes, dict[int, bytes]] = {}  # author -> seq -> id
        self._seqs: dict[bytes, list[int]] = {}  # author -> sorted seqs
        self._bodies: OrderedDict[bytes, SignedPost] = OrderedDict()  # id -> post, oldest first
        self._cached = cached
        self._writes: list[tuple[SignedPost, int]] = []
        for post_id, author, seq, ts in sorted(entries, key=lambda e: (e[1], e[2])):
            self._index(post_id, author, seq, ts)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bodies(self) -> int:
        """How many posts' bodies are held in memory."""
        return len(self._bodies)

    # -- the PostLog port ---------------------------------------------------------------------
    def contains(self, post_id: bytes) -> bool:
        return post_id in self._entries

    def add(self, post: SignedPost, received_at: int) -> bool:
        env = post.envelope
        if post.id in self._entries or env.seq in self._ids.get(env.author_key, {}):
            return False
        self._index(post.id, env.author_key, env.seq, env.ts)
        self._keep(post)
        self._writes.append((post, received_at))
        return True

    def high_water_marks(self) -> dict[bytes, int]:
        return {author: seqs[-1] for author, seqs in self._seqs.items() if seqs}

    def posts_after(self, author_key: bytes, seq: int, limit: int) -> Sequence[SignedPost]:
        seqs = self._seqs.get(author_key, [])
        start = bisect.bisect_right(seqs, seq)
        wanted = seqs[start : start + max(limit, 0)]
        ids = self._ids.get(author_key, {})
        found: list[SignedPost] = []
        for s in wanted:
            post = self._bodies.get(ids[s])
            if post is None:
                raise LogMiss(author_key, s, wanted[-1])
            found.append(post)
        return found

    # -- what the adapter does with it --------------------------------------------------------
    @property
    def has_writes(self) -> bool:
        return bool(self._writes)

    def take_writes(self) -> list[tuple[SignedPost, int]]:
        """The posts stored since the last call (with when they arrived), to write out."""
        writes, self._writes = self._writes, []
        return writes

    def loaded(self, author: bytes, lo: int, hi: int, posts: Sequence[SignedPost]) -> None:
        """The stored posts of ``author`` in ``lo..hi``: keep their bodies (all of them, until
        the next change here, so the engine can send them at once); forget the seqs of that
        range storage no longer has (purged or deleted meanwhile), so they are not asked for
        again."""
        present = {p.seq for p in posts if p.author_key == author and lo <= p.seq <= hi}
        self._evict(self._cached)
        for post in posts:  # all kept until the next change, however many: they are sent next
            if self._entries.get(post.id) is not None:
                self._bodies[post.id] = post
                self._bodies.move_to_end(post.id)
        seqs = self._seqs.get(author, [])
        for s in seqs[bisect.bisect_left(seqs, lo) : bisect.bisect_right(seqs, hi)]:
            pid = self._ids[author][s]
            if s not in present and pid not in self._bodies:
                self._unindex(pid)

    def forget(self, post_ids: Iterable[bytes]) -> None:
        """These posts were deleted (retracted): never send them again. Their ids stay known,
        so a copy that comes back is a duplicate, not a new post."""
        for pid in post_ids:
            entry = self._entries.get(pid)
            self._bodies.pop(pid, None)
            if entry is not None:
                self._unseq(entry.author, entry.seq)

    def forget_before(self, cutoff_ms: int) -> int:
        """A retention purge deleted the posts dated before ``cutoff_ms``: drop them here too
        (a copy that comes back is then refused as expired, as before). Returns how many."""
        old = [pid for pid, entry in self._entries.items() if entry.ts < cutoff_ms]
        for pid in old:
            self._unindex(pid)
        return len(old)

    # -- inside -------------------------------------------------------------------------------
    def _index(self, post_id: bytes, author: bytes, seq: int, ts: int) -> None:
        self._entries[post_id] = Entry(author, seq, ts)
        self._ids.setdefault(author, {})[seq] = post_id
        seqs = self._seqs.setdefault(author, [])
        if not seqs or seq > seqs[-1]:
            seqs.append(seq)
        else:
            bisect.insort(seqs, seq)

    def _unindex(self, post_id: bytes) -> None:
        entry = self._entries.pop(post_id, None)
        self._bodies.pop(post_id, None)
        if entry is not None:
            self._unseq(entry.author, entry.seq)

    def _unseq(self, author: bytes, seq: int) -> None:
        ids = self._ids.get(author, {})
        ids.pop(seq, None)
        seqs = self._seqs.get(author, [])
        at = bisect.bisect_left(seqs, seq)
        if at < len(seqs) and seqs[at] == seq:
            del seqs[at]
        if not seqs:
            self._seqs.pop(author, None)
            self._ids.pop(author, None)

    def _keep(self, post: SignedPost) -> None:
        self._bodies[post.id] = post
        self._bodies.move_to_end(post.id)
        self._evict(self._cached)

    def _evict(self, keep: int) -> None:
        while len(self._bodies) > keep:
            self._bodies.popitem(last=False)
