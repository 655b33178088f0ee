"""Render the main screens offscreen, in light and dark, into a folder (``make screenshots``).

Every scene is built from :mod:`ui.sample_data` views directly: no core, no network.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QDialog, QWidget

from messenger.views import DeliveryState, DirectMessageView, MemberView, Role

from . import sample_data as sample
from .app import make_application
from .dialogs import (
    CircleSettingsDialog,
    ConfirmDialog,
    CreateCircleDialog,
    DmRequestDialog,
    FirstRunDialog,
    InviteDialog,
    JoinDialog,
    ReportDialog,
    RulesDialog,
    SafetyNumberDialog,
    SettingsDialog,
    ShortcutsDialog,
    SupportDialog,
    UnlockDialog,
)
from .main_window import MainWindow
from .preferences import Preferences
from .screenshot_states import STATES
from .texts import faq_markdown, intro_templates, support_entries, support_file
from .theme import ThemeChoice, apply_theme

Scene = Callable[[], QWidget]


def _suggest() -> str:
    return "Gentle Fern"


def _welcome() -> QWidget:
    return MainWindow(suggest_pseudonym=_suggest)


def _window_with_conversation() -> MainWindow:
    now = time.time()
    window = MainWindow(
        preferences=Preferences(typing_indicators=True, reply_cues=True),
        suggest_pseudonym=_suggest,
    )
    circle = sample.circle()
    window.set_circles(sample.other_circles())
    window.show_circle(circle, sample.conversation(now), has_older=True)
    people = [m for m in sample.members() if not m.is_me]
    window.show_members(circle.id, people)
    window.sidebar.direct_model.set_latest(
        [
            (
                DirectMessageView(
                    circle_id=circle.id,
                    id=sample.post_id(99),
                    peer_key=sample.key("Amber Fox"),
                    peer="Amber Fox",
                    outgoing=False,
                    ts=now - 900,
                    body="See you Tuesday!",
                    state=DeliveryState.READ,
                ),
                1,
            )
        ]
    )
    window.conversation.set_typing(["Bright Wren"])
    return window


def _conversation() -> QWidget:
    return _window_with_conversation()


def _replies_reactions() -> QWidget:
    window = _window_with_conversation()
    circle = sample.circle()
    posts = sample.with_replies_and_reactions(time.time())
    window.show_circle(circle, posts, has_older=True)
    window.conversation.model.mark_deleted(sample.post_id(41))
    willow = next(p for p in posts if p.author == "Patient Willow")
    window.conversation.composer.set_reply(willow)
    window.conversation.set_typing([])
    return window


def _timeline_lines() -> QWidget:
    """A newcomer's view: what was said before they came, the line where they came in, and
    people joining and leaving since."""
    window = _window_with_conversation()
    circle = dataclasses.replace(sample.circle(Role.MEMBER), my_pseudonym="Gentle Fern")
    now = time.time()
    posts = sample.conversation(now)[:3]
    window.show_circle(circle, posts, has_older=False)
    model = window.conversation.model
    model.add_notice(
        circle.id,
        "You joined here. What is above was said before you came: this circle keeps what is "
        "said for 30 days, for members old and new.",
        now - 3000,
    )
    model.add_notice(circle.id, "Still Lake joined the circle", now - 1200)
    model.add_notice(circle.id, "Bright Wren left the circle: “See you next week.”", now - 300)
    window.conversation.set_typing([])
    return window


def _search() -> QWidget:
    window = _window_with_conversation()
    circle = sample.circle()
    posts = sample.with_replies_and_reactions(time.time())
    window.show_circle(circle, posts, has_older=True)
    area = window.conversation
    area.search_edit.blockSignals(True)
    area.search_edit.setText("week")
    area.search_edit.blockSignals(False)
    found = [p for p in reversed(posts) if "week" in p.body]
    area.show_search_results("week", found)
    area.messages.select_post(found[-1].id)
    area.set_typing([])
    return window


def _confirm_delete() -> QWidget:
    window = _window_with_conversation()
    return _dialog(
        ConfirmDialog(
            window.tr("Delete for everyone?"),
            window.tr(
                "Your post is removed from every member's device, and replies to it say it was "
                "deleted. This cannot be undone."
            ),
            window.tr("Delete for everyone"),
        )
    )


def _circle_panel() -> QWidget:
    window = _window_with_conversation()
    circle = sample.circle()
    window.show_panel(circle)
    window.show_members(circle.id, sample.members())
    changed: MemberView = next(m for m in sample.members() if m.key_changed)
    window.panel.select_member(changed.key)
    window.resize(1280, 880)
    window.splitter.setSizes([260, 660, 360])
    return window


def _dialog(dialog: QDialog) -> QDialog:
    dialog.adjustSize()
    return dialog


def _first_run() -> QWidget:
    return _dialog(FirstRunDialog(_suggest))


def _create_circle() -> QWidget:
    dialog = CreateCircleDialog(_suggest)
    dialog.name.setText("Tuesday evening group")
    dialog.description.setText("A small peer-support circle for the community room.")
    return _dialog(dialog)


def _invite() -> QWidget:
    now = time.time()
    dialog = InviteDialog(sample.circle(), clock=lambda: now)
    dialog.show_code(sample.join_code(now))
    dialog.add_join_request(sample.join_request())
    return _dialog(dialog)


def _join() -> QWidget:
    dialog = JoinDialog(intro_templates(), _suggest)
    dialog.input.setText("7-amber-lantern")
    dialog.next()
    dialog.show_preview(sample.circle(Role.MEMBER).name, sample.RULES, sample.circle().description)
    dialog.template.setCurrentIndex(1)
    return _dialog(dialog)


def _join_rules_pending() -> QWidget:
    dialog = JoinDialog(intro_templates(), _suggest)
    dialog.input.setText("7-amber-lantern")
    dialog.next()
    dialog.show_preview("a circle nearby", "", pending=True)
    return _dialog(dialog)


def _settings() -> QWidget:
    dialog = SettingsDialog(Preferences())
    dialog.tabs.setCurrentIndex(1)  # safety: wipe on quit, the panic and hide shortcuts
    return _dialog(dialog)


def _dm_request() -> QWidget:
    window = _window_with_conversation()
    circle = sample.circle()
    window.sidebar.direct_model.add_request(circle.id, sample.key("Bright Wren"), "Bright Wren")
    return window


def _dm_request_dialog() -> QWidget:
    circle = sample.circle()
    return _dialog(
        DmRequestDialog(circle.id, sample.key("Bright Wren"), "Bright Wren", circle.name, None)
    )


def _unlock_wrong() -> QWidget:
    dialog = UnlockDialog()
    dialog.show()
    dialog.passphrase.setText("not it")
    dialog.show_wrong_passphrase()
    return dialog


def _invite_two() -> QWidget:
    now = time.time()
    dialog = InviteDialog(sample.circle(), clock=lambda: now)
    dialog.show()
    dialog.show_code(sample.join_code(now))
    dialog.add_join_request(sample.join_request())
    dialog.add_join_request(
        dataclasses.replace(sample.join_request(), request="second", pseudonym="Still Lake")
    )
    return dialog


def _shortcuts() -> QWidget:
    window = MainWindow(suggest_pseudonym=_suggest)
    rows = window.shortcut_rows()
    window.finish_quit()
    return _dialog(ShortcutsDialog(rows))


def _ephemeral() -> QWidget:
    window = MainWindow(suggest_pseudonym=_suggest)
    window.set_ephemeral(True)
    return window


def _removed() -> QWidget:
    window = MainWindow(suggest_pseudonym=_suggest)
    circle = dataclasses.replace(sample.circle(Role.MEMBER), removed=True)
    window.set_circles([circle])
    window.show_circle(circle, sample.conversation(time.time()), has_older=False)
    return window


def _create_circle_anonymous() -> QWidget:
    dialog = CreateCircleDialog(_suggest)
    dialog.name.setText("Team feedback")
    dialog.anonymous.setChecked(True)
    return _dialog(dialog)


def _anonymous_composer() -> QWidget:
    """An anonymous circle: the composer says among how many people a post hides."""
    window = _window_with_conversation()
    anonymous = next(c for c in sample.other_circles() if c.settings.anonymous_posting)
    window.show_circle(anonymous, [], has_older=False)
    return window


def _minimum_size() -> QWidget:
    window = _window_with_conversation()
    window.resize(window.minimumSize())
    return window


def _circle_settings() -> QWidget:
    dialog = CircleSettingsDialog(sample.circle())
    return _dialog(dialog)


def _report_only_moderator() -> QWidget:
    other = next(m for m in sample.members() if not m.is_me)
    host = dataclasses.replace(other, role=Role.HOST)
    return _dialog(ReportDialog(host, None, None, only_moderator=True))


def _confirm_block() -> QWidget:
    return _dialog(
        ConfirmDialog(
            "Block Patient Willow?",
            "You will no longer see Patient Willow's posts or messages in this circle. They "
            "are not told. You can unblock them here at any time.",
            "Block",
        )
    )


def _rules() -> QWidget:
    circle = sample.circle(Role.MEMBER)
    return _dialog(RulesDialog(circle.id, circle.name, sample.RULES))


def _safety_verified() -> QWidget:
    member = next(m for m in sample.members() if not m.is_me and not m.key_changed)
    return _dialog(SafetyNumberDialog(dataclasses.replace(member, verified=True)))


def _join_word_check() -> QWidget:
    dialog = JoinDialog(intro_templates(), _suggest)
    dialog.input.setText("7 ambr lantern")
    return _dialog(dialog)


def _support() -> QWidget:
    path = support_file()
    return _dialog(SupportDialog(support_entries(path=path), faq_markdown(), path))


SCENES: dict[str, Scene] = {
    "welcome": _welcome,
    "first-run": _first_run,
    "conversation": _conversation,
    "circle-panel": _circle_panel,
    "replies-reactions": _replies_reactions,
    "search": _search,
    "timeline-lines": _timeline_lines,
    "confirm-delete": _confirm_delete,
    "create-circle": _create_circle,
    "create-circle-anonymous": _create_circle_anonymous,
    "anonymous-composer": _anonymous_composer,
    "invite": _invite,
    "join": _join,
    "join-rules-pending": _join_rules_pending,
    "settings": _settings,
    "support": _support,
    "dm-request": _dm_request,
    "dm-request-dialog": _dm_request_dialog,
    "unlock-wrong-passphrase": _unlock_wrong,
    "invite-two-newcomers": _invite_two,
    "shortcuts": _shortcuts,
    "ephemeral": _ephemeral,
    "minimum-size": _minimum_size,
    "removed": _removed,
    "circle-settings": _circle_settings,
    "report-only-moderator": _report_only_moderator,
    "confirm-block": _confirm_block,
    "rules": _rules,
    "safety-verified": _safety_verified,
    "join-word-check": _join_word_check,
    **STATES,
}


def render_all(folder: Path, names: list[str] | None = None) -> list[Path]:
    app = make_application()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for theme in (ThemeChoice.LIGHT, ThemeChoice.DARK):
        apply_theme(app, theme)
        for name, scene in SCENES.items():
            if names and name not in names:
                continue
            widget = scene()
            widget.show()
            for _ in range(3):
                QApplication.processEvents()
            path = folder / f"{name}-{theme.value}.png"
            widget.grab().save(str(path))
            if isinstance(widget, MainWindow):
                widget.finish_quit()  # a window closes only through the quit path
            widget.close()
            widget.deleteLater()
            QApplication.processEvents()
            written.append(path)
    return written


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else Path("docs/screenshots")
    for path in render_all(folder, argv[1:] or None):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
