"""GUI test hygiene: free each test's widgets at a safe moment, before the next test starts.

Widgets that Python owns and that sit in reference cycles (a lambda connected to a signal that
mentions ``self``) are freed by Python's cyclic garbage collector, at whatever moment it runs —
possibly in the middle of Qt walking its widgets (``setStyleSheet``), which crashes. Collecting
after every test, while no Qt code is running, keeps that moment predictable.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent


@pytest.fixture(scope="session")
def _frozen_heap() -> None:
    """Collect once, then move everything alive into the permanent generation (``gc.freeze``):
    the collection after each test then walks only what tests made since, not the whole heap
    of imported modules and earlier tests (a full walk took ~0.2 s, after every GUI test)."""
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def _collect_widgets_between_tests(qapp: object, _frozen_heap: None) -> Iterator[None]:
    yield
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
