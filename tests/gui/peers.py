"""A real peer for GUI tests: an ephemeral Messenger on loopback, started."""

from __future__ import annotations

from messenger.facade import Messenger
from messenger.options import parse_args


async def started() -> Messenger:
    messenger = Messenger(parse_args(["--ephemeral", "--interface", "127.0.0.1"]))
    await messenger.start()
    return messenger
