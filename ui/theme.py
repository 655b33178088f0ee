"""Light and dark themes: a calm, warm palette that follows the system's colour scheme."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from messenger.paths import resource


class ThemeChoice(Enum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


@dataclass(frozen=True)
class Colours:
    name: str
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
    selection: str  # a soft highlight for the selected row of a list
    danger: str
    warning_bg: str
    warning_text: str
    badge: str
    badge_text: str
    present: str
    cw_bg: str


LIGHT = Colours(
    name="light",
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
    selection="#e6d8c8",
    danger="#a63a2b",
    warning_bg="#fbeed2",
    warning_text="#6b4a10",
    badge="#b4532a",
    badge_text="#ffffff",
    present="#4e8a55",
    cw_bg="#efe6da",
)

DARK = Colours(
    name="dark",
    window="#1e1b19",
    surface="#26221f",
    sidebar="#171513",
    text="#ece5dc",
    muted="#a89c90",
    accent="#e0895a",
    accent_text="#1e1b19",
    border="#3a342f",
    bubble_mine="#432f25",
    bubble_other="#2e2a26",
    selection="#3a302a",
    danger="#f08a78",
    warning_bg="#3d3220",
    warning_text="#f1d9a6",
    badge="#e0895a",
    badge_text="#1e1b19",
    present="#7fbf86",
    cw_bg="#352f2a",
)

_current: list[Colours] = [LIGHT]


def current() -> Colours:
    """The colours last applied with :func:`apply_theme` (light until then)."""
    return _current[0]


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
        QPalette.ColorRole.LinkVisited: c.accent,
        QPalette.ColorRole.Light: c.surface,
        QPalette.ColorRole.Midlight: c.border,
        QPalette.ColorRole.Mid: c.border,
        QPalette.ColorRole.Dark: c.muted,
        QPalette.ColorRole.Shadow: c.muted,
    }
    for role, colour in roles.items():
        p.setColor(role, QColor(colour))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(c.muted))
    return p


def stylesheet(c: Colours) -> str:
    tick = resource("icons", "check.svg").as_posix()
    return f"""
    QWidget#Sidebar {{ background: {c.sidebar}; border-right: 1px solid {c.border}; }}
    QLabel#AppTitle {{ font-size: 17px; font-weight: 600; color: {c.text}; }}
    QLabel#SectionTitle {{ color: {c.muted}; font-size: 11px; font-weight: 600;
                          letter-spacing: 1px; padding: 10px 4px 2px 4px; }}
    QLabel#SectionHint {{ color: {c.muted}; padding: 2px 4px 6px 4px; }}
    QLabel#EphemeralMark {{ color: {c.muted}; font-size: 12px; font-style: italic;
        padding: 0px 4px 4px 4px; }}
    QListView {{ background: transparent; border: none; outline: none; }}
    QListView#SidebarList::item {{ border-radius: 6px; }}
    QListView#MemberList {{ background: {c.surface}; border: 1px solid {c.border};
                           border-radius: 8px; }}
    QListView#MemberList::item {{ padding: 6px 8px; border-radius: 6px; }}
    QListView#MemberList::item:selected {{ background: {c.selection}; color: {c.text}; }}
    QLabel#EmptyTitle {{ font-size: 22px; font-weight: 600; color: {c.text}; }}
    QLabel#EmptyBody {{ font-size: 14px; color: {c.muted}; }}
    QLabel#EmptyFootnote {{ font-size: 12px; color: {c.muted}; }}
    QLabel#ConversationTitle {{ font-size: 15px; font-weight: 600; }}
    QLabel#ConversationSubtitle {{ color: {c.muted}; font-size: 12px; }}
    QWidget#ConversationHeader {{ border-bottom: 1px solid {c.border}; }}
    QLabel#TypingIndicator {{ color: {c.muted}; font-style: italic; padding: 2px 18px; }}
    QWidget#ReplyBar {{ background: {c.cw_bg}; border-left: 3px solid {c.accent};
                       border-radius: 6px; }}
    QLabel#ReplyPreview {{ color: {c.text}; }}
    QWidget#SearchPanel {{ background: {c.surface}; border-bottom: 1px solid {c.border}; }}
    QLabel#SearchSummary {{ color: {c.muted}; font-size: 12px; }}
    QListView#SearchResults::item {{ padding: 5px 8px; border-radius: 6px; }}
    QListView#SearchResults::item:selected {{ background: {c.selection}; color: {c.text}; }}
    QWidget#Composer {{ border-top: 1px solid {c.border}; background: {c.window}; }}
    QPlainTextEdit#ComposerEdit {{ background: {c.surface}; border: 1px solid {c.border};
                                  border-radius: 8px; padding: 6px; }}
    QPlainTextEdit#ComposerEdit:focus {{ border: 1px solid {c.accent}; }}
    QLabel#CharCounter {{ color: {c.muted}; font-size: 11px; }}
    QLabel#CharCounter[over="true"] {{ color: {c.danger}; font-weight: 600; }}
    QWidget#CirclePanel {{ background: {c.surface}; border-left: 1px solid {c.border}; }}
    QLabel#PanelTitle {{ font-size: 16px; font-weight: 600; }}
    QLabel#PanelHeading {{ color: {c.muted}; font-size: 11px; font-weight: 600;
                          letter-spacing: 1px; padding-top: 8px; }}
    QLabel#DialogTitle {{ font-size: 18px; font-weight: 600; color: {c.text}; }}
    QLabel#Hint {{ color: {c.muted}; font-size: 12px; }}
    QLabel#ErrorText {{ color: {c.danger}; font-weight: 600; }}
    QLabel#WarningBox {{ background: {c.warning_bg}; color: {c.warning_text};
                        border-radius: 8px; padding: 10px 12px; }}
    QLabel#RulesBox {{ background: {c.surface}; border: 1px solid {c.border};
                      border-radius: 8px; padding: 10px 12px; }}
    QLabel#CodeDisplay {{ font-size: 34px; font-weight: 600; letter-spacing: 2px;
                         color: {c.text}; padding: 8px 0; }}
    QLabel#SafetyNumber {{ font-family: monospace; font-size: 20px; letter-spacing: 1px;
                          color: {c.text}; padding: 6px 0; }}
    QLabel#Countdown {{ color: {c.muted}; font-size: 13px; }}
    QLabel#StrengthHint[strength="weak"] {{ color: {c.danger}; }}
    QLabel#StrengthHint[strength="fair"] {{ color: {c.warning_text}; }}
    QLabel#StrengthHint[strength="strong"] {{ color: {c.present}; }}
    QFrame#Card {{ background: {c.surface}; border: 1px solid {c.border}; border-radius: 8px; }}
    QLineEdit, QPlainTextEdit, QTextEdit, QKeySequenceEdit QLineEdit {{
        background: {c.surface}; color: {c.text}; border: 1px solid {c.border};
        border-radius: 6px; padding: 5px 7px; selection-background-color: {c.accent};
        selection-color: {c.accent_text}; }}
    QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus {{
        border: 1px solid {c.accent}; }}
    QComboBox {{ padding: 4px 8px; }}
    QTextBrowser {{ background: {c.surface}; border: 1px solid {c.border}; border-radius: 8px;
                   padding: 8px; }}
    QPushButton {{ padding: 7px 14px; border-radius: 7px; border: 1px solid {c.border};
                  background: {c.surface}; color: {c.text}; }}
    QPushButton:hover {{ border-color: {c.accent}; }}
    QPushButton:focus {{ border: 2px solid {c.accent}; }}
    QPushButton:disabled {{ color: {c.muted}; }}
    QPushButton:checked {{ background: {c.selection}; }}
    QPushButton#Primary {{ background: {c.accent}; color: {c.accent_text}; border: none;
                          font-weight: 600; }}
    QPushButton#Primary:focus {{ border: 2px solid {c.text}; }}
    QPushButton#Primary:disabled {{ background: {c.border}; color: {c.muted}; }}
    QPushButton#Danger {{ color: {c.danger}; }}
    QPushButton#Link {{ border: none; background: transparent; color: {c.accent};
                       padding: 4px 2px; text-decoration: underline; }}
    QPushButton#Link:focus {{ border: 1px dotted {c.accent}; }}
    QToolButton {{ padding: 5px 8px; border-radius: 6px; border: 1px solid transparent;
                  color: {c.text}; }}
    QToolButton:hover {{ border-color: {c.border}; }}
    QToolButton:focus {{ border: 1px solid {c.accent}; }}
    QToolButton:checked {{ background: {c.selection}; border-color: {c.border}; }}
    QToolButton:disabled {{ color: {c.muted}; }}
    QSpinBox {{ padding: 3px 4px; min-height: 22px; }}
    QCheckBox, QRadioButton {{ spacing: 8px; }}
    QCheckBox::indicator, QRadioButton::indicator {{ width: 16px; height: 16px;
        border: 1px solid {c.muted}; background: {c.surface}; }}
    QCheckBox::indicator {{ border-radius: 4px; }}
    QRadioButton::indicator {{ border-radius: 9px; }}
    QCheckBox::indicator:focus, QRadioButton::indicator:focus {{ border: 2px solid {c.accent}; }}
    QCheckBox::indicator:checked {{ background: {c.accent}; border-color: {c.accent};
        image: url({tick}); }}
    QRadioButton::indicator:checked {{ border-color: {c.accent}; background: qradialgradient(
        cx: 0.5, cy: 0.5, radius: 0.5, fx: 0.5, fy: 0.5, stop: 0 {c.accent},
        stop: 0.45 {c.accent}, stop: 0.55 {c.surface}, stop: 1 {c.surface}); }}
    QCheckBox::indicator:disabled, QRadioButton::indicator:disabled {{ border-color: {c.border}; }}
    QScrollBar:vertical {{ background: transparent; width: 10px; margin: 2px; }}
    QScrollBar::handle:vertical {{ background: {c.border}; border-radius: 3px; min-height: 32px; }}
    QScrollBar::handle:vertical:hover {{ background: {c.muted}; }}
    QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; border: none; }}
    QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: transparent; }}
    QScrollBar:horizontal {{ background: transparent; height: 10px; margin: 2px; }}
    QScrollBar::handle:horizontal {{ background: {c.border}; border-radius: 3px; min-width: 32px; }}
    QScrollBar::add-line:horizontal, QScrollBar::sub-line:horizontal {{ width: 0; border: none; }}
    QScrollBar::add-page:horizontal, QScrollBar::sub-page:horizontal {{ background: transparent; }}
    """


def apply_theme(app: QApplication, choice: ThemeChoice = ThemeChoice.SYSTEM) -> Colours:
    """Style ``app`` with the Fusion style, our palette and stylesheet; returns the colours used."""
    c = colours_for(choice)
    _current[0] = c
    app.setStyle("Fusion")
    app.setPalette(_palette(c))
    app.setStyleSheet(stylesheet(c))
    return c
