"""What the moderation core hands back to the facade: frozen dataclasses to act on.

State effects come from comparing the circle's moderation state before and after new events
(:func:`changes`, called by :mod:`.state`), so they say what changed, not what was asked: an
event that changes nothing yields nothing. Keys are members' Ed25519 keys in the circle.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..circle import Circle
from .derive import Derived
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
    only as :meth:`~.grace.RotationKeeper.bindings` says)."""

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


# -- what changed ------------------------------------------------------------------------------
def changes(
    old: Derived, new: Derived, *, me: bytes | None, base_slow_mode: int
) -> tuple[Effect, ...]:
    """The state effects of going from ``old`` to ``new`` (``me``: our member key, to mark what
    concerns us; ``base_slow_mode``: the circle's own setting, when no event sets one)."""
    out: list[Effect] = []
    for key in sorted(set(new.admitted) - set(old.admitted)):
        out.append(MemberAdmitted(key, new.admitted[key], is_me=key == me))
    for key in sorted(set(new.removed) - set(old.removed)):
        out.append(MemberRemoved(key, new.removed[key], is_me=key == me))
    out += [MemberRestored(k) for k in sorted(set(old.removed) - set(new.removed))]
    for key in sorted(new.moderators - old.moderators):
        out.append(ModeratorAppointed(key, is_me=key == me))
    for key in sorted(old.moderators - new.moderators):
        out.append(ModeratorDismissed(key, is_me=key == me))
    out += [PostHidden(p) for p in sorted(new.hidden - old.hidden)]
    out += [PostUnhidden(p) for p in sorted(old.hidden - new.hidden)]
    if new.slow_mode != old.slow_mode:
        seconds = base_slow_mode if new.slow_mode is None else new.slow_mode
        out.append(SlowModeChanged(seconds))
    if new.closed != old.closed:
        out.append(CircleClosed() if new.closed else CircleReopened())
    if new.epoch != old.epoch:
        out.append(RotationAnnounced(new.epoch))
    if new.rotation_due and not old.rotation_due:
        out.append(RotationDue())
    return tuple(out)
