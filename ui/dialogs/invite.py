"""Invite: share the circle's link, or read a spoken code aloud and let newcomers in."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from messenger.views import CircleView, JoinCodeView, JoinRequestView

from ..invite_memory import InviteMemory
from .base import Dialog, row

MAX_ROWS_SHOWN = 3  # newcomers shown at once before the list scrolls


def countdown_text(seconds_left: float) -> str:
    """ "4:05" for the time left; "0:00" once expired."""
    left = max(0, int(seconds_left + 0.999))
    return f"{left // 60}:{left % 60:02d}"


class NewcomerRow(QFrame):
    def __init__(self, request: JoinRequestView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.request = request
        name = QLabel(request.pseudonym)
        name.setAccessibleName(self.tr("Newcomer {name}").format(name=request.pseudonym))
        self.approve_button = QPushButton(self.tr("Let in"))
        self.approve_button.setObjectName("Primary")
        self.approve_button.setAccessibleName(
            self.tr("Let {name} in").format(name=request.pseudonym)
        )
        self.deny_button = QPushButton(self.tr("Decline"))
        self.deny_button.setAccessibleName(self.tr("Decline {name}").format(name=request.pseudonym))
        for b in (self.approve_button, self.deny_button):
            b.setAutoDefault(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 8, 6)
        layout.addWidget(name, 1)
        layout.addWidget(self.deny_button)
        layout.addWidget(self.approve_button)


class InviteDialog(Dialog):
    codeRequested = Signal(bytes)  # circle id: open a spoken-code invitation
    approveRequested = Signal(object)  # JoinRequestView
    denyRequested = Signal(object)  # JoinRequestView

    def __init__(
        self,
        circle: CircleView,
        parent: QWidget | None = None,
        clock: Callable[[], float] = time.time,
        memory: InviteMemory | None = None,
    ) -> None:
        super().__init__(self.tr("Invite someone to {name}").format(name=circle.name), parent)
        self.setMinimumWidth(520)
        self.circle = circle
        self._clock = clock
        self.code: JoinCodeView | None = None
        self.rows: dict[str, NewcomerRow] = {}
        self.memory = memory if memory is not None else InviteMemory()

        self.link = QLineEdit(circle.invite_link)
        self.link.setReadOnly(True)
        self.link.setCursorPosition(0)
        self.link.setAccessibleName(self.tr("Invite link"))
        self.copy_button = QPushButton(self.tr("Copy link"))
        self.copy_button.setAccessibleName(self.tr("Copy the invite link"))
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy_link)
        link_label = QLabel(self.tr("Share a link"))
        link_label.setObjectName("PanelHeading")
        link_label.setBuddy(self.link)
        self.content.addWidget(link_label)
        self.content.addLayout(row(self.link, self.copy_button, stretch_last=True))
        self.hint(
            self.tr(
                "Anyone with the link can ask to join, so share it only with people you mean "
                "to invite, over a channel you trust."
            )
        )

        code_label = QLabel(self.tr("Or read a code aloud"))
        code_label.setObjectName("PanelHeading")
        self.content.addWidget(code_label)
        self.code_display = QLabel()
        self.code_display.setObjectName("CodeDisplay")
        self.code_display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_display.setAccessibleName(self.tr("Spoken code"))
        self.code_display.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.countdown = QLabel()
        self.countdown.setObjectName("Countdown")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown.setAccessibleName(self.tr("Time left for this code"))
        # What happened to the code: a wrong try, or three of them that closed it.
        self.code_note = QLabel()
        self.code_note.setObjectName("WarningBox")
        self.code_note.setWordWrap(True)
        self.code_note.setAccessibleName(self.tr("About this code"))
        self.code_button = QPushButton(self.tr("Show a spoken code"))
        self.code_button.setAccessibleName(self.tr("Show a spoken code to read aloud"))
        self.code_button.setAutoDefault(False)
        self.code_button.clicked.connect(self.request_code)
        self.content.addWidget(self.code_display)
        self.content.addWidget(self.countdown)
        self.content.addWidget(self.code_note)
        self.content.addWidget(self.code_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.code_hint = self.hint(
            self.tr(
                "The newcomer types it on their computer, on this network. A few wrong "
                "guesses close the code."
            )
        )
        self.code_display.setVisible(False)
        self.countdown.setVisible(False)
        self.code_note.setVisible(False)

        newcomers_label = QLabel(self.tr("Asking to join"))
        newcomers_label.setObjectName("PanelHeading")
        self.content.addWidget(newcomers_label)
        self.no_newcomers = self.hint(self.tr("People who type the code appear here."))
        # Newcomers scroll once there are more than fit calmly; each row keeps its height.
        holder = QWidget()
        self.newcomers = QVBoxLayout(holder)
        self.newcomers.setContentsMargins(0, 0, 0, 0)
        self.newcomers.setSpacing(6)
        self.newcomers.addStretch(1)
        self.newcomer_scroll = QScrollArea()
        self.newcomer_scroll.setWidgetResizable(True)
        self.newcomer_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.newcomer_scroll.setWidget(holder)
        self.newcomer_scroll.setAccessibleName(self.tr("Asking to join"))
        self.newcomer_scroll.setVisible(False)
        self.content.addWidget(self.newcomer_scroll)

        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.tick)
        close = self.add_primary(self.tr("Done"))
        close.clicked.connect(self.accept)
        # What was open when the dialog was last closed is still open: show it again (or
        # that three wrong tries closed it meanwhile).
        still_open = self.memory.code(circle.id, clock())
        if still_open is not None:
            self.show_code(still_open)
        elif circle.id in self.memory.closed:
            self.show_code_closed(circle.id)
        for waiting in self.memory.waiting(circle.id):
            self.add_join_request(waiting)

    # -- link ------------------------------------------------------------------------------
    def copy_link(self) -> None:
        QGuiApplication.clipboard().setText(self.link.text())
        self.copy_button.setText(self.tr("Copied"))

    # -- spoken code -----------------------------------------------------------------------
    def request_code(self) -> None:
        self.code_button.setEnabled(False)
        self.code_button.setText(self.tr("Opening…"))
        self.codeRequested.emit(self.circle.id)

    def show_code(self, code: JoinCodeView) -> None:
        if code.circle_id != self.circle.id:
            return
        self.code = code
        self.memory.set_code(code)
        self.code_display.setText(code.code)
        self.code_display.setVisible(True)
        self.countdown.setVisible(True)
        self.code_note.setVisible(False)
        self.code_button.setVisible(False)
        self.code_button.setEnabled(True)
        self.code_button.setAccessibleName(self.tr("Show a spoken code to read aloud"))
        self.tick()
        self._timer.start()

    def show_wrong_try(self, circle_id: bytes, attempts_left: int) -> None:
        """Someone typed a wrong code: say how many more wrong tries close it."""
        if circle_id != self.circle.id or self.code is None or attempts_left <= 0:
            return
        if attempts_left == 1:
            text = self.tr("Someone typed a wrong code. One more wrong try closes it.")
        else:
            text = self.tr("Someone typed a wrong code. {n} more wrong tries close it.").format(
                n=attempts_left
            )
        self.code_note.setText(text)
        self.code_note.setVisible(True)

    def show_code_closed(self, circle_id: bytes) -> None:
        """Three wrong tries closed the code for good: say so calmly, stop the countdown, and
        offer one button that makes a new code."""
        if circle_id != self.circle.id:
            return
        self._timer.stop()
        self.code = None
        self.memory.close_code(circle_id)
        self.code_display.setVisible(False)
        self.countdown.setVisible(False)
        self.code_note.setText(
            self.tr(
                "This code was closed after three wrong tries, so nobody can join with it now. "
                "It may have been a typo, or someone guessing: make a new code and read it "
                "only to the person joining."
            )
        )
        self.code_note.setVisible(True)
        self.code_button.setText(self.tr("Make a new code"))
        self.code_button.setAccessibleName(self.tr("Make a new spoken code"))
        self.code_button.setEnabled(True)
        self.code_button.setVisible(True)
        self.code_button.setFocus()

    @property
    def counting_down(self) -> bool:
        """Whether the countdown of a code that still works is running."""
        return self._timer.isActive()

    def seconds_left(self) -> float:
        return 0.0 if self.code is None else self.code.expires - self._clock()

    def tick(self) -> None:
        if self.code is None:
            return
        left = self.seconds_left()
        if left <= 0:
            self._timer.stop()
            self.countdown.setText(self.tr("This code has expired."))
            self.code_note.setVisible(False)
            self.code_display.setEnabled(False)
            self.code_button.setText(self.tr("Show a new code"))
            self.code_button.setVisible(True)
            return
        self.code_display.setEnabled(True)
        self.countdown.setText(self.tr("Expires in {time}").format(time=countdown_text(left)))

    def show_code_error(self, text: str) -> None:
        self.code_button.setEnabled(True)
        self.code_button.setText(self.tr("Show a spoken code"))
        self.show_error(text)

    # -- newcomers -------------------------------------------------------------------------
    def add_join_request(self, request: JoinRequestView) -> None:
        if request.circle_id != self.circle.id or request.request in self.rows:
            return
        self.memory.add_request(request)
        widget = NewcomerRow(request, self)
        widget.approve_button.clicked.connect(lambda: self._decide(request, True))
        widget.deny_button.clicked.connect(lambda: self._decide(request, False))
        self.rows[request.request] = widget
        self.newcomers.insertWidget(self.newcomers.count() - 1, widget)
        self._fit_newcomers()

    def remove_join_request(self, request_id: str) -> None:
        self.memory.drop_request(self.circle.id, request_id)
        widget = self.rows.pop(request_id, None)
        if widget is not None:
            widget.setParent(None)
            widget.deleteLater()
        self._fit_newcomers()

    def _fit_newcomers(self) -> None:
        """Up to three rows show whole; more scroll (the dialog never squeezes them)."""
        self.no_newcomers.setVisible(not self.rows)
        self.newcomer_scroll.setVisible(bool(self.rows))
        heights = [w.sizeHint().height() for w in self.rows.values()][:MAX_ROWS_SHOWN]
        spacing = self.newcomers.spacing() * max(0, len(heights) - 1)
        self.newcomer_scroll.setMinimumHeight(sum(heights) + spacing)

    def _decide(self, request: JoinRequestView, approve: bool) -> None:
        (self.approveRequested if approve else self.denyRequested).emit(request)
        self.remove_join_request(request.request)

    def done(self, result: int) -> None:
        self._timer.stop()
        super().done(result)
