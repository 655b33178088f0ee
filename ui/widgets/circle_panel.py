"""The circle panel: rules, the invite link and code, members and what I can do about each."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QGuiApplication, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from messenger.views import CircleView, MemberView, Role

from .. import theme
from ..avatar import paint_avatar
from ..dialogs.confirm import ConfirmDialog
from ..models.members import MemberListModel, member_status

ModelIndex = QModelIndex | QPersistentModelIndex
MEMBER_ROW = 46


class MemberDelegate(QStyledItemDelegate):
    def __init__(self, model: MemberListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        return QSize(200, MEMBER_ROW)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        c = theme.current()
        m = self._model.member_at(index.row())
        rect: QRect = option.rect
        state = option.state
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        box = QRectF(rect).adjusted(3, 2, -3, -2)
        if state & QStyle.StateFlag.State_Selected:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(c.selection))
            painter.drawRoundedRect(box, 6, 6)
        if state & QStyle.StateFlag.State_HasFocus:
            painter.setPen(QColor(c.accent))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        avatar = QRectF(box.left() + 8, box.center().y() - 14, 28, 28)
        paint_avatar(painter, avatar, m.key, m.pseudonym)
        if m.present:
            dot = QRectF(avatar.right() - 8, avatar.bottom() - 8, 10, 10)
            painter.setPen(QColor(c.surface))
            painter.setBrush(QColor(c.present))
            painter.drawEllipse(dot)
        x = avatar.right() + 10
        right = box.right() - 8
        base = QFont(option.font)
        if m.key_changed:
            warn_font = QFont(base)
            warn_font.setBold(True)
            warn_font.setPixelSize(11)
            text = self.tr("Key changed")
            width = QFontMetrics(warn_font).horizontalAdvance(text) + 14
            badge = QRectF(right - width, box.center().y() - 10, width, 20)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(c.warning_bg))
            painter.drawRoundedRect(badge, 10, 10)
            painter.setPen(QColor(c.danger))
            painter.setFont(warn_font)
            painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), text)
            right = badge.left() - 6
        name_font = QFont(base)
        name_font.setBold(True)
        painter.setFont(name_font)
        painter.setPen(QColor(c.text if not m.blocked else c.muted))
        line_h = QFontMetrics(name_font).height()
        name_rect = QRectF(x, box.center().y() - line_h, right - x, line_h)
        name = str(index.data(Qt.ItemDataRole.DisplayRole))
        painter.drawText(
            name_rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
            QFontMetrics(name_font).elidedText(
                name, Qt.TextElideMode.ElideRight, int(name_rect.width())
            ),
        )
        small = QFont(base)
        small.setPixelSize(11)
        painter.setFont(small)
        painter.setPen(QColor(c.muted))
        status_rect = QRectF(x, box.center().y() + 1, right - x, QFontMetrics(small).height())
        status = member_status(m, self._model.cue(m.key))
        painter.drawText(
            status_rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
            QFontMetrics(small).elidedText(
                status, Qt.TextElideMode.ElideRight, int(status_rect.width())
            ),
        )
        painter.restore()


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("PanelHeading")
    font = QFont(label.font())
    font.setCapitalization(QFont.Capitalization.AllUppercase)
    label.setFont(font)
    return label


class CirclePanel(QWidget):
    """Shown beside the conversation. Emits requests; the window opens the dialogs."""

    closeRequested = Signal()
    inviteRequested = Signal(bytes)  # circle id
    leaveRequested = Signal(bytes)  # circle id
    moderationRequested = Signal(bytes)  # circle id
    safetyNumberRequested = Signal(object)  # MemberView
    directMessageRequested = Signal(object)  # MemberView
    blockRequested = Signal(object, bool)  # MemberView, block (False = unblock)
    muteRequested = Signal(object, bool)  # MemberView, mute (False = unmute)
    reportRequested = Signal(object)  # MemberView
    removeRequested = Signal(object)  # MemberView (host and moderators)
    boundariesChanged = Signal(bytes, list)  # circle id, words or topics (for me only)
    moderatorChangeRequested = Signal(object, bool)  # MemberView, appoint (False = dismiss)
    circleSettingsRequested = Signal(bytes)  # circle id: details, slow mode, my name, close

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CirclePanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setMinimumWidth(320)
        self.circle: CircleView | None = None

        self.title = QLabel()
        self.title.setObjectName("PanelTitle")
        self.title.setWordWrap(True)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setAccessibleName(self.tr("Close the circle panel"))
        self.close_button.clicked.connect(self.closeRequested)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.description = QLabel()
        self.description.setObjectName("Hint")
        self.description.setWordWrap(True)

        self.roster_code = QLabel()
        self.roster_code.setWordWrap(True)
        self.roster_code.setObjectName("SectionHint")
        self.roster_code.setAccessibleName(self.tr("Circle code"))
        self.roster_code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.rules = QLabel()
        self.rules.setObjectName("RulesBox")
        self.rules.setWordWrap(True)
        self.rules.setTextFormat(Qt.TextFormat.PlainText)
        self.rules.setAccessibleName(self.tr("Rules"))
        self.rules.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.link = QLineEdit()
        self.link.setReadOnly(True)
        self.link.setAccessibleName(self.tr("Invite link"))
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.setAccessibleName(self.tr("Copy the invite link"))
        self.copy_button.clicked.connect(self.copy_link)
        self.invite_button = QPushButton(self.tr("Show a spoken code…"))
        self.invite_button.setAccessibleName(self.tr("Show a spoken code to read aloud"))
        self.invite_button.clicked.connect(self._invite)
        link_row = QHBoxLayout()
        link_row.addWidget(self.link, 1)
        link_row.addWidget(self.copy_button)

        self.members_model = MemberListModel(self)
        self.members = QListView()
        self.members.setObjectName("MemberList")
        self.members.setAccessibleName(self.tr("Members"))
        self.members.setModel(self.members_model)
        self.members.setItemDelegate(MemberDelegate(self.members_model, self.members))
        self.members.setUniformItemSizes(True)
        self.members.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.members.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for signal in (
            self.members_model.modelReset,
            self.members_model.rowsInserted,
            self.members_model.rowsRemoved,
        ):
            signal.connect(self._fit_members)
        self._fit_members()
        self.members.selectionModel().currentChanged.connect(self._member_changed)

        self.member_note = QLabel()
        self.member_note.setObjectName("WarningBox")
        self.member_note.setWordWrap(True)
        self.member_note.setVisible(False)
        self.member_note.setAccessibleName(self.tr("Warning about this member"))
        self.safety_button = QPushButton(self.tr("Safety number"))
        self.safety_button.setAccessibleName(self.tr("Compare safety numbers with this member"))
        self.message_button = QPushButton(self.tr("Message"))
        self.message_button.setAccessibleName(self.tr("Send a direct message to this member"))
        self.mute_button = QPushButton(self.tr("Mute"))
        self.mute_button.setAccessibleName(self.tr("Mute this member"))
        self.confirm_dialog: ConfirmDialog | None = None  # the last "Block …?" question
        self.block_button = QPushButton(self.tr("Block"))
        self.block_button.setAccessibleName(self.tr("Block this member"))
        self.report_button = QPushButton(self.tr("Report"))
        self.report_button.setAccessibleName(self.tr("Report this member to the moderators"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setObjectName("Danger")
        self.remove_button.setAccessibleName(self.tr("Remove this member from the circle"))
        self.safety_button.clicked.connect(lambda: self._member_action(self.safetyNumberRequested))
        self.message_button.clicked.connect(
            lambda: self._member_action(self.directMessageRequested)
        )
        self.report_button.clicked.connect(lambda: self._member_action(self.reportRequested))
        self.remove_button.clicked.connect(lambda: self._member_action(self.removeRequested))
        self.mute_button.clicked.connect(self._toggle_mute)
        self.block_button.clicked.connect(self._toggle_block)
        actions = QGridLayout()
        actions.setSpacing(6)
        for i, button in enumerate(
            (
                self.safety_button,
                self.message_button,
                self.mute_button,
                self.block_button,
                self.report_button,
                self.remove_button,
            )
        ):
            actions.addWidget(button, i // 2, i % 2)

        self.appoint_button = QPushButton(self.tr("Make co-moderator"))
        self.appoint_button.setAccessibleName(self.tr("Make this member a co-moderator"))
        self.appoint_button.clicked.connect(self._toggle_moderator)
        actions.addWidget(self.appoint_button, 3, 0, 1, 2)
        self.settings_button = QPushButton(self.tr("Circle settings…"))
        self.settings_button.setAccessibleName(self.tr("Circle settings and my name here"))
        self.settings_button.clicked.connect(self._circle_settings)
        self.moderation_button = QPushButton(self.tr("Reports to review"))
        self.moderation_button.setAccessibleName(self.tr("Open the reports to review"))
        self.moderation_button.clicked.connect(self._moderation)
        self.leave_button = QPushButton(self.tr("Leave circle…"))
        self.leave_button.setObjectName("Danger")
        self.leave_button.setAccessibleName(self.tr("Leave this circle"))
        self.leave_button.clicked.connect(self._leave)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.description)
        layout.addWidget(_heading(self.tr("Rules")))
        layout.addWidget(self.rules)
        self.invite_heading = _heading(self.tr("Invite"))
        layout.addWidget(self.invite_heading)
        layout.addLayout(link_row)
        layout.addWidget(self.invite_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(_heading(self.tr("Members")))
        layout.addWidget(self.roster_code)
        layout.addWidget(self.members)
        layout.addWidget(self.member_note)
        layout.addLayout(actions)
        layout.addWidget(_heading(self.tr("My boundaries")))
        self.boundaries_hint = QLabel(
            self.tr(
                "Posts that mention these words or topics fold behind a notice, for you only. "
                "Separate them with commas."
            )
        )
        self.boundaries_hint.setObjectName("SectionHint")
        self.boundaries_hint.setWordWrap(True)
        self.boundaries = QLineEdit()
        self.boundaries.setPlaceholderText(self.tr("for example: hospital, funeral"))
        self.boundaries.setAccessibleName(self.tr("My boundaries"))
        self.boundaries_button = QPushButton(self.tr("Save"))
        self.boundaries_button.setAccessibleName(self.tr("Save my boundaries"))
        self.boundaries_button.clicked.connect(self._save_boundaries)
        self.boundaries.returnPressed.connect(self._save_boundaries)
        boundaries_row = QHBoxLayout()
        boundaries_row.addWidget(self.boundaries, 1)
        boundaries_row.addWidget(self.boundaries_button)
        layout.addWidget(self.boundaries_hint)
        layout.addLayout(boundaries_row)
        layout.addSpacing(8)
        bottom = QHBoxLayout()
        # Two rows, so the panel never needs more than its minimum width.
        bottom.addWidget(self.settings_button)
        bottom.addWidget(self.moderation_button)
        bottom.addStretch(1)
        layout.addLayout(bottom)
        layout.addWidget(self.leave_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._member_changed()

    def _fit_members(self) -> None:
        rows = min(max(self.members_model.rowCount(), 2), 8)
        self.members.setFixedHeight(rows * MEMBER_ROW + 8)

    # -- feeding ---------------------------------------------------------------------------
    def show_circle(self, circle: CircleView, members: Iterable[MemberView] = ()) -> None:
        self.circle = circle
        self.title.setText(circle.name)
        self.description.setText(circle.description)
        self.description.setVisible(bool(circle.description))
        self.rules.setText(circle.rules or self.tr("This circle has no written rules."))
        self.link.setText(circle.invite_link)
        self.link.setCursorPosition(0)
        can_invite = circle.role in (Role.HOST, Role.MODERATOR)
        for widget in (self.invite_heading, self.link, self.copy_button, self.invite_button):
            widget.setVisible(can_invite)
        self.moderation_button.setVisible(can_invite)
        self.roster_code.setText(
            self.tr(
                "Circle code {code}: read it aloud; everyone who sees the same code sees "
                "the same members."
            ).format(code=circle.roster_code)
            if circle.roster_code
            else ""
        )
        self.roster_code.setVisible(bool(circle.roster_code))
        selected = self.selected_member()
        self.members_model.set_members(members)
        if selected is not None and selected.circle_id == circle.id:
            self.select_member(selected.key)  # a refresh keeps the member being looked at
        self._member_changed()

    def set_boundaries(self, words: list[str]) -> None:
        self.boundaries.setText(", ".join(words))

    def _save_boundaries(self) -> None:
        if self.circle is None:
            return
        words = [w.strip() for w in self.boundaries.text().split(",") if w.strip()]
        self.boundariesChanged.emit(self.circle.id, words)

    def update_member(self, member: MemberView) -> None:
        if self.circle is not None and member.circle_id == self.circle.id:
            selected = self.selected_member()
            self.members_model.update_member(member)
            if selected is not None:
                self.select_member(selected.key)
            self._member_changed()

    def set_cues(self, cues: dict[bytes, str]) -> None:
        self.members_model.set_cues(cues)

    def select_member(self, key: bytes) -> None:
        row = self.members_model.row_of(key)
        if row is not None:
            self.members.setCurrentIndex(self.members_model.index(row))

    def selected_member(self) -> MemberView | None:
        index = self.members.currentIndex()
        if not index.isValid():
            return None
        return self.members_model.member_at(index.row())

    # -- actions ---------------------------------------------------------------------------
    def copy_link(self) -> None:
        QGuiApplication.clipboard().setText(self.link.text())
        self.copy_button.setText(self.tr("Copied"))

    def _member_changed(self, *_: object) -> None:
        m = self.selected_member()
        me = m is not None and m.is_me
        moderator = self.circle is not None and self.circle.role in (Role.HOST, Role.MODERATOR)
        for button in (
            self.safety_button,
            self.message_button,
            self.mute_button,
            self.block_button,
            self.report_button,
        ):
            button.setEnabled(m is not None and not me)
        self.remove_button.setVisible(moderator)
        self.remove_button.setEnabled(m is not None and not me and m.role is not Role.HOST)
        host = self.circle is not None and self.circle.role is Role.HOST
        self.appoint_button.setVisible(host)
        self.appoint_button.setEnabled(m is not None and not me)
        co_moderator = m is not None and m.role is Role.MODERATOR
        self.appoint_button.setText(
            self.tr("End moderator term") if co_moderator else self.tr("Make co-moderator")
        )
        self.appoint_button.setAccessibleName(
            self.tr("End this member's moderator term")
            if co_moderator
            else self.tr("Make this member a co-moderator")
        )
        if m is not None:
            self.mute_button.setText(self.tr("Unmute") if m.muted else self.tr("Mute"))
            self.block_button.setText(self.tr("Unblock") if m.blocked else self.tr("Block"))
            self.mute_button.setAccessibleName(
                self.tr("Unmute this member") if m.muted else self.tr("Mute this member")
            )
            self.block_button.setAccessibleName(
                self.tr("Unblock this member") if m.blocked else self.tr("Block this member")
            )
        changed = m is not None and m.key_changed
        self.member_note.setVisible(changed)
        if m is not None and changed:
            self.member_note.setText(
                self.tr(
                    "{name}'s key changed. Compare safety numbers in person before trusting "
                    "what they say."
                ).format(name=m.pseudonym)
            )

    def _toggle_moderator(self) -> None:
        m = self.selected_member()
        if m is not None and not m.is_me:
            self.moderatorChangeRequested.emit(m, m.role is not Role.MODERATOR)

    def _circle_settings(self) -> None:
        if self.circle is not None:
            self.circleSettingsRequested.emit(self.circle.id)

    def _member_action(self, signal: SignalInstance) -> None:
        m = self.selected_member()
        if m is not None and not m.is_me:
            signal.emit(m)

    def _toggle_mute(self) -> None:
        m = self.selected_member()
        if m is not None and not m.is_me:
            self.muteRequested.emit(m, not m.muted)

    def _toggle_block(self) -> None:
        """Unblocking is at once; blocking asks first (their posts disappear for me)."""
        m = self.selected_member()
        if m is None or m.is_me:
            return
        if m.blocked:
            self.blockRequested.emit(m, False)
            return
        dialog = ConfirmDialog(
            self.tr("Block {name}?").format(name=m.pseudonym),
            self.tr(
                "You will no longer see {name}'s posts or messages in this circle. They are "
                "not told. You can unblock them here at any time."
            ).format(name=m.pseudonym),
            self.tr("Block"),
            self.tr("Block {name}").format(name=m.pseudonym),
            self.window(),
        )
        dialog.confirmed.connect(lambda: self.blockRequested.emit(m, True))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.confirm_dialog = dialog
        dialog.open()

    def _invite(self) -> None:
        if self.circle is not None:
            self.inviteRequested.emit(self.circle.id)

    def _leave(self) -> None:
        if self.circle is not None:
            self.leaveRequested.emit(self.circle.id)

    def _moderation(self) -> None:
        if self.circle is not None:
            self.moderationRequested.emit(self.circle.id)
