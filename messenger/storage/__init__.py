"""Local encrypted storage: one SQLCipher database per profile, that can vanish on demand.

Open or create a profile with :func:`open_profile` / :func:`create_profile` (or their
``*_async`` forms, which run Argon2id in an executor and give an :class:`AsyncStore`), or start
an :func:`open_ephemeral` session that writes nothing to disk. :func:`wipe_profile` crypto-erases.
"""

from __future__ import annotations

from .async_store import AsyncStore
from .database import Cursor
from .errors import (
    DatabaseFailure,
    InvalidRecord,
    PassphraseRejected,
    ProfileCorrupt,
    ProfileExists,
    ProfileLocked,
    ProfileMissing,
    SchemaTooNew,
    StorageError,
    StoreClosed,
    UnknownCircle,
    WrongPassphrase,
)
from .keyfile import INTERACTIVE, MINIMUM, MODERATE, KdfParams, default_kdf_params
from .profile import (
    DB_FILE,
    KEY_FILE,
    LOCK_FILE,
    change_passphrase,
    change_passphrase_async,
    create_profile,
    create_profile_async,
    open_ephemeral,
    open_ephemeral_async,
    open_profile,
    open_profile_async,
    profile_exists,
    wipe_profile,
    wipe_profile_async,
)
from .records import (
    CircleRecord,
    Direction,
    DirectMessageRecord,
    DmState,
    MembershipRecord,
    PostRecord,
    PurgeResult,
)
from .store import Store

__all__ = [
    "DB_FILE",
    "INTERACTIVE",
    "KEY_FILE",
    "LOCK_FILE",
    "MINIMUM",
    "MODERATE",
    "AsyncStore",
    "CircleRecord",
    "Cursor",
    "DatabaseFailure",
    "DirectMessageRecord",
    "Direction",
    "DmState",
    "InvalidRecord",
    "KdfParams",
    "MembershipRecord",
    "PassphraseRejected",
    "PostRecord",
    "ProfileCorrupt",
    "ProfileExists",
    "ProfileLocked",
    "ProfileMissing",
    "PurgeResult",
    "SchemaTooNew",
    "StorageError",
    "Store",
    "StoreClosed",
    "UnknownCircle",
    "WrongPassphrase",
    "change_passphrase",
    "change_passphrase_async",
    "create_profile",
    "create_profile_async",
    "default_kdf_params",
    "open_ephemeral",
    "open_ephemeral_async",
    "open_profile",
    "open_profile_async",
    "profile_exists",
    "wipe_profile",
    "wipe_profile_async",
]
