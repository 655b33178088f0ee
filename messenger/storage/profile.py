"""Profiles on disk: create, unlock, re-key the passphrase, wipe; and the ephemeral session.

Layout of a profile directory (0700; files 0600)::

    <profile>/key        the wrapped database key (see :mod:`.keyfile`); its presence = a profile
    <profile>/hearth.db  the SQLCipher database (+ hearth.db-wal, hearth.db-shm while open)
    <profile>/lock       flock'd while a process has the profile open

Argon2id takes about half a second on purpose. Each operation that runs it comes twice: a plain
function (``open_profile``) and an ``*_async`` one that runs the slow part in an executor the
caller owns (``None``: the loop's default one) and opens the database on the store's own thread.

Wipe is a crypto-erase: the key file is overwritten with random bytes, synced and deleted first
(after that the database is noise to anyone), then the database, its WAL, shared memory and
journal files and the lock file are deleted, and the keys in memory are dropped (the database
key was zeroed as soon as SQLCipher took it; SQLCipher wipes its own copy when the connection
closes). Honest limits: flash storage and journaling or copy-on-write file systems may keep old
blocks of any file, which is why destroying the key is what counts; Python may keep copies of
the passphrase (a ``str``) and of intermediate ``bytes`` until their memory is reused.
"""

from __future__ import annotations

import asyncio
import functools
import os
import secrets
import threading
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

from . import keyfile
from .async_store import AsyncStore
from .connection import MEMORY, close_quietly, connect_encrypted
from .errors import ProfileCorrupt, ProfileExists, ProfileMissing, StorageError
from .files import (
    create_private_file,
    fsync_dir,
    leftovers,
    make_private_dir,
    recover_replaced,
    remove,
    shred,
    write_atomic,
)
from .keyfile import KdfParams, zero
from .lock import ProfileLock
from .protect import protect_profile_dir
from .store import Store

KEY_FILE = "key"
DB_FILE = "hearth.db"
LOCK_FILE = "lock"
DB_SIDE_FILES = ("-wal", "-shm", "-journal")

PathLike = str | os.PathLike[str]


def key_path(profile: PathLike) -> Path:
    return Path(profile) / KEY_FILE


def db_path(profile: PathLike) -> Path:
    return Path(profile) / DB_FILE


def profile_exists(profile: PathLike) -> bool:
    """True if a profile (its key file) is there; reads nothing, creates nothing."""
    return key_path(profile).is_file()


@dataclass
class PendingOpen:
    """A profile whose slow part is done (locked, key in hand); :meth:`open_store` finishes.

    ``open_store`` must run on the thread that will use the store. It consumes the key (zeroed
    whatever happens); :meth:`abandon` lets go without opening.
    """

    path: Path
    key: bytearray = field(repr=False)
    lock: ProfileLock
    new_keyfile: keyfile.KeyFile | None = None
    _used: bool = field(default=False, repr=False)
    _guard: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _claim(self) -> bool:
        with self._guard:
            if self._used:
                return False
            self._used = True
            return True

    def open_store(self) -> Store:
        if not self._claim():
            raise StorageError("this profile was already opened or abandoned")
        creating = self.new_keyfile is not None
        database = db_path(self.path)
        try:
            if creating:
                _remove_database(self.path)  # an orphan from a create that died: unreadable
                create_private_file(database)
            elif not database.is_file():
                raise ProfileCorrupt("the profile's database file is missing")
            conn = connect_encrypted(database, self.key)
            try:
                store = Store(conn, path=self.path, lock=self.lock)
            except BaseException:
                close_quietly(conn)
                raise
            if self.new_keyfile is not None:
                # the key file is written last: it is what makes the profile exist
                try:
                    write_atomic(key_path(self.path), self.new_keyfile.encode())
                except BaseException:
                    store.detach()
                    raise
        except BaseException:
            if creating:
                _remove_database(self.path)
            self.lock.release()
            raise
        finally:
            zero(self.key)
        return store

    def abandon(self) -> None:
        """Give up before :meth:`open_store` ran (once it has started, it cleans up itself)."""
        if self._claim():
            zero(self.key)
            self.lock.release()


def _remove_database(profile: Path) -> None:
    database = db_path(profile)
    remove(database)
    for suffix in DB_SIDE_FILES:
        remove(database.with_name(database.name + suffix))


# -- the slow halves (run them in an executor) ----------------------------------------------
def unlock_profile(path: PathLike, passphrase: str) -> PendingOpen:
    """Unwrap the profile's key (Argon2id), then lock the profile.

    The key is unwrapped *before* anything is opened for writing, so a wrong passphrase (or a
    damaged key file) creates, locks and modifies nothing.
    """
    profile = Path(path)
    if not profile_exists(profile):
        if profile.exists() and not profile.is_dir():
            raise ProfileCorrupt("the profile path is a file, not a directory")
        raise ProfileMissing("there is no profile here")
    key = keyfile.unwrap_key(read_key_file(profile), passphrase)
    try:
        lock = ProfileLock.acquire(profile / LOCK_FILE)
    except BaseException:
        zero(key)
        raise
    return PendingOpen(profile, key, lock)


def read_key_file(profile: Path) -> keyfile.KeyFile:
    """The profile's key file; if it is damaged and an interrupted passphrase change left the
    whole new one beside it (the old one is overwritten before the rename), that one."""
    path = key_path(profile)
    try:
        return keyfile.read(path)
    except ProfileCorrupt:
        for candidate in leftovers(path):
            try:
                parsed = keyfile.read(candidate)
            except (ProfileCorrupt, ProfileMissing):
                continue
            recover_replaced(path, candidate)
            return parsed
        raise


def prepare_profile(
    path: PathLike, passphrase: str, *, kdf: KdfParams | None = None
) -> PendingOpen:
    """Make the directory, lock it, make and wrap a fresh key (Argon2id); nothing exists yet."""
    profile = Path(path)
    keyfile.passphrase_bytes(passphrase)  # reject an empty passphrase before touching the disk
    if profile_exists(profile):
        raise ProfileExists("a profile already exists here")
    existed = profile.is_dir()
    try:
        make_private_dir(profile)
    except FileExistsError:
        raise ProfileCorrupt("the profile path is a file, not a directory") from None
    except OSError as exc:
        raise StorageError(f"cannot create the profile directory ({exc.strerror})") from None
    protect_profile_dir(profile, created=not existed)
    lock = ProfileLock.acquire(profile / LOCK_FILE)
    key = bytearray(secrets.token_bytes(keyfile.DB_KEY_LEN))
    try:
        if profile_exists(profile):  # created by someone else between the check and the lock
            raise ProfileExists("a profile already exists here")
        wrapped = keyfile.wrap_key(key, passphrase, kdf or keyfile.default_kdf_params())
    except BaseException:
        zero(key)
        lock.release()
        raise
    return PendingOpen(profile, key, lock, new_keyfile=wrapped)


# -- plain API ------------------------------------------------------------------------------
def create_profile(path: PathLike, passphrase: str, *, kdf: KdfParams | None = None) -> Store:
    """Create a new profile at ``path`` and open it. ``kdf`` defaults to moderate limits
    (interactive when memory is short); the chosen limits are stored in the key file."""
    return prepare_profile(path, passphrase, kdf=kdf).open_store()


def open_profile(path: PathLike, passphrase: str) -> Store:
    """Open the profile at ``path``; :class:`WrongPassphrase`, :class:`ProfileMissing`,
    :class:`ProfileCorrupt`, :class:`ProfileLocked` say what is wrong."""
    return unlock_profile(path, passphrase).open_store()


def open_ephemeral() -> Store:
    """A session that leaves nothing behind: a keyed in-memory database, no file anywhere."""
    key = bytearray(secrets.token_bytes(keyfile.DB_KEY_LEN))
    try:
        conn = connect_encrypted(MEMORY, key)
    finally:
        zero(key)
    try:
        return Store(conn)
    except BaseException:
        close_quietly(conn)
        raise


def change_passphrase(path: PathLike, old: str, new: str, *, kdf: KdfParams | None = None) -> None:
    """Re-wrap the database key under ``new`` (fresh salt), replacing the key file atomically.

    Works whether or not the profile is open. The old key file's bytes are overwritten after
    the new one is in place. Honest limit: the database key itself does not change, so a copy
    of the old key file taken earlier still opens the database with the old passphrase.
    """
    profile = Path(path)
    current = read_key_file(profile)
    keyfile.passphrase_bytes(new)
    key = keyfile.unwrap_key(current, old)
    try:
        wrapped = keyfile.wrap_key(key, new, kdf or current.params)
    finally:
        zero(key)
    write_atomic(key_path(profile), wrapped.encode(), shred_old=True)


def wipe_profile(path: PathLike, store: Store | None = None) -> None:
    """Crypto-erase the profile at ``path``; ``store`` (its open store, if any) is closed first.

    Afterwards the directory is empty. Raises :class:`ProfileLocked` if another process has the
    profile open. Wiping where there is nothing is not an error.
    """
    lock = store.detach() if store is not None else None
    _wipe_files(Path(path), lock)


def _wipe_files(profile: Path, lock: ProfileLock | None) -> None:
    if lock is not None and lock.path != profile / LOCK_FILE:
        lock.release()
        lock = None
    if not profile.is_dir():
        if lock is not None:
            lock.release()
        return
    if lock is None:
        lock = ProfileLock.acquire(profile / LOCK_FILE)
    try:
        shred(key_path(profile))
        for leftover in profile.glob(f".{KEY_FILE}.*.tmp"):  # an interrupted key file write
            shred(leftover)
        fsync_dir(profile)
        _remove_database(profile)
    finally:
        lock.release(unlink=True)
        fsync_dir(profile)


# -- async API ------------------------------------------------------------------------------
async def _finish(pending: PendingOpen) -> AsyncStore:
    try:
        return await AsyncStore.open(pending.open_store)
    except BaseException:
        pending.abandon()
        raise


async def open_profile_async(
    path: PathLike, passphrase: str, *, executor: Executor | None = None
) -> AsyncStore:
    """:func:`open_profile` without blocking the loop (Argon2id runs in ``executor``)."""
    loop = asyncio.get_running_loop()
    pending = await loop.run_in_executor(executor, unlock_profile, path, passphrase)
    return await _finish(pending)


async def create_profile_async(
    path: PathLike,
    passphrase: str,
    *,
    kdf: KdfParams | None = None,
    executor: Executor | None = None,
) -> AsyncStore:
    """:func:`create_profile` without blocking the loop (Argon2id runs in ``executor``)."""
    loop = asyncio.get_running_loop()
    prepare = functools.partial(prepare_profile, path, passphrase, kdf=kdf)
    pending = await loop.run_in_executor(executor, prepare)
    return await _finish(pending)


async def open_ephemeral_async() -> AsyncStore:
    """:func:`open_ephemeral` on the store's own database thread."""
    return await AsyncStore.open(open_ephemeral)


async def change_passphrase_async(
    path: PathLike,
    old: str,
    new: str,
    *,
    kdf: KdfParams | None = None,
    executor: Executor | None = None,
) -> None:
    """:func:`change_passphrase` in ``executor`` (two Argon2id runs)."""
    call = functools.partial(change_passphrase, path, old, new, kdf=kdf)
    await asyncio.get_running_loop().run_in_executor(executor, call)


async def wipe_profile_async(
    path: PathLike, store: AsyncStore | None = None, *, executor: Executor | None = None
) -> None:
    """:func:`wipe_profile` for an :class:`AsyncStore`: queued calls are dropped, not run."""
    lock = await store.close_for_wipe() if store is not None else None
    wipe = functools.partial(_wipe_files, Path(path), lock)
    await asyncio.get_running_loop().run_in_executor(executor, wipe)
