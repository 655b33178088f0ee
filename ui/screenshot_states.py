"""More scenes for ``make screenshots``: states a person meets in the scenario tests that the
main scenes do not show (waiting to be let in, slow mode, a new profile instead of a forgotten
passphrase, the reports queue, the invite window opened again). Built from
:mod:`ui.sample_data` views: no core, no network."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from messenger.views import Role

from . import sample_data as sample
from .dialogs import InviteDialog, ModerationQueueDialog, NoticeDialog, UnlockDialog
from .main_window import MainWindow
from .requests import ModerationReport, ReportReason


def _waiting() -> QWidget:
    """A newcomer who came by link: the header says the host has not let them in yet, and the
    composer is shut until then."""
    window = MainWindow()
    circle = dataclasses.replace(sample.circle(Role.MEMBER), waiting=True)
    window.set_circles([circle])
    window.show_circle(circle, [], has_older=False)
    return window


def _slow_mode() -> QWidget:
    """A post refused by slow mode: a calm notice, the words still in the composer."""
    notice = NoticeDialog(
        "Hearth",
        "Slow mode is on in this circle: you can post again in 42 s. What you wrote is still "
        "in the box.",
    )
    notice.adjustSize()
    return notice


def _new_profile() -> QWidget:
    """A forgotten passphrase: the unlock dialog's way on, asked first."""
    dialog = UnlockDialog()
    dialog.show()
    dialog.new_profile_button.click()
    confirm = dialog.confirm_dialog
    assert confirm is not None
    dialog.hide()
    confirm.setParent(None)
    confirm.adjustSize()
    return confirm


def _reports_queue() -> QWidget:
    now = time.time()
    members = {m.pseudonym: m for m in sample.members()}
    post = next(p for p in sample.conversation(now) if p.author == "Bright Wren")
    circle_id = sample.circle().id
    rows = [
        ("Bright Wren", ReportReason.HARASSMENT, "This keeps happening after meetings.", "", post),
        ("Patient Willow", ReportReason.OTHER, "Shared a name from outside.", "Amber Fox", None),
    ]
    return ModerationQueueDialog(
        ModerationReport(f"r{k}", circle_id, members[who], why, said, by, now - 600 * k, evidence)
        for k, (who, why, said, by, evidence) in enumerate(rows, 1)
    )


def _invite_reopened() -> QWidget:
    """The invite window opened again: the spoken code still open, with its countdown, and the
    newcomer who asked while it was shut."""
    now = time.time()
    dialog = InviteDialog(sample.circle(), clock=lambda: now + 190)
    dialog.show()
    dialog.show_code(sample.join_code(now))
    dialog.add_join_request(sample.join_request())
    return dialog


STATES: dict[str, Callable[[], QWidget]] = {
    "waiting-to-be-let-in": _waiting,
    "slow-mode": _slow_mode,
    "new-profile": _new_profile,
    "reports-queue": _reports_queue,
    "invite-reopened": _invite_reopened,
}
