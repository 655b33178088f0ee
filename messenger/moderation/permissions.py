"""Who may do what in a circle's moderation, by the state derived from its events (:mod:`.derive`).

:func:`check_signer` judges an event that arrives by who signed it: the host may do anything but
remove or appoint itself; a member who was ever appointed a co-moderator may remove members (not
the host, not itself) and hide posts and set slow mode, but not what :data:`~.actions.HOST_ONLY`
lists; anybody else nothing. Refusals (:class:`~.errors.EventRejected`): ``not_moderator``,
``not_permitted``, ``bad_target``. (Whether a co-moderator's event falls inside its term is for
:func:`~.derive.derive`: such an event is stored but changes nothing.)

:func:`check_permitted` judges our own action before we sign it, by the state as it is now
(:class:`~.errors.NotPermitted`, with a reason the UI can show).
"""

from __future__ import annotations

from .actions import HOST_ONLY, Action, Admit, Appoint, Dismiss, Remove, Rotate
from .derive import MAX_MODERATORS, Derived
from .envelope import SignedEvent
from .errors import EventRejected, NotPermitted, Reason


def check_signer(host: bytes, derived: Derived, event: SignedEvent) -> None:
    """Raise :class:`EventRejected` unless ``event``'s actor may take its action at all."""
    action = event.action
    if event.actor == host:
        if isinstance(action, Remove | Appoint) and action.member == host:
            raise EventRejected(Reason.BAD_TARGET, "the host cannot be removed or appointed")
        return
    if event.actor not in derived.terms:
        raise EventRejected(Reason.NOT_MODERATOR)
    if action.kind in HOST_ONLY:
        raise EventRejected(Reason.NOT_PERMITTED, action.kind.name.lower())
    if isinstance(action, Remove) and action.member in (host, event.actor):
        raise EventRejected(Reason.BAD_TARGET, "a co-moderator cannot remove that member")


def check_permitted(host: bytes | None, derived: Derived, actor: bytes, action: Action) -> None:
    """Raise :class:`NotPermitted` unless ``actor`` may take ``action`` now."""
    if host is None:
        raise NotPermitted(Reason.NO_HOST, "nobody moderates the open lobby")
    if isinstance(action, Rotate):
        raise NotPermitted(Reason.NOT_PERMITTED, "rotations are made by rotate()")
    target = getattr(action, "member", None)
    moderators = derived.moderators
    if actor != host and actor not in moderators:
        raise NotPermitted(Reason.NOT_MODERATOR, "only the host and co-moderators moderate")
    if isinstance(action, Admit):
        if target in derived.admitted or target == host:
            raise NotPermitted(Reason.BAD_TARGET, "already a member")
        if action.member in derived.removed:
            raise NotPermitted(Reason.REMOVED, "that person was removed from this circle")
        return
    if actor != host and action.kind in HOST_ONLY:
        raise NotPermitted(Reason.NOT_PERMITTED, "only the host may do that")
    if target is not None:
        if target == host:
            raise NotPermitted(Reason.BAD_TARGET, "nobody can remove or appoint the host")
        if target in derived.removed:
            raise NotPermitted(Reason.BAD_TARGET, "that member was removed already")
    if (
        isinstance(action, Remove)
        and actor != host
        and (target == actor or action.member in moderators)
    ):
        raise NotPermitted(Reason.BAD_TARGET, "only the host removes co-moderators")
    if isinstance(action, Appoint):
        if action.member in moderators:
            raise NotPermitted(Reason.BAD_TARGET, "already a co-moderator")
        if len(moderators) >= MAX_MODERATORS:
            raise NotPermitted(Reason.TOO_MANY, f"at most {MAX_MODERATORS} co-moderators")
    if isinstance(action, Dismiss) and action.member not in moderators:
        raise NotPermitted(Reason.BAD_TARGET, "not a co-moderator")
