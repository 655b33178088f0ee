"""Shared fixtures: the qasync loop for async GUI tests and the virtual LAN of namespaces."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests import netlab

_NETLAB_REASON: list[str | None] = []


def _netlab_reason() -> str | None:
    if not _NETLAB_REASON:
        _NETLAB_REASON.append(netlab.can_build())
    return _NETLAB_REASON[0]


@pytest.fixture
def lab() -> Iterator[netlab.Netlab]:
    """An empty virtual LAN builder; everything it makes is torn down even when the test fails."""
    reason = _netlab_reason()
    if reason is not None:
        pytest.skip(f"virtual LAN unavailable: {reason}")
    built = netlab.Netlab()
    try:
        yield built
    finally:
        built.close()


@pytest.fixture
def qasync_loop(qapp: object) -> Iterator[asyncio.AbstractEventLoop]:
    """A qasync event loop (Qt's loop is the asyncio loop), for ``run_until_complete`` tests."""
    import qasync

    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        asyncio.set_event_loop(None)
        loop.close()
