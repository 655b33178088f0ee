"""A circle's rules, to accept before taking part (they arrive signed from the host)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget

from .base import Dialog

MAX_RULES_HEIGHT = 260


class RulesDialog(Dialog):
    rulesAccepted = Signal(bytes)  # circle id

    def __init__(
        self, circle_id: bytes, circle: str, rules: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("The rules of %s") % circle, parent)
        self.setMinimumWidth(480)
        self.circle_id = circle_id
        self.hint(self.tr("Before you take part, please read this circle's rules:"))
        self.rules = QLabel(rules)
        self.rules.setObjectName("RulesBox")
        self.rules.setWordWrap(True)
        self.rules.setTextFormat(Qt.TextFormat.PlainText)
        self.rules.setAccessibleName(self.tr("The circle's rules"))
        self.rules.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.rules)
        scroll.setMaximumHeight(MAX_RULES_HEIGHT)
        scroll.setMinimumHeight(min(self.rules.heightForWidth(430) + 8, MAX_RULES_HEIGHT))
        self.content.addWidget(scroll)
        self.add_cancel(self.tr("Not now"))
        self.accept_button = self.add_primary(self.tr("I accept"), self.tr("Accept the rules"))
        self.accept_button.clicked.connect(self._accept)

    def _accept(self) -> None:
        self.rulesAccepted.emit(self.circle_id)
        self.accept()
