"""Storage errors: one typed hierarchy under :class:`StorageError`, each with a stable ``code``.

The text of an error is for people and never carries a passphrase, a key or message text.
"""

from __future__ import annotations

from ..errors import HearthError


class StorageError(HearthError):
    """Something went wrong with the local profile or its database."""

    code = "storage_error"


class WrongPassphrase(StorageError):
    """The passphrase does not unwrap the profile's key; nothing was touched."""

    code = "wrong_passphrase"


class PassphraseRejected(StorageError):
    """The passphrase cannot be used (empty, or not text)."""

    code = "passphrase_rejected"


class ProfileMissing(StorageError):
    """There is no profile (no key file) at the given place."""

    code = "profile_missing"


class ProfileExists(StorageError):
    """A profile already lives there; creating one would destroy it."""

    code = "profile_exists"


class ProfileCorrupt(StorageError):
    """The key file or the database is damaged, foreign, or from an unknown format version."""

    code = "profile_corrupt"


class ProfileLocked(StorageError):
    """Another process (or another open store in this one) has the profile open."""

    code = "profile_locked"


class SchemaTooNew(StorageError):
    """The database was written by a newer Hearth than this one."""

    code = "schema_too_new"


class StoreClosed(StorageError):
    """The store was closed (or wiped) and can no longer be used."""

    code = "store_closed"


class InvalidRecord(StorageError):
    """A record handed to the store breaks its shape (wrong key length, negative seq, ...)."""

    code = "invalid_record"


class UnknownCircle(StorageError):
    """The record refers to a circle the store does not hold."""

    code = "unknown_circle"


class DatabaseFailure(StorageError):
    """The database engine failed (disk full, I/O error, damaged pages)."""

    code = "database_failure"
