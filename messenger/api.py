"""The contract between the core and its front ends (the desktop app, the headless peer):
the :class:`Messenger` they drive, the events it emits, the views it returns and the errors it
raises. Front ends import from here; everything else in :mod:`messenger` is the core's own.

Events are frozen dataclasses with a stable JSON ``name`` (``docs/HEADLESS.md``); views are
frozen snapshots; every error is a :class:`HearthError` with a stable ``code``.
"""

from __future__ import annotations

from .acting import ActRefused
from .errors import HearthError
from .events import (
    Bye,
    CircleEvent,
    CirclesChanged,
    CodeClosedEvent,
    CodeEvent,
    DmEvent,
    DmRequestEvent,
    DmSentEvent,
    DmStateEvent,
    ErrorEvent,
    Event,
    Info,
    JoinRequestEvent,
    KeyChangedEvent,
    Listing,
    MemberLeftEvent,
    MemberRemovedEvent,
    PeerConnectedEvent,
    PeerLostEvent,
    PostEvent,
    PostHiddenEvent,
    PostRetractedEvent,
    ReactionsEvent,
    Ready,
    ReportEvent,
    RulesEvent,
    TypingEvent,
    WrongCodeEvent,
)
from .facade import Messenger, NotAllowed, NotFound, NotRunning, StartError
from .invite_link import InviteLinkError, looks_like_link
from .invite_link import parse as parse_invite_link
from .joining import JoinByCodeError, JoinRefused, NoInvitation, WrongCode
from .moderating import CircleIsClosed, ModerationRefused, RemovedFromCircle, SlowModeActive
from .moderation import ReportReason
from .profile_open import PassphraseRequired
from .views import (
    REACTION_LABELS,
    CircleSettingsView,
    CircleView,
    DeliveryState,
    DirectMessageView,
    DirectThreadView,
    DmPolicy,
    JoinCodeView,
    JoinRequestView,
    MemberView,
    PostView,
    QuoteView,
    ReactionView,
    ReportView,
    Retention,
    Role,
)

__all__ = [
    "REACTION_LABELS",
    "ActRefused",
    "Bye",
    "CircleEvent",
    "CircleIsClosed",
    "CircleSettingsView",
    "CircleView",
    "CirclesChanged",
    "CodeClosedEvent",
    "CodeEvent",
    "DeliveryState",
    "DirectMessageView",
    "DirectThreadView",
    "DmEvent",
    "DmPolicy",
    "DmRequestEvent",
    "DmSentEvent",
    "DmStateEvent",
    "ErrorEvent",
    "Event",
    "HearthError",
    "Info",
    "InviteLinkError",
    "JoinByCodeError",
    "JoinCodeView",
    "JoinRefused",
    "JoinRequestEvent",
    "JoinRequestView",
    "KeyChangedEvent",
    "Listing",
    "MemberLeftEvent",
    "MemberRemovedEvent",
    "MemberView",
    "Messenger",
    "ModerationRefused",
    "NoInvitation",
    "NotAllowed",
    "NotFound",
    "NotRunning",
    "PassphraseRequired",
    "PeerConnectedEvent",
    "PeerLostEvent",
    "PostEvent",
    "PostHiddenEvent",
    "PostRetractedEvent",
    "PostView",
    "QuoteView",
    "ReactionView",
    "ReactionsEvent",
    "Ready",
    "RemovedFromCircle",
    "ReportEvent",
    "ReportReason",
    "ReportView",
    "Retention",
    "Role",
    "RulesEvent",
    "SlowModeActive",
    "StartError",
    "TypingEvent",
    "WrongCode",
    "WrongCodeEvent",
    "looks_like_link",
    "parse_invite_link",
]
