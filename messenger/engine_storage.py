"""The conversation engine's storage, performed by the adapter: storage is an output.

The engine (:mod:`messenger.conversation`) runs on the event loop over a
:class:`~messenger.conversation.logindex.LogIndex`: every stored post's id, author, seq and
date, and the recent bodies. It never reads or writes the database. This module, used by the
circle's session:

- loads that index (and the ids of the direct messages kept) when the session starts;
- queues the write of what a step stored, all in one call on the database thread, together with
  what else the step records there (direct messages, acts), ahead of anything acknowledging it
  in the session's outputs (:mod:`messenger.outputs`);
- queues the read of the bodies the engine asked for (``LoadPosts``), handed to the index and
  the engine when they come, so the engine can send them;
- tells the index of posts deleted here (retracted, see :mod:`messenger.acts`) or purged for
  retention.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from .acts import Settled
from .conversation import (
    ConversationEvent,
    DmHeld,
    DmReceived,
    EnvelopeError,
    LoadPosts,
    SignedPost,
)
from .conversation.anon_envelope import ANONYMOUS_AUTHOR
from .conversation.logindex import LogIndex
from .conversation.records import post_from_record, post_to_record
from .outputs import Outputs
from .storage import AsyncStore, Store

log = logging.getLogger(__name__)
PAGE = 1000  # posts read at a time


class EngineStorage:
    """One circle's post log for its engine, and the storage work the engine asks for."""

    def __init__(
        self,
        circle_id: bytes,
        index: LogIndex,
        dms: set[bytes],
        anonymous: set[bytes] | None = None,
        retracted: set[tuple[bytes, bytes]] | None = None,
    ):
        self.circle_id = circle_id
        self.index = index
        """What the engine reads: owned by the event loop."""
        self._dms = dms
        self.anonymous: set[bytes] = set() if anonymous is None else anonymous
        """The ids of the anonymous posts kept (synced by id, not by the engine)."""
        self.retracted: set[tuple[bytes, bytes]] = set() if retracted is None else retracted
        """(post, author) of every retraction kept here (:func:`messenger.acts.needs_settling`)."""

    @classmethod
    async def open(cls, store: AsyncStore, circle_id: bytes) -> EngineStorage:
        def read(db: Store) -> EngineStorage:
            entries = db.post_index(circle_id)
            named = [e for e in entries if e[1] != ANONYMOUS_AUTHOR]
            anonymous = {e[0] for e in entries if e[1] == ANONYMOUS_AUTHOR}
            retracted = set(db.retractions(circle_id))
            return cls(circle_id, LogIndex(named), db.dm_ids(circle_id), anonymous, retracted)

        return await store.run(read)

    def dm_kept(self, message_id: bytes) -> bool:
        """Whether a direct message with this id is kept (the engine's ``already_received``)."""
        return message_id in self._dms

    def commit(
        self,
        out: Outputs,
        events: Sequence[ConversationEvent] = (),
        then: Callable[[Store], Settled] | None = None,
        done: Callable[[Settled], None] | None = None,
    ) -> None:
        """Queue the write of the posts the engine stored since the last commit, with ``then``
        (what a step's events do to the store: direct messages recorded, acts applied), in one
        call on the database thread; ``done`` gets what ``then`` settled, on the loop, once the
        posts this deleted (retracted) are forgotten by the index. Without ``then``, ``done``
        runs at once (what it queues comes after the write) with ``events`` all to show."""
        records = [post_to_record(post, at) for post, at in self.index.take_writes()]
        for event in events:
            if isinstance(event, DmReceived | DmHeld):
                self._dms.add(event.message.id)
        if then is None:  # a write at most: what follows it is queued after it
            if records:
                out.write(lambda db: db.add_posts(records))
            if done is not None:
                done(Settled(list(events)))
            return

        def call(db: Store) -> Settled:
            if records:
                db.add_posts(records)
            return Settled([]) if then is None else then(db)

        def after(settled: Settled) -> None:
            self.index.forget(settled.deleted)
            if done is not None:
                done(settled)

        out.read(call, after)

    def purged(self, cutoff_ms: int) -> None:
        """The store's retention purge removed the posts dated before ``cutoff_ms``."""
        self.index.forget_before(cutoff_ms)

    def load(
        self,
        out: Outputs,
        loads: Sequence[LoadPosts],
        then: Callable[[list[list[SignedPost]]], None],
    ) -> None:
        """Queue the read of the stored posts each of ``loads`` asks for (each range once, in
        one call on the database thread); ``then`` gets them, a list per load, on the loop."""
        ranges = list(dict.fromkeys((item.author, item.lo, item.hi) for item in loads))
        circle_id = self.circle_id

        def read(db: Store) -> list[list[SignedPost]]:
            found = dict(
                zip(
                    ranges,
                    [_read_range(db, circle_id, author, lo, hi) for author, lo, hi in ranges],
                    strict=True,
                )
            )
            return [found[(item.author, item.lo, item.hi)] for item in loads]

        out.read(read, then)


def _read_range(db: Store, circle_id: bytes, author: bytes, lo: int, hi: int) -> list[SignedPost]:
    posts: list[SignedPost] = []
    cursor = lo - 1
    for _ in range((hi - lo) // PAGE + 2):
        page = db.posts_after(circle_id, author, cursor, PAGE)
        for record in page:
            if record.seq > hi:
                break
            try:
                posts.append(post_from_record(record))
            except EnvelopeError:
                log.info("a stored post does not match its signed bytes; not sent")
        if len(page) < PAGE or page[-1].seq >= hi:
            break
        cursor = page[-1].seq
    return posts
