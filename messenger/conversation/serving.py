"""Serving what a peer asked for or lacks: reading it from the post log (or asking storage to
load it first: :class:`~.events.LoadPosts`), cut into POSTS messages (see :mod:`.postsync`)."""

from __future__ import annotations

from collections.abc import Mapping

from .envelope import SignedPost
from .events import (
    LoadPosts,
    Outgoing,
)
from .ranges import Range, RangeSet
from .syncstate import Batch, SyncState, cap_ranges
from .wire import Ranges, Want, posts_messages


def load(state: SyncState, peer: bytes, author: bytes, lo: int, hi: int, _batch: Batch) -> None:
    if lo <= hi:
        state.loads.append(LoadPosts(peer, author, lo, hi))


def wanted(state: SyncState, msg: Want, now: int) -> tuple[list[SignedPost], dict[bytes, Ranges]]:
    cutoff = state.retention_cutoff(now)
    budget = state.limits.max_want_posts
    posts: list[SignedPost] = []
    gone: dict[bytes, Ranges] = {}
    for author, ranges in msg.ranges.items():
        missing = RangeSet()
        for lo, hi in ranges:
            if budget <= 0:
                break
            sent, not_here, complete = collect(state, author, lo, hi, cutoff, budget)
            budget -= len(sent)
            posts += sent
            for a, b in not_here:
                missing.add(a, b)
            if not complete:
                break
        if missing:
            gone[author] = missing.ranges()
    return posts, gone


def collect(
    state: SyncState, author: bytes, lo: int, hi: int, cutoff: int | None, budget: int | None
) -> tuple[list[SignedPost], list[Range], bool]:
    """The author's posts in ``lo..hi`` within retention (at most ``budget``), the seqs of that
    range we cannot send, and whether the whole range was covered. Raises
    :class:`~.logindex.LogMiss` when the log holds bodies of that range elsewhere."""
    sent: list[SignedPost] = []
    missing = RangeSet()
    expected, cursor = lo, lo - 1
    page_size = state.limits.log_page
    complete = True
    for _ in range((hi - lo) // max(page_size, 1) + 2):
        if cursor >= hi:
            break
        page = state.log.posts_after(author, cursor, page_size)
        for post in page:
            if post.seq > hi:
                break
            if cutoff is not None and post.ts < cutoff:
                continue
            if budget is not None and len(sent) >= budget:
                complete = False
                break
            if post.seq > expected:
                missing.add(expected, post.seq - 1)
            sent.append(post)
            expected = post.seq + 1
        if not complete or len(page) < page_size:
            break
        cursor = page[-1].seq
    top = min(hi, state.hwm.get(author, 0))  # above our mark we lack it too, for now
    if complete and expected <= top:
        missing.add(expected, top)
    return sent, list(missing.ranges()), complete


def send_posts(
    state: SyncState,
    peer: bytes,
    posts: list[SignedPost],
    gone: Mapping[bytes, Ranges],
    batch: Batch,
    also: tuple[bytes, ...] = (),
) -> None:
    if not posts and not gone:
        return
    gone = cap_ranges(gone, state.wire_limits.max_ranges)
    for data in posts_messages(
        [p.signed for p in posts],
        gone,
        state.limits.batch_posts,
        state.limits.batch_bytes,
        also[: state.wire_limits.max_also],
    ):
        batch.out.append(Outgoing(peer, data))
