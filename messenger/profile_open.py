"""Opening the profile a launch asks for: ephemeral, or a passphrase-protected directory."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import HearthError
from .options import LaunchOptions
from .storage import (
    AsyncStore,
    KdfParams,
    create_profile_async,
    open_ephemeral_async,
    open_profile_async,
    profile_exists,
)

PASSPHRASE_ENV = "HEARTH_PASSPHRASE"
MIN_PASSPHRASE_LENGTH = 8
"""The shortest passphrase a new profile accepts, in characters (the GUI's minimum too)."""


class PassphraseRequired(HearthError):
    code = "passphrase_required"


class PassphraseTooShort(HearthError):
    code = "passphrase_too_short"


def headless_passphrase(options: LaunchOptions) -> str | None:
    """The passphrase a headless peer was given: ``--passphrase-file`` or ``HEARTH_PASSPHRASE``.
    For a profile about to be created, one shorter than :data:`MIN_PASSPHRASE_LENGTH` is
    refused (:class:`PassphraseTooShort`), as the GUI refuses it."""
    if options.passphrase_file is not None:
        try:
            text = Path(options.passphrase_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise PassphraseRequired(f"cannot read the passphrase file: {exc.strerror}") from exc
        passphrase: str | None = text.rstrip("\r\n")
    else:
        passphrase = os.environ.get(PASSPHRASE_ENV)
    creating = not options.ephemeral and not profile_exists(options.profile)
    if passphrase and creating and len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise PassphraseTooShort(
            f"a new profile's passphrase needs at least {MIN_PASSPHRASE_LENGTH} characters "
            "(several words are best); nothing was created"
        )
    return passphrase


async def open_store(
    options: LaunchOptions, passphrase: str | None, *, kdf: KdfParams | None = None
) -> AsyncStore:
    if options.ephemeral:
        return await open_ephemeral_async()
    if not passphrase:
        raise PassphraseRequired(
            "this profile needs a passphrase (--passphrase-file FILE or HEARTH_PASSPHRASE), "
            "or start with --ephemeral"
        )
    if profile_exists(options.profile):
        return await open_profile_async(options.profile, passphrase)
    return await create_profile_async(options.profile, passphrase, kdf=kdf)
