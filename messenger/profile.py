"""The profile's store while the peer runs: opened (Argon2id off the loop), closed, wiped; posts
past each circle's retention deleted; the desktop app's preferences kept."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from . import persist
from .errors import HearthError
from .options import LaunchOptions
from .profile_open import open_store
from .session import CircleSession
from .storage import AsyncStore, KdfParams, wipe_profile_async
from .views import Retention

log = logging.getLogger(__name__)


class NotRunning(HearthError):
    code = "not_running"


class Profile:
    def __init__(
        self, options: LaunchOptions, kdf: KdfParams | None, clock: Callable[[], float]
    ) -> None:
        self._options = options
        self._kdf = kdf
        self._clock = clock
        self._store: AsyncStore | None = None

    @property
    def store(self) -> AsyncStore:
        if self._store is None:
            raise NotRunning("the peer is not running")
        return self._store

    @property
    def is_open(self) -> bool:
        return self._store is not None and not self._store.closed

    async def open(self, passphrase: str | None) -> AsyncStore:
        self._store = await open_store(self._options, passphrase, kdf=self._kdf)
        return self._store

    async def forget_circle(self, circle_id: bytes) -> None:
        if self._store is not None:
            await self._store.delete_circle(circle_id)
            await persist.forget(self._store, circle_id)

    async def close(self, sessions: Iterable[CircleSession]) -> None:
        """Delete what only lived for this session, then close the database."""
        if self._store is None:
            return
        if not self._store.closed:
            try:
                await self.enforce_retention(sessions, ending_session=True)
            except HearthError as exc:
                log.info("retention at exit failed: %s", exc.code)
        await self._store.close()
        self._store = None

    async def wipe(self) -> None:
        """Crypto-erase the whole profile now: keys gone, database deleted, nothing readable."""
        store, self._store = self._store, None
        if store is None:
            return
        if store.ephemeral:
            await store.close()
        else:
            await wipe_profile_async(self._options.profile, store)

    async def enforce_retention(
        self, sessions: Iterable[CircleSession], *, ending_session: bool = False
    ) -> int:
        """Delete posts older than each circle's retention (all of a this-session-only
        circle's posts when the session ends); returns how many went."""
        store = self._store
        if store is None:
            return 0
        removed = 0
        now = self._clock()
        for session in sessions:
            policy = session.rt.circle.settings.retention
            if policy.kind is Retention.SESSION:
                if not ending_session:
                    continue
                cutoff: float | None = now + 1
            else:
                cutoff = policy.cutoff(now)
            if cutoff is not None:
                result = await store.purge_older_than(session.id, int(cutoff * 1000))
                session.storage.purged(int(cutoff * 1000))
                removed += result.posts
        return removed

    async def save_ui_preferences(self, values: dict[str, object]) -> None:
        """The desktop app's own settings, kept in the profile (in memory when ephemeral)."""
        await self.store.set_setting("ui_preferences", values)

    async def ui_preferences(self) -> object:
        return await self.store.get_setting("ui_preferences")
