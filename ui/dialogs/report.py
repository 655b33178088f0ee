"""Report a member (and optionally one post) to the circle's moderators."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QPlainTextEdit, QWidget

from messenger.views import MemberView, PostView

from ..requests import ReportReason, ReportRequest
from .base import Dialog

MAX_DETAILS = 1000


class ReportDialog(Dialog):
    reportRequested = Signal(object)  # ReportRequest

    def __init__(
        self,
        member: MemberView,
        post: PostView | None = None,
        parent: QWidget | None = None,
        only_moderator: bool = False,
    ) -> None:
        super().__init__(self.tr("Report {name}").format(name=member.pseudonym), parent)
        self.setMinimumWidth(480)
        self.member, self.post = member, post
        self.hint(
            self.tr(
                "The circle's host and moderators see this report{post}. They decide what "
                "happens; you may also block {name} yourself."
            ).format(
                post=self.tr(" and the post") if post is not None else "",
                name=member.pseudonym,
            )
        )
        if post is not None:
            quoted = QLabel(post.body if len(post.body) <= 300 else post.body[:297] + "…")
            quoted.setObjectName("RulesBox")
            quoted.setWordWrap(True)
            quoted.setAccessibleName(self.tr("The reported post"))
            self.content.addWidget(quoted)
        self.reason = QComboBox()
        for text, reason in (
            (self.tr("Harassment or bullying"), ReportReason.HARASSMENT),
            (self.tr("Hate"), ReportReason.HATE),
            (self.tr("Threats or violence"), ReportReason.THREAT),
            (self.tr("Someone may be at risk of harming themselves"), ReportReason.SELF_HARM),
            (self.tr("Sharing someone's private information"), ReportReason.PRIVACY),
            (self.tr("Spam"), ReportReason.SPAM),
            (self.tr("Something else"), ReportReason.OTHER),
        ):
            self.reason.addItem(text, reason)
        self.field(self.tr("What is wrong?"), self.reason)
        self.details = QPlainTextEdit()
        self.details.setTabChangesFocus(True)
        self.details.setFixedHeight(80)
        self.details.setPlaceholderText(self.tr("Optional: what the moderators should know"))
        self.field(self.tr("Details"), self.details)
        self.anonymous = QCheckBox(self.tr("Do not tell the moderators it was me"))
        self.anonymous.setAccessibleName(self.tr("Report anonymously"))
        self.anonymous.setChecked(True)
        self.content.addWidget(self.anonymous)
        self.warning = QLabel(
            self.tr(
                "{name} is this circle's only moderator: this report goes to them, and to "
                "nobody else. You can block them and leave the circle instead; Help elsewhere "
                "lists people outside the circle who can help."
            ).format(name=member.pseudonym)
        )
        self.warning.setObjectName("WarningBox")
        self.warning.setWordWrap(True)
        self.warning.setAccessibleName(self.tr("Warning: the only moderator"))
        self.warning.setVisible(only_moderator)
        self.content.addWidget(self.warning)
        self.add_cancel()
        self.send_button = self.add_primary(
            self.tr("Send it to them anyway") if only_moderator else self.tr("Send report"),
            self.tr("Send report"),
        )
        self.send_button.clicked.connect(self.submit)
        self.reason.setFocus()

    def submit(self) -> None:
        reason = self.reason.currentData()
        assert isinstance(reason, ReportReason)
        details = self.details.toPlainText().strip()
        if reason is ReportReason.OTHER and not details:
            self.show_error(self.tr("Say in a few words what is wrong."))
            self.details.setFocus()
            return
        self.reportRequested.emit(
            ReportRequest(
                circle_id=self.member.circle_id,
                member_key=self.member.key,
                post_id=self.post.id if self.post is not None else None,
                reason=reason,
                details=details[:MAX_DETAILS],
                anonymous=self.anonymous.isChecked(),
            )
        )
        self.accept()
