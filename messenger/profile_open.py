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


class PassphraseRequired(HearthError):
    code = "passphrase_required"


def headless_passphrase(options: LaunchOptions) -> str | None:
    """The passphrase a headless peer was given: ``--passphrase-file`` or ``HEARTH_PASSPHRASE``."""
    if options.passphrase_file is not None:
        try:
            text = Path(options.passphrase_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise PassphraseRequired(f"cannot read the passphrase file: {exc.strerror}") from exc
        return text.rstrip("\r\n")
    return os.environ.get(PASSPHRASE_ENV)


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
