"""Light and dark themes: a calm, warm palette that follows the system's colour scheme."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


class ThemeChoice(Enum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


@dataclass(frozen=True)
class Colours:
    window: str
    surface: str
    sidebar: str
    text: str
    muted: str
    accent: str
    accent_text: str
    border: str
    bubble_mine: str
    bubble_other: str


LIGHT = Colours(
    window="#faf7f2",
    surface="#ffffff",
    sidebar="#f1ebe2",
    text="#2b2622",
    muted="#6f655c",
    accent="#b4532a",
    accent_text="#ffffff",
    border="#e2d9cc",
    bubble_mine="#f6e3d6",
    bubble_other="#ffffff",
)

DARK = Colours(
    window="#1e1b19",
    surface="#26221f",
    sidebar="#171513",
    text="#ece5dc",
    muted="#a89c90",
    accent="#e0895a",
    accent_text="#1e1b19",
    border="#3a342f",
    bubble_mine="#4a3427",
    bubble_other="#2e2a26",
)


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return bool(hints.colorScheme() == Qt.ColorScheme.Dark)


def colours_for(choice: ThemeChoice) -> Colours:
    if choice is ThemeChoice.DARK:
        return DARK
    if choice is ThemeChoice.LIGHT:
        return LIGHT
    return DARK if system_prefers_dark() else LIGHT


def _palette(c: Colours) -> QPalette:
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: c.window,
        QPalette.ColorRole.WindowText: c.text,
        QPalette.ColorRole.Base: c.surface,
        QPalette.ColorRole.AlternateBase: c.sidebar,
        QPalette.ColorRole.Text: c.text,
        QPalette.ColorRole.Button: c.surface,
        QPalette.ColorRole.ButtonText: c.text,
        QPalette.ColorRole.Highlight: c.accent,
        QPalette.ColorRole.HighlightedText: c.accent_text,
        QPalette.ColorRole.PlaceholderText: c.muted,
        QPalette.ColorRole.ToolTipBase: c.surface,
        QPalette.ColorRole.ToolTipText: c.text,
        QPalette.ColorRole.Link: c.accent,
    }
    for role, colour in roles.items():
        p.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(c.muted))
    return p


def stylesheet(c: Colours) -> str:
    return f"""
    QWidget#Sidebar {{ background: {c.sidebar}; border-right: 1px solid {c.border}; }}
    QLabel#AppTitle {{ font-size: 17px; font-weight: 600; color: {c.text}; }}
    QLabel#SectionTitle {{ color: {c.muted}; font-size: 11px; font-weight: 600;
                          letter-spacing: 1px; padding: 10px 4px 2px 4px; }}
    QLabel#SectionHint {{ color: {c.muted}; padding: 2px 4px 6px 4px; }}
    QListView {{ background: transparent; border: none; outline: none; }}
    QListView::item {{ padding: 6px 8px; border-radius: 6px; }}
    QListView::item:selected {{ background: {c.accent}; color: {c.accent_text}; }}
    QLabel#EmptyTitle {{ font-size: 22px; font-weight: 600; color: {c.text}; }}
    QLabel#EmptyBody {{ font-size: 14px; color: {c.muted}; }}
    QLabel#EmptyFootnote {{ font-size: 12px; color: {c.muted}; }}
    QLabel#ConversationTitle {{ font-size: 15px; font-weight: 600; }}
    QWidget#ConversationHeader {{ border-bottom: 1px solid {c.border}; }}
    QWidget#Composer {{ border-top: 1px solid {c.border}; background: {c.window}; }}
    QPlainTextEdit#ComposerEdit {{ background: {c.surface}; border: 1px solid {c.border};
                                  border-radius: 8px; padding: 6px; }}
    QPlainTextEdit#ComposerEdit:focus {{ border: 1px solid {c.accent}; }}
    QPushButton {{ padding: 7px 14px; border-radius: 7px; border: 1px solid {c.border};
                  background: {c.surface}; color: {c.text}; }}
    QPushButton:hover {{ border-color: {c.accent}; }}
    QPushButton:focus {{ border: 2px solid {c.accent}; }}
    QPushButton:disabled {{ color: {c.muted}; }}
    QPushButton#Primary {{ background: {c.accent}; color: {c.accent_text}; border: none;
                          font-weight: 600; }}
    QPushButton#Primary:disabled {{ background: {c.border}; color: {c.muted}; }}
    """


def apply_theme(app: QApplication, choice: ThemeChoice = ThemeChoice.SYSTEM) -> Colours:
    """Style ``app`` with the Fusion style, our palette and stylesheet; returns the colours used."""
    c = colours_for(choice)
    app.setStyle("Fusion")
    app.setPalette(_palette(c))
    app.setStyleSheet(stylesheet(c))
    return c
