"""The moderation queue: reports with their evidence; hide the post, remove the member, dismiss."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..requests import ModerationReport, ReportReason
from .base import Dialog


class ModerationQueueDialog(Dialog):
    hidePostRequested = Signal(object)  # ModerationReport
    removeMemberRequested = Signal(object)  # ModerationReport
    dismissRequested = Signal(object)  # ModerationReport

    def __init__(
        self, reports: Iterable[ModerationReport] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Reports to review"), parent)
        self.setMinimumSize(680, 420)
        self.reports: dict[str, ModerationReport] = {}
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Reports"))
        self.list.setMinimumWidth(220)
        self.list.currentItemChanged.connect(self._show_current)
        self.empty = QLabel(self.tr("No reports. Nothing needs you right now."))
        self.empty.setObjectName("Hint")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Report"))
        self.evidence = QLabel()
        self.evidence.setObjectName("RulesBox")
        self.evidence.setWordWrap(True)
        self.evidence.setTextFormat(Qt.TextFormat.PlainText)
        self.evidence.setAccessibleName(self.tr("The reported post"))
        self.hide_button = QPushButton(self.tr("Hide the post"))
        self.hide_button.setAccessibleName(self.tr("Hide the reported post for everyone"))
        self.remove_button = QPushButton(self.tr("Remove from the circle"))
        self.remove_button.setObjectName("Danger")
        self.remove_button.setAccessibleName(self.tr("Remove the reported member"))
        self.dismiss_button = QPushButton(self.tr("Dismiss"))
        self.dismiss_button.setAccessibleName(self.tr("Dismiss the report"))
        for button, signal in (
            (self.hide_button, self.hidePostRequested),
            (self.remove_button, self.removeMemberRequested),
            (self.dismiss_button, self.dismissRequested),
        ):
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, s=signal: self._act(s))
        actions = QHBoxLayout()
        actions.addWidget(self.hide_button)
        actions.addWidget(self.remove_button)
        actions.addStretch(1)
        actions.addWidget(self.dismiss_button)
        detail_layout.addWidget(self.summary)
        detail_layout.addWidget(self.evidence)
        detail_layout.addStretch(1)
        detail_layout.addLayout(actions)
        self.detail = detail

        body = QHBoxLayout()
        body.setSpacing(16)
        body.addWidget(self.list)
        body.addWidget(self.detail, 1)
        self.content.addLayout(body)
        self.content.addWidget(self.empty)
        self.add_primary(self.tr("Close")).clicked.connect(self.accept)
        self.set_reports(reports)

    def reason_text(self, reason: ReportReason) -> str:
        return {
            ReportReason.HARASSMENT: self.tr("Harassment or bullying"),
            ReportReason.HATE: self.tr("Hate"),
            ReportReason.THREAT: self.tr("Threats or violence"),
            ReportReason.SELF_HARM: self.tr("Someone may be at risk"),
            ReportReason.PRIVACY: self.tr("Private information"),
            ReportReason.SPAM: self.tr("Spam"),
            ReportReason.OTHER: self.tr("Something else"),
        }[reason]

    def set_reports(self, reports: Iterable[ModerationReport]) -> None:
        self.list.clear()
        self.reports.clear()
        for report in reports:
            self.add_report(report)
        self._refresh()

    def add_report(self, report: ModerationReport) -> None:
        if report.id in self.reports:
            return
        self.reports[report.id] = report
        item = QListWidgetItem(f"{report.member.pseudonym} — {self.reason_text(report.reason)}")
        item.setData(Qt.ItemDataRole.UserRole, report.id)
        self.list.addItem(item)
        if self.list.currentRow() < 0:
            self.list.setCurrentRow(0)
        self._refresh()

    def remove_report(self, report_id: str) -> None:
        self.reports.pop(report_id, None)
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == report_id:
                self.list.takeItem(row)
                break
        self._refresh()

    def current(self) -> ModerationReport | None:
        item = self.list.currentItem()
        if item is None:
            return None
        return self.reports.get(str(item.data(Qt.ItemDataRole.UserRole)))

    def _refresh(self) -> None:
        has = bool(self.reports)
        self.list.setVisible(has)
        self.detail.setVisible(has)
        self.empty.setVisible(not has)
        self._show_current()

    def _show_current(self) -> None:
        report = self.current()
        if report is None:
            return
        when = datetime.fromtimestamp(report.ts).strftime("%d %b, %H:%M")
        by = report.reporter or self.tr("someone who asked not to be named")
        self.summary.setText(
            self.tr(
                "{name} was reported for: {reason}.\nReported by {by}, {when}.{details}"
            ).format(
                name=report.member.pseudonym,
                reason=self.reason_text(report.reason),
                by=by,
                when=when,
                details=f"\n\n“{report.details}”" if report.details else "",
            )
        )
        post = report.post
        self.evidence.setVisible(post is not None)
        self.evidence.setText(post.body if post is not None else "")
        self.hide_button.setEnabled(post is not None and not post.hidden)

    def _act(self, signal: SignalInstance) -> None:
        report = self.current()
        if report is not None:
            signal.emit(report)
            self.remove_report(report.id)
