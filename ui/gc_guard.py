"""Run Python's cyclic garbage collector only from the event loop, where freeing Qt objects is safe.

Qt widgets that sit in reference cycles (a lambda connected to a signal that mentions ``self``)
are freed by the cyclic collector, which normally runs whenever enough objects were allocated —
possibly in the middle of Qt walking its widgets (restyling, laying out), which crashes. The
:class:`GcGuard` turns automatic collection off and collects from a timer instead, generation
by generation as the collector itself would, so it only ever runs between two events.

The timer runs every 250 ms while Python allocates, and backs off (doubling, up to 4 s) while
it finds nothing to collect, so an idle app is not woken four times a second for nothing.

``ui.app`` installs it with :func:`install` for the life of the application.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 250
IDLE_INTERVAL_MS = 4000  # the longest wait, when tick after tick finds nothing to collect


class GcGuard(QObject):
    def __init__(
        self,
        parent: QObject | None = None,
        interval_ms: int = INTERVAL_MS,
        idle_interval_ms: int = IDLE_INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        self.collections = [0, 0, 0]
        self._busy_ms, self._idle_ms = interval_ms, max(interval_ms, idle_interval_ms)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.tick)
        gc.disable()
        self._timer.start()

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    def tick(self) -> int:
        """Collect the oldest generation over its threshold (as automatic collection would);
        with nothing to collect, wait longer before the next look."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if thresholds[generation] and counts[generation] > thresholds[generation]:
                self.collections[generation] += 1
                self._timer.setInterval(self._busy_ms)
                return gc.collect(generation)
        self._timer.setInterval(min(self._idle_ms, self._timer.interval() * 2))
        return 0

    def stop(self) -> None:
        """Stop the timer and hand collection back to Python (a last full collection first)."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()


def install(app: QObject) -> GcGuard:
    """Collect garbage from ``app``'s event loop only, until the guard is stopped."""
    guard = GcGuard(app)
    app.destroyed.connect(guard.stop)
    return guard
