"""Compare safety numbers with a member, in person, and mark them verified."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from messenger.views import MemberView

from .base import Dialog


def group_digits(number: str, size: int = 5) -> str:
    """ "12345 67890 …" in lines of four groups, whatever spacing the core used."""
    digits = "".join(c for c in number if c.isalnum())
    groups = [digits[i : i + size] for i in range(0, len(digits), size)]
    lines = [" ".join(groups[i : i + 4]) for i in range(0, len(groups), 4)]
    return "\n".join(lines)


class SafetyNumberDialog(Dialog):
    verifiedRequested = Signal(object)  # MemberView

    def __init__(self, member: MemberView, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Safety number with {name}").format(name=member.pseudonym), parent)
        self.setMinimumWidth(460)
        self.member = member
        if member.key_changed:
            warning = QLabel(
                self.tr(
                    "{name}'s key changed since you last talked. This happens when someone "
                    "reinstalls Hearth — or when someone else is pretending to be them. "
                    "Compare the numbers before you trust what they say."
                ).format(name=member.pseudonym)
            )
            warning.setObjectName("WarningBox")
            warning.setWordWrap(True)
            warning.setAccessibleName(self.tr("Warning: the key changed"))
            self.content.addWidget(warning)
        self.hint(
            self.tr(
                "Meet {name} in person and compare this number with the one on their screen. "
                "If they match, nobody is in between you."
            ).format(name=member.pseudonym)
        )
        self.number = QLabel(group_digits(member.safety_number) or self.tr("Not available yet"))
        self.number.setObjectName("SafetyNumber")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.number.setAccessibleName(self.tr("Safety number"))
        self.content.addWidget(self.number)
        self.verified_note = QLabel(
            self.tr("You compared this number with {name} in person: verified.").format(
                name=member.pseudonym
            )
        )
        self.verified_note.setObjectName("Hint")
        self.verified_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verified_note.setAccessibleName(self.tr("Verified"))
        self.verified_note.setVisible(member.verified)
        self.content.addWidget(self.verified_note)
        self.add_cancel(self.tr("Close"))
        self.verify_button = self.add_primary(self.tr("They match"))
        self.verify_button.setAccessibleName(self.tr("The numbers match: mark as verified"))
        self.verify_button.setEnabled(bool(member.safety_number))
        self.verify_button.setVisible(not member.verified)
        self.verify_button.clicked.connect(self.submit)

    def submit(self) -> None:
        self.verifiedRequested.emit(self.member)
        self.accept()
