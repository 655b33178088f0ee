"""Typed requests the widgets emit (beside plain signal arguments) and the moderation queue's rows.

The controller turns these into calls on the :class:`~messenger.facade.Messenger`; the widgets
never call the core themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from messenger.views import MemberView, PostView


@dataclass(frozen=True)
class FirstRunChoice:
    """What the person chose on first run: a protected profile or an ephemeral session."""

    ephemeral: bool
    passphrase: str  # "" when ephemeral
    pseudonym: str  # the name to suggest for the first circle

    def __repr__(self) -> str:  # never show a passphrase in a log or a traceback
        return f"FirstRunChoice(ephemeral={self.ephemeral}, pseudonym={self.pseudonym!r})"


class ReportReason(Enum):
    HARASSMENT = "harassment"
    HATE = "hate"
    THREAT = "threat"
    SELF_HARM = "self_harm"  # someone may be at risk: moderators can reach out
    SPAM = "spam"
    PRIVACY = "privacy"  # shared someone's private information
    OTHER = "other"


@dataclass(frozen=True)
class ReportRequest:
    circle_id: bytes
    member_key: bytes
    post_id: bytes | None
    reason: ReportReason
    details: str
    anonymous: bool  # hide who reported from the moderators


@dataclass(frozen=True)
class ModerationReport:
    """A report waiting for a moderator: who was reported, why, and the post as evidence."""

    id: str
    circle_id: bytes
    member: MemberView
    reason: ReportReason
    details: str
    reporter: str  # pseudonym, or "" when reported anonymously
    ts: float
    post: PostView | None = None
