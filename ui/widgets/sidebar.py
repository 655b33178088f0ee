"""The sidebar: circles, direct conversations and the people present, each with a calm hint."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from messenger.views import MemberView

from .. import theme
from ..avatar import paint_avatar
from ..models.sidebar import (
    CircleListModel,
    DirectConversation,
    DirectListModel,
    ItemRole,
    PeopleListModel,
)

ModelIndex = QModelIndex | QPersistentModelIndex
ROW_HEIGHT = 34


class SidebarDelegate(QStyledItemDelegate):
    """A row: an avatar (for people), the name, and an unread badge on the right."""

    def __init__(self, with_avatar: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.with_avatar = with_avatar

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        return QSize(160, ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        c = theme.current()
        rect: QRect = option.rect
        state = option.state
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        box = QRectF(rect).adjusted(2, 1, -2, -1)
        if state & QStyle.StateFlag.State_Selected:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(c.selection))
            painter.drawRoundedRect(box, 6, 6)
        if state & QStyle.StateFlag.State_HasFocus:
            painter.setPen(QColor(c.accent))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        x = box.left() + 8
        name = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        if self.with_avatar:
            key = index.data(ItemRole.KEY)
            size = 22.0
            avatar = QRectF(x, box.center().y() - size / 2, size, size)
            paint_avatar(painter, avatar, key if isinstance(key, bytes) else b"", name)
            x += size + 8
        unread = index.data(ItemRole.UNREAD)
        unread = unread if isinstance(unread, int) else 0
        right = box.right() - 8
        font = QFont(option.font)
        if unread:
            badge_font = QFont(font)
            badge_font.setBold(True)
            badge_font.setPixelSize(11)
            painter.setFont(badge_font)
            text = str(unread) if unread < 100 else "99+"
            width = max(20.0, QFontMetrics(badge_font).horizontalAdvance(text) + 12.0)
            badge = QRectF(right - width, box.center().y() - 9, width, 18)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(c.badge))
            painter.drawRoundedRect(badge, 9, 9)
            painter.setPen(QColor(c.badge_text))
            painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), text)
            right = badge.left() - 6
            font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(c.text))
        text_rect = QRectF(x, box.top(), max(0.0, right - x), box.height())
        elided = QFontMetrics(font).elidedText(
            name, Qt.TextElideMode.ElideRight, int(text_rect.width())
        )
        painter.drawText(
            text_rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), elided
        )
        painter.restore()


class SidebarSection(QWidget):
    """A titled list that shows a hint instead of an empty box while it has no rows."""

    def __init__(
        self,
        title: str,
        hint: str,
        model: QAbstractItemModel,
        with_avatar: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.title = QLabel(title)
        self.title.setObjectName("SectionTitle")
        caps = QFont(self.title.font())
        caps.setCapitalization(QFont.Capitalization.AllUppercase)
        self.title.setFont(caps)
        self.hint = QLabel(hint)
        self.hint.setObjectName("SectionHint")
        self.hint.setWordWrap(True)
        self.view = QListView()
        self.view.setObjectName("SidebarList")
        self.view.setAccessibleName(title)
        self.view.setUniformItemSizes(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.delegate = SidebarDelegate(with_avatar, self.view)
        self.view.setItemDelegate(self.delegate)
        self.title.setBuddy(self.view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.view)
        self.setModel(model)

    def setModel(self, model: QAbstractItemModel) -> None:
        self.view.setModel(model)
        for sig in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            sig.connect(self._refresh)
        self._refresh()

    def _refresh(self) -> None:
        rows = self.view.model().rowCount()
        self.hint.setVisible(rows == 0)
        self.view.setVisible(rows > 0)
        # Lists as tall as their rows (up to a point): the sections stack without empty boxes.
        self.view.setFixedHeight(min(max(rows, 1), 8) * ROW_HEIGHT + 4)


class Sidebar(QWidget):
    createCircleRequested = Signal()
    joinCircleRequested = Signal()
    circleSelected = Signal(bytes)  # circle id
    directSelected = Signal(bytes, bytes)  # circle id, peer key
    directRequestSelected = Signal(bytes, bytes, str)  # circle id, peer key, their pseudonym
    personActivated = Signal(object)  # MemberView
    settingsRequested = Signal()
    helpRequested = Signal()
    aboutRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Sidebar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setMinimumWidth(220)
        title = QLabel(self.tr("Hearth"))
        title.setObjectName("AppTitle")
        self.new_button = QPushButton(self.tr("New"))
        self.new_button.setToolTip(self.tr("Create a circle (Ctrl+N)"))
        self.new_button.setAccessibleName(self.tr("Create a circle"))
        self.new_button.clicked.connect(self.createCircleRequested)
        self.join_button = QPushButton(self.tr("Join"))
        self.join_button.setToolTip(self.tr("Join a circle with a code or a link (Ctrl+J)"))
        self.join_button.setAccessibleName(self.tr("Join a circle"))
        self.join_button.clicked.connect(self.joinCircleRequested)
        # Short enough to stay whole at the sidebar's narrowest; the full words in its tooltip.
        self.ephemeral_mark = QLabel(self.tr("Ephemeral: nothing is kept"))
        self.ephemeral_mark.setObjectName("EphemeralMark")
        self.ephemeral_mark.setAccessibleName(
            self.tr("Ephemeral session: nothing is kept when you quit")
        )
        self.ephemeral_mark.setToolTip(self.ephemeral_mark.accessibleName())
        self.ephemeral_mark.setVisible(False)
        header = QHBoxLayout()
        header.addWidget(title, 1)
        header.addWidget(self.new_button)
        header.addWidget(self.join_button)

        self.circle_model = CircleListModel(self)
        self.direct_model = DirectListModel(self)
        self.people_model = PeopleListModel(self)
        self.circles = SidebarSection(
            self.tr("Circles"),
            self.tr("Circles you create or join appear here."),
            self.circle_model,
        )
        self.direct = SidebarSection(
            self.tr("Direct messages"),
            self.tr("Private conversations with one member."),
            self.direct_model,
            with_avatar=True,
        )
        self.people = SidebarSection(
            self.tr("People here"),
            self.tr("Members of your circles who are nearby now."),
            self.people_model,
            with_avatar=True,
        )
        self.circles.view.activated.connect(self._circle_activated)
        self.circles.view.clicked.connect(self._circle_activated)
        self.direct.view.activated.connect(self._direct_activated)
        self.direct.view.clicked.connect(self._direct_activated)
        self.people.view.activated.connect(self._person_activated)
        self.settings_button = QToolButton()
        self.settings_button.setText(self.tr("Settings"))
        self.settings_button.setAccessibleName(self.tr("Settings"))
        self.settings_button.setToolTip(self.tr("Settings (Ctrl+,)"))
        self.settings_button.clicked.connect(self.settingsRequested)
        self.help_button = QToolButton()
        self.help_button.setText(self.tr("Help"))
        self.help_button.setAccessibleName(self.tr("Help elsewhere and questions"))
        self.help_button.setToolTip(self.tr("Help elsewhere, and questions (F1)"))
        self.help_button.clicked.connect(self.helpRequested)
        self.about_button = QToolButton()
        self.about_button.setText(self.tr("About"))
        self.about_button.setAccessibleName(self.tr("About Hearth"))
        self.about_button.clicked.connect(self.aboutRequested)
        footer = QHBoxLayout()
        footer.setSpacing(2)
        footer.addWidget(self.settings_button)
        footer.addWidget(self.help_button)
        footer.addWidget(self.about_button)
        footer.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 10)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addWidget(self.ephemeral_mark, 0, Qt.AlignmentFlag.AlignLeft)
        for section in (self.circles, self.direct, self.people):
            layout.addWidget(section)
        layout.addStretch(1)
        layout.addLayout(footer)

    def set_ephemeral(self, ephemeral: bool) -> None:
        self.ephemeral_mark.setVisible(ephemeral)

    def focus_circles(self) -> None:
        view = self.circles.view
        if view.isVisible():
            if not view.currentIndex().isValid() and self.circle_model.rowCount():
                view.setCurrentIndex(self.circle_model.index(0))
            view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        else:
            self.new_button.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def select_circle(self, circle_id: bytes) -> None:
        """Mark ``circle_id`` as the open conversation (without emitting a selection)."""
        row = self.circle_model.row_of_key(circle_id)
        view = self.circles.view
        if row is not None:
            view.setCurrentIndex(self.circle_model.index(row))
        self.direct.view.clearSelection()

    def _circle_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.direct.view.clearSelection()
            self.circleSelected.emit(self.circle_model.item_at(index.row()).id)

    def _direct_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.circles.view.clearSelection()
            d: DirectConversation = self.direct_model.item_at(index.row())
            if d.request:
                self.directRequestSelected.emit(d.circle_id, d.peer_key, d.peer)
            else:
                self.directSelected.emit(d.circle_id, d.peer_key)

    def _person_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            member: MemberView = self.people_model.item_at(index.row())
            self.personActivated.emit(member)
