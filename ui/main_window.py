"""The main window: sidebar, conversation area (welcome or conversation) and composer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QListView,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from messenger import APP_NAME

from .widgets.composer import Composer
from .widgets.empty_state import EmptyState
from .widgets.sidebar import Sidebar


class ConversationArea(QWidget):
    """The right-hand side: a welcome while there is no conversation, else the conversation."""

    WELCOME, CONVERSATION = 0, 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.empty = EmptyState()
        self.header = QWidget()
        self.header.setObjectName("ConversationHeader")
        self.header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.title = QLabel()
        self.title.setObjectName("ConversationTitle")
        header_layout = QVBoxLayout(self.header)
        header_layout.setContentsMargins(16, 12, 16, 12)
        header_layout.addWidget(self.title)
        self.messages = QListView()
        self.messages.setAccessibleName(self.tr("Messages"))
        self.messages.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        conversation = QWidget()
        conv_layout = QVBoxLayout(conversation)
        conv_layout.setContentsMargins(0, 0, 0, 0)
        conv_layout.setSpacing(0)
        conv_layout.addWidget(self.header)
        conv_layout.addWidget(self.messages, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(conversation)
        self.composer = Composer()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.composer)

    def show_welcome(self) -> None:
        self.stack.setCurrentIndex(self.WELCOME)
        self.composer.set_available(False)


class MainWindow(QMainWindow):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(APP_NAME)
        self.resize(1040, 680)
        self.setMinimumSize(720, 480)
        self.sidebar = Sidebar()
        self.conversation = ConversationArea()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.sidebar)
        splitter.addWidget(self.conversation)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([270, 770])
        self.setCentralWidget(splitter)
        self.conversation.show_welcome()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt naming)
        event.accept()
