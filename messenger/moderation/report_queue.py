"""A moderator's queue of the reports it opened (:mod:`.reports`), with what became of each."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .errors import Reason, ReportError, StateError
from .reports import OpenedReport, decode_inner

MAX_QUEUE = 500
QUEUE_FORMAT = 1


class ReportStatus(Enum):
    OPEN = "open"
    ACTIONED = "actioned"  # a moderator acted on it (hid the post, removed the member)
    DISMISSED = "dismissed"


@dataclass(frozen=True)
class QueuedReport:
    report: OpenedReport
    received: int  # ms
    status: ReportStatus = ReportStatus.OPEN


class ReportQueue:
    """A moderator's reports of one circle, newest last; at most :data:`MAX_QUEUE` (closed ones
    are forgotten first)."""

    def __init__(
        self, circle_id: bytes, *, max_items: int = MAX_QUEUE, items: Iterable[QueuedReport] = ()
    ) -> None:
        """``items``: reports queued before (a stored queue), kept as they are."""
        self.circle_id = circle_id
        self.max_items = max_items
        self._items: dict[bytes, QueuedReport] = {item.report.id: item for item in items}

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, report_id: object) -> bool:
        return report_id in self._items

    def add(self, report: OpenedReport, now: int) -> QueuedReport | None:
        """Queue a report; ``None`` if it is queued already (or is for another circle)."""
        if report.id in self._items or report.circle_id != self.circle_id:
            return None
        while len(self._items) >= self.max_items:
            closed = [r for r in self._items.values() if r.status is not ReportStatus.OPEN]
            victim = min(closed or self._items.values(), key=lambda r: r.received)
            del self._items[victim.report.id]
        item = QueuedReport(report, now)
        self._items[report.id] = item
        return item

    def get(self, report_id: bytes) -> QueuedReport:
        item = self._items.get(report_id)
        if item is None:
            raise ReportError(Reason.UNKNOWN_REPORT)
        return item

    def set_status(self, report_id: bytes, status: ReportStatus) -> QueuedReport:
        item = self.get(report_id)
        updated = QueuedReport(item.report, item.received, status)
        self._items[report_id] = updated
        return updated

    def items(self, status: ReportStatus | None = None) -> list[QueuedReport]:
        """Reports in the order they arrived (only those with ``status`` if given)."""
        found = [r for r in self._items.values() if status is None or r.status is status]
        return sorted(found, key=lambda r: r.received)

    @property
    def open_count(self) -> int:
        return sum(1 for r in self._items.values() if r.status is ReportStatus.OPEN)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": QUEUE_FORMAT,
            "circle": self.circle_id,
            "items": [
                [r.report.id, r.report.inner, r.received, r.status.value] for r in self.items()
            ],
        }

    @classmethod
    def from_dict(cls, data: object) -> ReportQueue:
        if not isinstance(data, dict) or data.get("format") != QUEUE_FORMAT:
            raise StateError(Reason.UNKNOWN_VERSION, "stored report queue")
        circle, items = data.get("circle"), data.get("items")
        if not isinstance(circle, bytes) or not isinstance(items, list):
            raise StateError(Reason.MALFORMED, "stored report queue")
        queued: list[QueuedReport] = []
        for item in items:
            if not (isinstance(item, list) and len(item) == 4):
                raise StateError(Reason.MALFORMED, "a stored report")
            report_id, inner, received, status = item
            if not (isinstance(report_id, bytes) and isinstance(inner, bytes)):
                raise StateError(Reason.MALFORMED, "a stored report")
            if not isinstance(received, int):
                raise StateError(Reason.MALFORMED, "a stored report")
            try:
                report = decode_inner(inner, report_id)
                state = ReportStatus(status)
            except (ReportError, ValueError) as exc:
                raise StateError(Reason.MALFORMED, f"a stored report: {exc}") from None
            queued.append(QueuedReport(report, received, state))
        return cls(circle, items=queued)
