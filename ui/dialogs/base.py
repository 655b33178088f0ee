"""What every dialog shares: a title, calm spacing, labelled fields, an error line, buttons.

Dialogs are opened with ``open()`` (never ``exec()``: one loop, the qasync one) and report
through signals. Esc closes them (QDialog's reject).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)


class Dialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setAccessibleName(title)
        self.heading = QLabel(title)
        self.heading.setObjectName("DialogTitle")
        self.heading.setWordWrap(True)
        self.content = QVBoxLayout()
        self.content.setSpacing(10)
        self.error = QLabel()
        self.error.setObjectName("ErrorText")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.error.setAccessibleName(self.tr("Problem"))
        self.buttons = QDialogButtonBox()
        root = QVBoxLayout(self)
        root.setContentsMargins(24, 20, 24, 18)
        root.setSpacing(14)
        root.addWidget(self.heading)
        root.addLayout(self.content, 1)
        root.addWidget(self.error)
        root.addWidget(self.buttons)

    # -- fitting what appears --------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest and self.isVisible():
            self.fit_content()
        return handled

    def fit_content(self) -> None:
        """Grow (never squeeze) when something appears: an error line, a code, a newcomer.

        A dialog with a minimum width of its own no longer gets its layout's minimum height,
        so Qt would squeeze new content into the old height (a field collapsed under an error,
        a spoken code cut in half). Keep the layout's minimum, and grow to its preferred height
        up to the screen's.
        """
        screen = self.screen()
        cap = screen.availableGeometry().height() - 48 if screen is not None else 10_000
        least = self.minimumSizeHint().height()
        if self.hasHeightForWidth():
            wanted = max(least, self.heightForWidth(self.width()))
        else:
            wanted = max(least, self.sizeHint().height())
        self.setMinimumHeight(min(least, cap))
        if self.height() < wanted or (self.hasHeightForWidth() and self.height() > wanted):
            # Wrapped text asks for its height at the real width: no squeeze, and no empty
            # band either (Qt first sizes wrapped labels for a narrower, taller guess).
            self.resize(self.width(), min(wanted, cap))

    # -- building --------------------------------------------------------------------------
    def add_primary(self, text: str, accessible: str | None = None) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName("Primary")
        button.setAccessibleName(accessible or text.replace("&", ""))
        button.setDefault(True)
        button.setAutoDefault(True)
        self.buttons.addButton(button, QDialogButtonBox.ButtonRole.AcceptRole)
        return button

    def add_button(
        self,
        text: str,
        accessible: str | None = None,
        role: QDialogButtonBox.ButtonRole = QDialogButtonBox.ButtonRole.ActionRole,
    ) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(accessible or text.replace("&", ""))
        button.setAutoDefault(False)
        self.buttons.addButton(button, role)
        return button

    def add_cancel(self, text: str | None = None) -> QPushButton:
        button = self.add_button(
            text or self.tr("Cancel"), role=QDialogButtonBox.ButtonRole.RejectRole
        )
        button.clicked.connect(self.reject)
        return button

    def hint(self, text: str, layout: QLayout | None = None) -> QLabel:
        label = QLabel(text)
        label.setObjectName("Hint")
        label.setWordWrap(True)
        (layout if layout is not None else self.content).addWidget(label)
        return label

    def field(
        self,
        label_text: str,
        widget: QWidget,
        layout: QLayout | None = None,
        accessible: str | None = None,
        help_text: str | None = None,
    ) -> QLabel:
        """A label above ``widget`` (its buddy); the widget is named after the label."""
        label = QLabel(label_text)
        label.setBuddy(widget)
        if not widget.accessibleName():
            widget.setAccessibleName(accessible or label_text.replace("&", "").rstrip(":"))
        if help_text:
            widget.setAccessibleDescription(help_text)
        target = layout if layout is not None else self.content
        box = QVBoxLayout()
        box.setSpacing(4)
        box.addWidget(label)
        box.addWidget(widget)
        if help_text:
            self.hint(help_text, box)
        if isinstance(target, QVBoxLayout | QHBoxLayout):
            target.addLayout(box)
        else:  # pragma: no cover - every layout we pass is a box
            target.addItem(box)
        return label

    # -- errors ----------------------------------------------------------------------------
    def fit_page(self, stack: QStackedWidget, index: int) -> None:
        """Show page ``index`` of ``stack`` and size the dialog to it, not to its largest page."""
        for i in range(stack.count()):
            policy = QSizePolicy.Policy.Preferred if i == index else QSizePolicy.Policy.Ignored
            page = stack.widget(i)
            if page is not None:
                page.setSizePolicy(policy, policy)
        stack.setCurrentIndex(index)
        stack.adjustSize()
        self.adjustSize()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def clear_error(self) -> None:
        self.show_error("")


def row(*widgets: QWidget, stretch_last: bool = False) -> QHBoxLayout:
    layout = QHBoxLayout()
    layout.setSpacing(8)
    for w in widgets:
        layout.addWidget(w)
    if not stretch_last:
        layout.addStretch(1)
    return layout


def link_button(text: str, accessible: str | None = None) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName("Link")
    button.setAccessibleName(accessible or text)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setAutoDefault(False)
    return button
