"""On macOS, tell the person when the Local Network permission keeps Hearth from everyone."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QWidget

from messenger import APP_NAME
from messenger.local_network import local_network_denied

from .dialogs.confirm import NoticeDialog

log = logging.getLogger(__name__)


def explanation(widget: QWidget) -> str:
    return widget.tr(
        "macOS is keeping Hearth off your local network, so it cannot find the people in your "
        "circles.\n\nOpen System Settings → Privacy & Security → Local Network, turn Hearth on, "
        "then quit and open Hearth again."
    )


async def explain_if_denied(
    window: QWidget,
    listen_addresses: Sequence[str],
    *,
    probe: Callable[[Sequence[str]], bool] = local_network_denied,
) -> None:
    """Probe the bound interfaces (macOS only) and, if access is denied, say where to allow it."""
    hosts = [a.rsplit(":", 1)[0] for a in listen_addresses if not a.startswith("0.0.0.0")]
    loop = asyncio.get_running_loop()
    denied = await loop.run_in_executor(None, probe, hosts)
    if denied:
        log.warning("the Local Network permission is off for Hearth")
        box = NoticeDialog(APP_NAME, explanation(window), window)  # the app's own look
        box.setAccessibleName(window.tr("Local network access is off"))
        box.open()
