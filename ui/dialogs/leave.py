"""Leave a circle, quietly or with a goodbye; say plainly what is deleted."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QWidget

from messenger.views import CircleView, Role

from .base import Dialog

MAX_GOODBYE = 500


class LeaveDialog(Dialog):
    leaveRequested = Signal(bytes, str)  # circle id, goodbye ("" = leave quietly)

    def __init__(
        self,
        circle: CircleView,
        goodbyes: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Leave {name}?").format(name=circle.name), parent)
        self.setMinimumWidth(480)
        self.circle = circle
        self.hint(
            self.tr(
                "Your name, keys and the history of this circle are deleted from this "
                "computer. Others keep what you already posted."
            )
        )
        if circle.role is Role.HOST:
            self.hint(
                self.tr(
                    "You host this circle. If you leave, it carries on without a host: "
                    "consider making someone a moderator first."
                )
            )
        self.choice = QComboBox()
        self.choice.addItem(self.tr("Leave quietly"), "")
        for text in goodbyes:
            self.choice.addItem(text if len(text) <= 60 else text[:57] + "…", text)
        self.choice.currentIndexChanged.connect(self._chosen)
        self.field(self.tr("Say goodbye?"), self.choice)
        self.goodbye = QPlainTextEdit()
        self.goodbye.setAccessibleName(self.tr("Goodbye message"))
        self.goodbye.setTabChangesFocus(True)
        self.goodbye.setFixedHeight(70)
        self.goodbye.setPlaceholderText(self.tr("Leave quietly, or write a few words"))
        self.content.addWidget(self.goodbye)
        self.add_cancel(self.tr("Stay"))
        self.leave_button = self.add_primary(self.tr("Leave circle"))
        self.leave_button.clicked.connect(self.submit)
        self.choice.setFocus()

    def _chosen(self) -> None:
        text = self.choice.currentData()
        self.goodbye.setPlainText(text if isinstance(text, str) else "")

    def submit(self) -> None:
        self.leaveRequested.emit(self.circle.id, self.goodbye.toPlainText().strip()[:MAX_GOODBYE])
        self.accept()
