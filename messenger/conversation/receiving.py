"""Taking in pushed and caught-up posts: checks, duplicates, holding back past a gap, storing
in each author's order, giving up on gaps (see :mod:`.postsync`)."""

from __future__ import annotations

from collections.abc import Mapping

from .envelope import SignedPost, decode_post, post_id, verify_post
from .errors import DropReason, EnvelopeError
from .events import (
    GapAbandoned,
    PostReceived,
)
from .ranges import RangeSet
from .ratelimit import PeerLimiter
from .syncstate import Batch, PeerView, SyncState
from .wire import PREFIX, Posts


def on_posts(
    state: SyncState, peer: bytes, msg: Posts, now: int, limiter: PeerLimiter, batch: Batch
) -> None:
    view = state.peers[peer]
    for author, ranges in msg.gone.items():
        mark = state.hwm.get(author, 0)
        gone = state.gone.setdefault(author, RangeSet())
        for lo, hi in ranges:
            if hi > mark:
                gone.add(max(lo, mark + 1), hi)
        if len(gone) > state.limits.max_gone_ranges:
            gone.discard_below(gone.ranges()[-state.limits.max_gone_ranges][0])
    cutoff = state.retention_cutoff(now)
    tops: dict[bytes, int] = {}
    for data in msg.posts:
        seen = accept(state, peer, view, data, now, cutoff, limiter, batch)
        if seen is not None:
            author, seq = seen
            tops[author] = max(tops.get(author, 0), seq)
    if msg.also and tops:
        pushed_elsewhere(state, peer, msg.also, tops)
    for author in msg.gone:
        if state.held.lowest(author) is not None:
            batch.held.setdefault(author, peer)


def pushed_elsewhere(
    state: SyncState, sender: bytes, also: tuple[bytes, ...], tops: Mapping[bytes, int]
) -> None:
    """``sender`` pushed these posts to the members named in ``also`` too: count them as
    having them (up to each author's top seq here), so we do not forward to them."""
    named = set(also)
    for member, view in state.peers.items():
        if member == sender or member[:PREFIX] not in named:
            continue
        for author, seq in tops.items():
            if seq > view.known.get(author, 0):
                view.known[author] = seq


def accept(
    state: SyncState,
    peer: bytes,
    view: PeerView,
    data: bytes,
    now: int,
    cutoff: int | None,
    limiter: PeerLimiter,
    batch: Batch,
) -> tuple[bytes, int] | None:
    """Take in one post from ``peer``; its (author, seq) when it is a post of this circle the
    peer holds (new, held back or a duplicate), else None."""
    pid = post_id(data)
    if state.log.contains(pid) or state.held.has_id(pid):
        state.stats.add(peer, DropReason.DUPLICATE)
        try:  # the peer has it: never send it back (a parse, no signature check)
            dup = decode_post(data, verify=False).envelope
        except EnvelopeError:
            return None
        view.known[dup.author_key] = max(view.known.get(dup.author_key, 0), dup.seq)
        return dup.author_key, dup.seq
    try:
        post = decode_post(data, verify=False)
    except EnvelopeError as exc:
        state.drop(peer, exc.reason, batch)
        return None
    env = post.envelope
    if env.circle_id != state.circle_id:
        state.drop(peer, DropReason.WRONG_CIRCLE, batch)
        return None
    if not state.is_member(env.author_key):
        state.drop(peer, DropReason.NOT_MEMBER, batch)
        return None
    if not view.solicited(env.author_key, env.seq) and not limiter.allow_post(now):
        state.stats.add(peer, DropReason.RATE_LIMITED)
        view.deferred[env.author_key] = max(view.deferred.get(env.author_key, 0), env.seq)
        return None
    try:
        verify_post(post)
    except EnvelopeError as exc:
        state.drop(peer, exc.reason, batch)
        return None
    if env.ts > now + state.limits.max_clock_skew_ms:
        state.drop(peer, DropReason.FUTURE, batch)
        return None
    if cutoff is not None and env.ts < cutoff:
        state.drop(peer, DropReason.EXPIRED, batch)
        return None
    author, seq = env.author_key, env.seq
    view.known[author] = max(view.known.get(author, 0), seq)
    mark = state.hwm.get(author, 0)
    if seq <= mark:
        if store(state, post, peer, now, batch, late=True):
            holes = state.holes.get(author)
            if holes is not None:
                holes.remove(seq, seq)
            batch.late.append(post)
    elif seq == mark + 1:
        if store(state, post, peer, now, batch):
            release(state, author, now, batch)
    elif seq - state.front(author, mark) > state.limits.max_ahead:
        state.drop(peer, DropReason.TOO_FAR_AHEAD, batch)
        return None
    elif state.held.at(author, seq) is not None:
        state.drop(peer, DropReason.EQUIVOCATION, batch)
        return None
    elif not state.held.hold(post, peer, now):
        state.drop(peer, DropReason.BUFFER_FULL, batch)
        return None
    else:
        batch.held.setdefault(author, peer)
    return author, seq


def store(
    state: SyncState, post: SignedPost, peer: bytes, now: int, batch: Batch, *, late: bool = False
) -> bool:
    if not state.log.add(post, now):
        state.drop(peer, DropReason.EQUIVOCATION, batch)
        return False
    if post.seq > state.hwm.get(post.author_key, 0):
        state.hwm[post.author_key] = post.seq
        state.pull_since.pop(post.author_key, None)
        batch.changed.add(post.author_key)
    batch.events.append(PostReceived(post=post, peer=peer, late=late))
    return True


def release(state: SyncState, author: bytes, now: int, batch: Batch) -> None:
    """Store the held posts that now follow on from the author's mark."""
    released = False
    while (item := state.held.pop(author, state.hwm.get(author, 0) + 1)) is not None:
        released = True
        if not store(state, item.post, item.peer, now, batch):
            break
    if released:
        state.held.gap_filled(author, now)
    mark = state.hwm.get(author, 0)
    for ranges in (state.gone.get(author), state.asked.get(author)):
        if ranges is not None:
            ranges.discard_below(mark + 1)
    for view in state.peers.values():
        wanted = view.wanted.get(author)
        if wanted is not None:
            wanted.discard_below(mark + 1)


def give_up(state: SyncState, author: bytes, now: int, batch: Batch) -> None:
    """Stop waiting for the front gap: remember it, show the held posts after it."""
    low = state.held.lowest(author)
    if low is None:
        return
    first = state.hwm.get(author, 0) + 1
    if low > first:
        state.holes.setdefault(author, RangeSet()).add(first, low - 1)
        batch.events.append(GapAbandoned(author, first, low - 1))
    item = state.held.pop(author, low)
    assert item is not None
    store(state, item.post, item.peer, now, batch)
    release(state, author, now, batch)
    state.held.gap_filled(author, now)


def settle(state: SyncState, author: bytes, now: int, batch: Batch) -> None:
    """Give up on front gaps that peers told us are gone (bounded by what is held)."""
    for _ in range(state.limits.max_held + 1):
        low = state.held.lowest(author)
        if low is None:
            return
        gone = state.gone.get(author)
        first = state.hwm.get(author, 0) + 1
        if not (gone is not None and gone.covers(first, low - 1)):
            return
        give_up(state, author, now, batch)
