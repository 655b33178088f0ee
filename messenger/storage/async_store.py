"""The store for the event loop: every call runs on one database thread the store owns.

SQLite connections belong to the thread that opened them, so :class:`AsyncStore` opens its
:class:`~.store.Store` *on* its own single-thread executor and sends every call there; the
event loop (Qt's, under qasync) only awaits. ``close()`` closes the database on that thread and
shuts the executor down. Calls are served in the order they were made.

The benchmark (``bench_storage``) prints what one small call costs directly and through here.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from .database import Cursor
from .errors import StoreClosed
from .lock import ProfileLock
from .records import (
    CircleRecord,
    DirectMessageRecord,
    DmState,
    MembershipRecord,
    PostRecord,
    PurgeResult,
)
from .store import Store

T = TypeVar("T")


def _close_orphan(future: Future[Store]) -> None:
    if not future.cancelled() and future.exception() is None:
        future.result().close()


class AsyncStore:
    """A :class:`Store` driven from asyncio; create it with :meth:`open`."""

    def __init__(self, executor: ThreadPoolExecutor, store: Store) -> None:
        self._executor: ThreadPoolExecutor | None = executor
        self._pending: set[Future[Any]] = set()
        self._store = store
        self.path: Path | None = store.path

    @classmethod
    async def open(cls, factory: Callable[[], Store]) -> AsyncStore:
        """Run ``factory`` (which opens a store) on a fresh database thread and wrap the result."""
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hearth-db")
        future = executor.submit(factory)
        try:
            store = await asyncio.wrap_future(future)
        except BaseException:
            # Cancelled while the factory runs: it will finish on its thread; close what it
            # opened there, so no connection or profile lock is left behind.
            future.add_done_callback(_close_orphan)
            executor.shutdown(wait=False, cancel_futures=True)
            raise
        return cls(executor, store)

    @property
    def closed(self) -> bool:
        return self._executor is None

    @property
    def ephemeral(self) -> bool:
        return self.path is None

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        """Run ``fn(store, *args)`` on the database thread (for work with no wrapper below)."""
        return await asyncio.wrap_future(self._submit(fn, *args))

    def _submit(self, fn: Callable[..., T], *args: object) -> Future[T]:
        executor = self._executor
        if executor is None:
            raise StoreClosed("the profile is closed")
        future = executor.submit(fn, self._store, *args)
        self._pending.add(future)
        future.add_done_callback(self._pending.discard)
        return future

    async def close(self) -> None:
        """Finish queued calls, close the database on its thread, stop the thread."""
        await self._shutdown(Store.close, cancel_pending=False)

    async def close_for_wipe(self) -> ProfileLock | None:
        """Drop queued calls, close the database, hand back the profile lock (for the wipe)."""
        return await self._shutdown(Store.detach, cancel_pending=True)

    async def _shutdown(self, closer: Callable[[Store], T], *, cancel_pending: bool) -> T | None:
        if self._executor is None:
            return None
        if cancel_pending:  # calls not started yet never run; a running one finishes first
            for future in list(self._pending):
                future.cancel()
        future = self._submit(closer)
        executor, self._executor = self._executor, None
        try:
            return await asyncio.wrap_future(future)
        finally:
            executor.shutdown(wait=False)

    # -- settings -------------------------------------------------------------------------
    async def get_setting(self, key: str, default: object = None) -> object:
        return await self.run(Store.get_setting, key, default)

    async def set_setting(self, key: str, value: object) -> None:
        await self.run(Store.set_setting, key, value)

    async def delete_setting(self, key: str) -> bool:
        return await self.run(Store.delete_setting, key)

    async def settings(self) -> dict[str, object]:
        return await self.run(Store.settings)

    # -- circles and memberships -----------------------------------------------------------
    async def save_circle(self, circle: CircleRecord) -> None:
        await self.run(Store.save_circle, circle)

    async def get_circle(self, circle_id: bytes) -> CircleRecord | None:
        return await self.run(Store.get_circle, circle_id)

    async def circles(self, *, include_left: bool = True) -> list[CircleRecord]:
        return await self.run(functools.partial(Store.circles, include_left=include_left))

    async def set_circle_left(self, circle_id: bytes, left: bool = True) -> bool:
        return await self.run(Store.set_circle_left, circle_id, left)

    async def delete_circle(self, circle_id: bytes) -> bool:
        return await self.run(Store.delete_circle, circle_id)

    async def save_membership(self, membership: MembershipRecord) -> None:
        await self.run(Store.save_membership, membership)

    async def get_membership(self, circle_id: bytes) -> MembershipRecord | None:
        return await self.run(Store.get_membership, circle_id)

    async def memberships(self) -> list[MembershipRecord]:
        return await self.run(Store.memberships)

    # -- posts ----------------------------------------------------------------------------
    async def add_post(self, post: PostRecord) -> bool:
        return await self.run(Store.add_post, post)

    async def add_posts(self, posts: Iterable[PostRecord]) -> list[bytes]:
        return await self.run(Store.add_posts, list(posts))

    async def get_post(self, post_id: bytes) -> PostRecord | None:
        return await self.run(Store.get_post, post_id)

    async def known_post_ids(self, post_ids: Iterable[bytes]) -> set[bytes]:
        return await self.run(Store.known_post_ids, list(post_ids))

    async def newest_posts(
        self,
        circle_id: bytes,
        limit: int = 50,
        before: Cursor | None = None,
        *,
        include_hidden: bool = True,
    ) -> list[PostRecord]:
        call = functools.partial(Store.newest_posts, include_hidden=include_hidden)
        return await self.run(call, circle_id, limit, before)

    async def posts_count(self, circle_id: bytes) -> int:
        return await self.run(Store.posts_count, circle_id)

    async def high_water_marks(self, circle_id: bytes) -> dict[bytes, int]:
        return await self.run(Store.high_water_marks, circle_id)

    async def posts_after(
        self, circle_id: bytes, author_key: bytes, seq: int, limit: int = 1000
    ) -> list[PostRecord]:
        return await self.run(Store.posts_after, circle_id, author_key, seq, limit)

    async def missing_seqs(
        self,
        circle_id: bytes,
        author_key: bytes,
        first: int,
        last: int | None = None,
        limit: int = 10_000,
    ) -> list[int]:
        return await self.run(Store.missing_seqs, circle_id, author_key, first, last, limit)

    async def set_post_hidden(self, post_id: bytes, hidden: bool = True) -> bool:
        return await self.run(Store.set_post_hidden, post_id, hidden)

    async def acts_on(self, circle_id: bytes, targets: Iterable[bytes]) -> list[PostRecord]:
        return await self.run(Store.acts_on, circle_id, list(targets))

    async def retract_post(self, post_id: bytes) -> bool:
        return await self.run(Store.retract_post, post_id)

    async def delete_post(self, post_id: bytes) -> bool:
        return await self.run(Store.delete_post, post_id)

    async def search(
        self, circle_id: bytes, query: str, limit: int = 50, *, include_hidden: bool = False
    ) -> list[PostRecord]:
        call = functools.partial(Store.search, include_hidden=include_hidden)
        return await self.run(call, circle_id, query, limit)

    async def purge_older_than(self, circle_id: bytes, cutoff_ts: int) -> PurgeResult:
        return await self.run(Store.purge_older_than, circle_id, cutoff_ts)

    # -- direct messages ------------------------------------------------------------------
    async def add_dm(self, message: DirectMessageRecord) -> bool:
        return await self.run(Store.add_dm, message)

    async def get_dm(self, message_id: bytes) -> DirectMessageRecord | None:
        return await self.run(Store.get_dm, message_id)

    async def set_dm_state(self, message_id: bytes, state: DmState) -> bool:
        return await self.run(Store.set_dm_state, message_id, state)

    async def dm_conversation(
        self, circle_id: bytes, peer_key: bytes, limit: int = 50, before: Cursor | None = None
    ) -> list[DirectMessageRecord]:
        return await self.run(Store.dm_conversation, circle_id, peer_key, limit, before)

    async def dm_peers(self, circle_id: bytes) -> list[tuple[bytes, int]]:
        return await self.run(Store.dm_peers, circle_id)
