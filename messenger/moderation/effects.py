"""What the moderation core hands back to the facade: frozen dataclasses to act on.

State effects come from comparing the circle's moderation state before and after new events
(:mod:`.state`), so they say what changed, not what was asked: an event that changes nothing
yields nothing. Keys are members' Ed25519 keys in the circle.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..circle import Circle
from .errors import Reason
from .reports import OpenedReport


@dataclass(frozen=True)
class Effect:
    """Base of the moderation core's effects."""


# -- the circle's moderation state --------------------------------------------------------------
@dataclass(frozen=True)
class MemberRemoved(Effect):
    """Refuse the member's links (disconnect now), hide their posts, refuse their DMs.
    ``is_me``: we were removed — tell the person and stop using the circle."""

    member: bytes
    by: bytes
    is_me: bool = False


@dataclass(frozen=True)
class MemberAdmitted(Effect):
    """A moderator certified the member (an ADMIT): their links now carry the conversation,
    their roster entry counts, they receive the next rotation. ``is_me``: I was let in."""

    member: bytes
    pseudonym: str
    is_me: bool = False


@dataclass(frozen=True)
class MemberRestored(Effect):
    """A removal no longer holds (it came from a co-moderator whose term, as we now learn,
    had ended). Rare; show the member's posts again."""

    member: bytes


@dataclass(frozen=True)
class ModeratorAppointed(Effect):
    member: bytes
    is_me: bool = False


@dataclass(frozen=True)
class ModeratorDismissed(Effect):
    member: bytes
    is_me: bool = False


@dataclass(frozen=True)
class PostHidden(Effect):
    """Hide the post for everyone here (``store.set_post_hidden``)."""

    post_id: bytes


@dataclass(frozen=True)
class PostUnhidden(Effect):
    post_id: bytes


@dataclass(frozen=True)
class SlowModeChanged(Effect):
    seconds: int


@dataclass(frozen=True)
class CircleClosed(Effect):
    """The host closed the circle: no more posting; history stays readable."""


@dataclass(frozen=True)
class CircleReopened(Effect):
    """A close no longer holds (the host's event log was inconsistent). Rare."""


@dataclass(frozen=True)
class RotationAnnounced(Effect):
    """The host moved the circle to ``epoch``; the secret itself comes in a hand-over."""

    epoch: int


@dataclass(frozen=True)
class RotationDue(Effect):
    """(For the host.) A removed member still holds the current secret: rotate it now
    (:meth:`~.engine.CircleModeration.rotate`)."""


# -- rotation ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class SecretRotated(Effect):
    """We hold the circle's new secret: save ``circle``, then bind it (and keep the old epoch
    only as :meth:`~.rotation.RotationKeeper.bindings` says)."""

    circle: Circle


@dataclass(frozen=True)
class BindingsChanged(Effect):
    """The epochs to bind the circle at changed (an old one expired): bind
    :meth:`~.engine.CircleModeration.bindings` again."""


# -- reports -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReportReceived(Effect):
    """(For moderators.) A report for the moderation queue."""

    report: OpenedReport


@dataclass(frozen=True)
class ReportDelivered(Effect):
    """(For the reporter.) Our report reached a moderator's client."""

    report_id: bytes


# -- refusals and flooding ---------------------------------------------------------------------
@dataclass(frozen=True)
class Dropped(Effect):
    """Input from ``peer`` refused for ``reason`` (counted; never shown; never carries text)."""

    peer: bytes
    reason: Reason
    what: str  # "message", "event", "handover" or "report"


@dataclass(frozen=True)
class StaleLink(Effect):
    """Close the link to ``member``: carried over a rotation that was not sealed to them."""

    member: bytes


@dataclass(frozen=True)
class FloodDisconnect(Effect):
    """Disconnect ``peer`` and refuse it until ``until`` (ms): offence number ``offence``."""

    peer: bytes
    until: int
    offence: int


@dataclass(frozen=True)
class HostNotice(Effect):
    """Tell the host (and co-moderators) that ``peer`` was cut off for flooding: if we are a
    moderator, show it; otherwise send :meth:`~.engine.CircleModeration.notify_moderators`."""

    peer: bytes
    offence: int
    until: int
