"""Reports on their way to the moderators, for the engine (:mod:`.engine`).

:meth:`ReportRelay.report` seals a report to the moderators (:mod:`.reports`) and sends it only
over links to them (anonymous ones after a random delay, so arrival time says less about who
sent it); it waits, saved with the engine, until each moderator it is sealed to had it or it
expires. A moderator queues its copy (:mod:`.report_queue`) and passes it on to the other
moderators it is linked to, each report once; anybody else drops it.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..conversation.envelope import SignedPost
from ..conversation.events import Outgoing
from .context import Context, EngineLimits, Result
from .effects import Effect, HostNotice, ReportDelivered, ReportReceived
from .errors import ModerationError, Reason, ReportError, StateError
from .report_queue import ReportQueue
from .reports import ReportReason, SealedReport, decode_sealed, make_report, open_report
from .wire import Report, encode


def random_delay(limit_ms: int) -> int:
    return secrets.randbelow(limit_ms + 1) if limit_ms > 0 else 0


@dataclass
class PendingReport:
    """One of our reports, sent from ``not_before`` (ms) until ``expires``."""

    report: SealedReport
    not_before: int
    expires: int
    delivered: set[bytes] = field(default_factory=set)  # the moderators who had it


def load_pending(data: object) -> list[PendingReport]:
    """Our reports as :meth:`ReportRelay.to_list` saved them (raises :class:`StateError`)."""
    if not isinstance(data, list):
        raise StateError(Reason.MALFORMED, "stored pending reports")
    pending = []
    for item in data:
        try:
            raw, not_before, expires, delivered = item
            sealed = decode_sealed(raw)
        except (ValueError, TypeError, ModerationError):
            raise StateError(Reason.MALFORMED, "a stored pending report") from None
        if not (isinstance(not_before, int) and isinstance(expires, int)):
            raise StateError(Reason.MALFORMED, "a stored pending report")
        keys = {k for k in delivered if isinstance(k, bytes)}
        pending.append(PendingReport(sealed, not_before, expires, keys))
    return pending


class ReportRelay:
    """Our reports until delivered, and the ids of the reports we saw (to pass each on once)."""

    def __init__(
        self,
        ctx: Context,
        queue: ReportQueue,
        limits: EngineLimits,
        *,
        delay: Callable[[int], int] = random_delay,
        pending: Iterable[PendingReport] = (),
    ) -> None:
        """``pending``: our reports still on their way (see :func:`load_pending`)."""
        self._ctx = ctx
        self._queue = queue
        self._limits = limits
        self._delay = delay
        self._pending: list[PendingReport] = []
        self._seen: OrderedDict[bytes, None] = OrderedDict()
        for item in pending:
            self._pending.append(item)
            self._remember(item.report.id)

    def report(
        self,
        member: bytes,
        reason: ReportReason,
        details: str,
        now: int,
        *,
        evidence: SignedPost | None,
        anonymous: bool,
    ) -> tuple[SealedReport, Result]:
        """See :meth:`~.engine.CircleModeration.report`."""
        ctx = self._ctx
        sealed = make_report(
            ctx.circle.circle_id,
            member,
            reason,
            details,
            moderators=ctx.state.moderators(),
            now=now,
            evidence=evidence,
            reporter=None if anonymous else ctx.me,
        )
        delay = self._delay(self._limits.report_delay_ms) if anonymous else 0
        return sealed, self._send(sealed, now, now + delay)

    def notify(self, notice: HostNotice, now: int) -> Result:
        """See :meth:`~.engine.CircleModeration.notify_moderators`."""
        ctx = self._ctx
        if ctx.state.host_key is None or notice.peer == ctx.state.host_key:
            return [], []
        try:
            sealed = make_report(
                ctx.circle.circle_id,
                notice.peer,
                ReportReason.FLOOD,
                "",
                moderators=ctx.state.moderators(),
                now=now,
                reporter=ctx.me,
            )
        except ReportError:
            return [], []
        return self._send(sealed, now, now)

    def receive(self, member: bytes, data: bytes, now: int) -> Result:
        """A sealed report from ``member``'s link (``b""``: from nobody's)."""
        ctx = self._ctx
        if not ctx.state.is_moderator(ctx.me_key):
            # An ordinary member: nothing to open, nothing to pass on.
            return [], [ctx.drop(member, Reason.NOT_ADDRESSED, "report")]
        try:
            sealed = decode_sealed(data)
        except ReportError as exc:
            return [], [ctx.drop(member, exc.reason, "report")]
        if sealed.circle_id != ctx.circle.circle_id:
            return [], [ctx.drop(member, Reason.WRONG_CIRCLE, "report")]
        if sealed.id in self._seen or sealed.id in self._queue:
            ctx.stats[Reason.DUPLICATE] += 1
            return [], []
        self._remember(sealed.id)
        out = [
            Outgoing(p, encode(Report(data)))
            for p in ctx.moderator_links(sealed.recipients)
            if p != member
        ]
        try:
            report = open_report(data, ctx.me)
        except ReportError as exc:
            return out, [ctx.drop(member, exc.reason, "report")]
        # The link it came over is deliberately not kept: a report names no reporter but its own.
        if self._queue.add(report, now) is not None:
            ctx.dirty = True
        return out, [ReportReceived(report)]

    def released(self, data: bytes, now: int) -> Result:
        """See :meth:`~.engine.CircleModeration.released_report`."""
        if not self._ctx.state.is_moderator(self._ctx.me_key):
            return [], []
        _out, effects = self.receive(b"", data, now)
        return [], effects

    def _send(self, sealed: SealedReport, now: int, not_before: int) -> Result:
        ctx = self._ctx
        effects: list[Effect] = []
        self._remember(sealed.id)
        if ctx.me_key in sealed.recipients:
            try:
                own = open_report(sealed.data, ctx.me)
            except ReportError:  # pragma: no cover - we sealed it ourselves
                own = None
            if own is not None and self._queue.add(own, now) is not None:
                effects.append(ReportReceived(own))
        if set(sealed.recipients) - {ctx.me_key}:
            if len(self._pending) >= self._limits.max_pending_reports:
                raise ReportError(Reason.TOO_MANY, "too many reports waiting for a moderator")
            expires = now + self._limits.report_expiry_ms
            self._pending.append(PendingReport(sealed, not_before, expires))
        ctx.dirty = True
        out, more = self.flush(now)
        return out, effects + more

    def flush(self, now: int) -> Result:
        """Send due reports over links to the moderators they are sealed to."""
        ctx = self._ctx
        out: list[Outgoing] = []
        effects: list[Effect] = []
        keep: list[PendingReport] = []
        for item in self._pending:
            if item.expires <= now:
                ctx.dirty = True
                continue
            if item.not_before <= now:
                first = not item.delivered
                for key in ctx.moderator_links(item.report.recipients):
                    if key not in item.delivered:
                        item.delivered.add(key)
                        out.append(Outgoing(key, encode(Report(item.report.data))))
                        ctx.dirty = True
                if first and item.delivered:
                    effects.append(ReportDelivered(item.report.id))
            if set(item.report.recipients) - {ctx.me_key} - item.delivered:
                keep.append(item)
        self._pending = keep
        return out, effects

    def pending_reports(self) -> list[SealedReport]:
        """Our reports still on their way to some moderator."""
        return [p.report for p in self._pending]

    def deadlines(self, now: int) -> list[int]:
        """When each of our reports next needs :meth:`flush`: its delay ends, or it expires."""
        return [p.not_before if p.not_before > now else p.expires for p in self._pending]

    def to_list(self) -> list[Any]:
        """Our reports on their way, msgpack-able (see :func:`load_pending`)."""
        return [
            [p.report.data, p.not_before, p.expires, sorted(p.delivered)] for p in self._pending
        ]

    def _remember(self, report_id: bytes) -> None:
        self._seen[report_id] = None
        while len(self._seen) > self._limits.remember_reports:
            self._seen.popitem(last=False)
