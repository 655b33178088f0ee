"""What the conversation area shows before there is a conversation: a welcome with next steps."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyState(QWidget):
    createCircleRequested = Signal()
    joinCircleRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("Welcome to Hearth"))
        self.title.setObjectName("EmptyTitle")
        self.body = QLabel(
            self.tr(
                "A circle is a small, private room for people on this network.\n"
                "Create one and read its code aloud, or join with the code or link "
                "someone gave you."
            )
        )
        self.body.setObjectName("EmptyBody")
        self.footnote = QLabel(
            self.tr(
                "Everything you say is end-to-end encrypted. Others see only the name "
                "you choose for each circle."
            )
        )
        self.footnote.setObjectName("EmptyFootnote")
        for label in (self.title, self.body, self.footnote):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
        self.create_button = QPushButton(self.tr("Create a circle"))
        self.create_button.setObjectName("Primary")
        self.create_button.setAccessibleName(self.tr("Create a circle"))
        self.create_button.clicked.connect(self.createCircleRequested)
        self.join_button = QPushButton(self.tr("Join with a code or link"))
        self.join_button.setAccessibleName(self.tr("Join a circle with a code or link"))
        self.join_button.clicked.connect(self.joinCircleRequested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.join_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 24, 48, 24)
        layout.addStretch(2)
        layout.addWidget(self.title)
        layout.addSpacing(10)
        layout.addWidget(self.body)
        layout.addSpacing(22)
        layout.addLayout(buttons)
        layout.addStretch(3)
        layout.addWidget(self.footnote)
