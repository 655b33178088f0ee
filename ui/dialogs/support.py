"""Support elsewhere: people and places to turn to outside Hearth, and a short FAQ."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..texts import SupportEntry
from .base import Dialog


class SupportDialog(Dialog):
    def __init__(
        self,
        entries: Sequence[SupportEntry],
        faq_markdown: str = "",
        source: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Help elsewhere"), parent)
        self.setMinimumSize(560, 520)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Help"))
        self.content.addWidget(self.tabs)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 10, 4, 4)
        layout.setSpacing(8)
        lead = QLabel(
            self.tr(
                "Hearth is a place to talk, not an emergency service. If you or someone else "
                "is in danger, reach out to people who can help now."
            )
        )
        lead.setWordWrap(True)
        layout.addWidget(lead)
        self.cards: list[QFrame] = []
        for entry in entries:
            card = QFrame()
            card.setObjectName("Card")
            card_layout = QVBoxLayout(card)
            card_layout.setContentsMargins(12, 8, 12, 8)
            title = QLabel(f"<b>{_escape(entry.title)}</b>")
            detail = QLabel(entry.detail)
            detail.setWordWrap(True)
            card_layout.addWidget(title)
            card_layout.addWidget(detail)
            if entry.contact:
                contact = QLabel(entry.contact)
                contact.setObjectName("Hint")
                contact.setWordWrap(True)
                card_layout.addWidget(contact)
            card.setAccessibleName(entry.title)
            card.setAccessibleDescription(entry.detail)
            layout.addWidget(card)
            self.cards.append(card)
        if not entries:
            self.hint(self.tr("No help resources are listed yet."), layout)
        note = self.tr("This list is a file your community can edit and translate: {path}").format(
            path=str(source) if source is not None else "resources/support/"
        )
        self.hint(note, layout)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(page)
        scroll.setAccessibleName(self.tr("Help elsewhere"))
        self.tabs.addTab(scroll, self.tr("Help elsewhere"))

        self.faq = QTextBrowser()
        self.faq.setAccessibleName(self.tr("Questions and answers"))
        self.faq.setOpenExternalLinks(False)
        self.faq.setMarkdown(faq_markdown or self.tr("No questions and answers are available."))
        self.tabs.addTab(self.faq, self.tr("Questions"))
        self.add_primary(self.tr("Close")).clicked.connect(self.accept)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
