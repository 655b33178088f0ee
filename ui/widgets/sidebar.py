"""The sidebar: circles, direct conversations and the people present, each with a calm hint."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class SidebarSection(QWidget):
    """A titled list that shows a hint instead of an empty box while it has no rows."""

    def __init__(self, title: str, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(title.upper())
        self.title.setObjectName("SectionTitle")
        self.hint = QLabel(hint)
        self.hint.setObjectName("SectionHint")
        self.hint.setWordWrap(True)
        self.view = QListView()
        self.view.setAccessibleName(title)
        self.view.setUniformItemSizes(True)
        self.view.setModel(QStandardItemModel(self.view))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.view)
        self.setModel(self.view.model())

    def setModel(self, model: QAbstractItemModel) -> None:  # noqa: N802 (Qt naming)
        self.view.setModel(model)
        for sig in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            sig.connect(self._refresh)
        self._refresh()

    def _refresh(self) -> None:
        empty = self.view.model().rowCount() == 0
        self.hint.setVisible(empty)
        self.view.setVisible(not empty)


class Sidebar(QWidget):
    createCircleRequested = Signal()  # noqa: N815 (Qt naming)
    joinCircleRequested = Signal()  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Sidebar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setMinimumWidth(220)
        title = QLabel(self.tr("Hearth"))
        title.setObjectName("AppTitle")
        self.new_button = QPushButton(self.tr("New"))
        self.new_button.setToolTip(self.tr("Create a circle"))
        self.new_button.setAccessibleName(self.tr("Create a circle"))
        self.new_button.clicked.connect(self.createCircleRequested)
        self.join_button = QPushButton(self.tr("Join"))
        self.join_button.setToolTip(self.tr("Join a circle with a code or a link"))
        self.join_button.setAccessibleName(self.tr("Join a circle"))
        self.join_button.clicked.connect(self.joinCircleRequested)
        header = QHBoxLayout()
        header.addWidget(title, 1)
        header.addWidget(self.new_button)
        header.addWidget(self.join_button)

        self.circles = SidebarSection(
            self.tr("Circles"), self.tr("Circles you create or join appear here.")
        )
        self.direct = SidebarSection(
            self.tr("Direct messages"), self.tr("Private conversations with one member.")
        )
        self.people = SidebarSection(
            self.tr("People here"), self.tr("Members of your circles who are nearby now.")
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(4)
        layout.addLayout(header)
        for section in (self.circles, self.direct, self.people):
            layout.addWidget(section)
        layout.addStretch(1)
