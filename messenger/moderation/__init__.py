"""Moderation and personal safety, sans-IO.

- :mod:`.envelope`, :mod:`.actions` — signed moderation events (remove, appoint, dismiss, hide,
  slow mode, close, rotate, admit);
- :mod:`.state`, :mod:`.derive` — one circle's moderation state, derived from the events the same
  way by every member;
- :mod:`.permissions` — who may take which action;
- :mod:`.rotation`, :mod:`.grace` — the new secret after a removal, sealed to each remaining
  member, and the grace period for members who were away;
- :mod:`.reports`, :mod:`.report_queue` — reports sealed to the moderators, anonymous or signed,
  and a moderator's queue;
- :mod:`.personal`, :mod:`.boundaries` — block, mute, boundaries, content warnings;
- :mod:`.flood` — strikes, cool-downs and a notice for the host;
- :mod:`.engine` — :class:`CircleModeration`, the per-circle object the facade drives, on
  ``Lane.MODERATION`` (:mod:`.wire`).
"""

from .actions import (
    Action,
    ActionKind,
    Admit,
    Appoint,
    Close,
    Dismiss,
    Hide,
    Remove,
    Rotate,
    SlowMode,
)
from .boundaries import BoundaryMatcher, compile_boundaries, matches_boundaries
from .context import EngineLimits
from .effects import (
    BindingsChanged,
    CircleClosed,
    CircleReopened,
    Dropped,
    Effect,
    FloodDisconnect,
    HostNotice,
    MemberAdmitted,
    MemberRemoved,
    MemberRestored,
    ModeratorAppointed,
    ModeratorDismissed,
    PostHidden,
    PostUnhidden,
    ReportDelivered,
    ReportReceived,
    RotationAnnounced,
    RotationDue,
    SecretRotated,
    SlowModeChanged,
    StaleLink,
)
from .engine import CircleModeration
from .envelope import SignedEvent, decode_event, sign_event
from .errors import (
    EventError,
    EventRejected,
    ModerationError,
    NotPermitted,
    PersonalError,
    Reason,
    ReportError,
    RotationError,
    StateError,
    WireError,
)
from .flood import FloodGuard, FloodPolicy
from .grace import EpochBinding, LinkDecision, LinkKind, RotationKeeper
from .personal import PersonalSettings, Shown, Visibility, should_notify, should_show
from .report_queue import QueuedReport, ReportQueue, ReportStatus
from .reports import OpenedReport, ReportReason, SealedReport, make_report, open_report
from .rotation import Handover, decode_handover, make_handover, open_handover, plan_rotation
from .state import ModerationLimits, ModerationState

__all__ = [
    "Action",
    "ActionKind",
    "Admit",
    "Appoint",
    "BindingsChanged",
    "BoundaryMatcher",
    "CircleClosed",
    "CircleModeration",
    "CircleReopened",
    "Close",
    "Dismiss",
    "Dropped",
    "Effect",
    "EngineLimits",
    "EpochBinding",
    "EventError",
    "EventRejected",
    "FloodDisconnect",
    "FloodGuard",
    "FloodPolicy",
    "Handover",
    "Hide",
    "HostNotice",
    "LinkDecision",
    "LinkKind",
    "MemberAdmitted",
    "MemberRemoved",
    "MemberRestored",
    "ModerationError",
    "ModerationLimits",
    "ModerationState",
    "ModeratorAppointed",
    "ModeratorDismissed",
    "NotPermitted",
    "OpenedReport",
    "PersonalError",
    "PersonalSettings",
    "PostHidden",
    "PostUnhidden",
    "QueuedReport",
    "Reason",
    "Remove",
    "ReportDelivered",
    "ReportError",
    "ReportQueue",
    "ReportReason",
    "ReportReceived",
    "ReportStatus",
    "Rotate",
    "RotationAnnounced",
    "RotationDue",
    "RotationError",
    "RotationKeeper",
    "SealedReport",
    "SecretRotated",
    "Shown",
    "SignedEvent",
    "SlowMode",
    "SlowModeChanged",
    "StaleLink",
    "StateError",
    "Visibility",
    "WireError",
    "compile_boundaries",
    "decode_event",
    "decode_handover",
    "make_handover",
    "make_report",
    "matches_boundaries",
    "open_handover",
    "open_report",
    "plan_rotation",
    "should_notify",
    "should_show",
    "sign_event",
]
