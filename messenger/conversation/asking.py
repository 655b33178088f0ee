"""Asking for what we lack: pulls of what peers advertised, WANTs for gaps, asking again for
what a peer's rate made us drop, forgetting unanswered asks (see :mod:`.postsync`)."""

from __future__ import annotations

from .events import (
    Outgoing,
)
from .ranges import RangeSet
from .ratelimit import PeerLimiter
from .syncstate import Batch, PeerView, SyncState, cap_ranges, chunks
from .wire import Ranges, Want, encode


def pull(state: SyncState, now: int, batch: Batch) -> None:
    """Ask for what synced peers advertised beyond our marks and nobody was asked for yet:
    each range from one peer (the one ahead furthest), at most ``max_want_posts`` at a time."""
    tops: dict[bytes, tuple[bool, int, bytes]] = {}
    for peer, view in state.peers.items():
        if not view.synced:
            continue
        for author, seq in view.advertised.items():
            # the furthest ahead, a peer that has not let us down first
            rank = (peer not in state.silent.get(author, ()), seq, peer)
            if seq > state.hwm.get(author, 0) and rank > tops.get(author, (False, 0, b"")):
                tops[author] = rank
    for author, (reliable, top, peer) in tops.items():
        if not reliable:
            state.silent.pop(author, None)  # everyone let us down once: start over
        mark = state.hwm.get(author, 0)
        if state.held.lowest(author) is not None:
            continue  # the gap logic is asking already
        front = state.front(author, mark)
        if top <= front:
            continue
        need = RangeSet()
        chunk = state.limits.max_want_posts
        need.add(front + 1, min(top, front + chunk * state.limits.pull_chunks))
        asked = state.asked.setdefault(author, RangeSet())
        for lo, hi in asked.ranges():
            need.remove(lo, hi)
        gone = state.gone.get(author)
        if gone is not None:
            for lo, hi in gone.ranges():
                need.remove(lo, hi)
        ranges = need.ranges()[: state.wire_limits.max_ranges]
        if not ranges:
            continue
        wanted = state.peers[peer].wanted.setdefault(author, RangeSet())
        for lo, hi in ranges:
            asked.add(lo, hi)
            wanted.add(lo, hi)
        state.pull_since.setdefault(author, now)
        for part in chunks(ranges, chunk):
            batch.out.append(Outgoing(peer, encode(Want({author: part}))))


def want_missing(
    state: SyncState, author: bytes, peers: list[bytes], batch: Batch, *, again: bool
) -> None:
    """Ask ``peers`` for the seqs missing before the author's held posts (``again``: even
    those asked for already, from someone else). Seqs we dropped for a peer's rate are not
    asked of that peer here: they come back only as its bucket allows (see ``_recover``)."""
    mark = state.hwm.get(author, 0)
    missing = RangeSet(state.held.missing(author, mark))
    asked = state.asked.setdefault(author, RangeSet())
    if not again:
        for lo, hi in asked.ranges():
            missing.remove(lo, hi)
    if not missing:
        return
    for peer in peers:
        view = state.peers.get(peer)
        if view is None or not view.synced:
            continue
        mine = RangeSet(missing.ranges())
        mine.remove(mark + 1, view.deferred.get(author, 0))
        ranges = mine.ranges()[: state.wire_limits.max_ranges]
        if not ranges:
            continue
        wanted = view.wanted.setdefault(author, RangeSet())
        for lo, hi in ranges:
            wanted.add(lo, hi)
            asked.add(lo, hi)
        batch.out.append(Outgoing(peer, encode(Want({author: ranges}))))


def forget_asks(state: SyncState, author: bytes) -> None:
    """The peers we asked for ``author``'s posts did not answer in time: forget the asks
    and count those peers as silent for this author, so the next pull asks another."""
    state.asked.pop(author, None)
    silent = state.silent.setdefault(author, set())
    for peer, view in state.peers.items():
        if view.wanted.pop(author, None) is not None:
            silent.add(peer)


def recover(
    state: SyncState, peer: bytes, view: PeerView, now: int, limiter: PeerLimiter, batch: Batch
) -> None:
    """Ask again, as far as the peer's bucket allows, for posts dropped for its rate."""
    asks: dict[bytes, Ranges] = {}
    for author, top in list(view.deferred.items()):
        mark = state.hwm.get(author, 0)
        if top <= mark:
            del view.deferred[author]
            continue
        wanted = view.wanted.setdefault(author, RangeSet())
        seqs = [
            s
            for s in range(mark + 1, min(top, mark + state.limits.max_ahead) + 1)
            if state.held.at(author, s) is None and s not in wanted
        ]
        granted = limiter.posts.take_up_to(now, len(seqs))
        if not granted:
            continue
        ranges = RangeSet()
        for s in seqs[:granted]:
            ranges.add(s, s)
        for lo, hi in ranges.ranges():
            wanted.add(lo, hi)
        asks[author] = ranges.ranges()
    if asks:
        batch.out.append(
            Outgoing(peer, encode(Want(cap_ranges(asks, state.wire_limits.max_ranges))))
        )
