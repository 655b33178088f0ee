"""Rotation in the engine (:mod:`.engine`): the new secret made, handed over and passed on.

:func:`rotate` (the host, or a co-moderator after its own removal) makes the new secret, the
ROTATE event and the hand-overs, sealed to the *certified* members only (:mod:`.rotation`), and
sends every hand-over to every linked remaining member, who keeps them to pass on
(:mod:`.grace`); a member opens its own (:class:`~.effects.SecretRotated`), and one who links at
an old epoch gets its hand-over and nothing else (:func:`pass_handovers`). Live links to members
who remain are carried over to the new epoch (:func:`carry_over`), as long as the rotation that
counts was sealed to them (:func:`recheck`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from ..conversation.events import Outgoing
from .context import Context, Result
from .effects import BindingsChanged, Effect, SecretRotated, StaleLink
from .errors import NotPermitted, Reason, RotationError
from .rotation import Handover, decode_handover, open_handover, plan_rotation
from .wire import Events, Handovers, chunked, decode, encode, prefixes


def rotate(ctx: Context, now: int, new_secret: bytes | None = None) -> Result:
    """Give the circle a new secret and hand it to each certified member not removed (see
    :meth:`~.engine.CircleModeration.rotate`)."""
    state, me = ctx.state, ctx.me_key
    if not state.is_moderator(me):
        raise NotPermitted(Reason.NOT_PERMITTED, "only moderators rotate the secret")
    recipients = sorted(state.certified())
    try:
        rotation = plan_rotation(
            ctx.me,
            ctx.circle,
            recipients=recipients,
            seq=state.next_seq(me),
            now=now,
            min_epoch=state.epoch,
            new_secret=new_secret,
        )
    except RotationError as exc:
        raise NotPermitted(exc.reason, exc.detail) from None
    applied = state.apply_many([rotation.event], now)
    if applied.rejected:
        error = applied.rejected[0][1]
        raise NotPermitted(error.reason, error.detail)
    ctx.keeper.advance(ctx.circle, now)
    ctx.keeper.hold(rotation.handovers)
    ctx.circle = rotation.circle
    ctx.dirty = True
    out: list[Outgoing] = []
    blobs = [h.signed for h in rotation.handovers]
    told = [key for key in ctx.links if state.is_member(key)]
    names = prefixes([me, *told])
    for key in told:
        out.append(Outgoing(key, encode(Events((rotation.event.signed,), names))))
        out += [Outgoing(key, m) for m in chunked(Handovers, blobs)]
    carry_over(ctx, rotation.circle.epoch)
    return out, [SecretRotated(rotation.circle), *applied.effects, BindingsChanged()]


def merged(first: list[Outgoing], second: list[Outgoing]) -> list[Outgoing]:
    """Two results' messages with each peer's EVENTS joined into one (a removal and its
    rotation arrive together, so no member sees the removal alone and rotates as well)."""
    events: dict[bytes, list[bytes]] = {}
    also: dict[bytes, set[bytes]] = {}
    rest: list[Outgoing] = []
    for item in [*first, *second]:
        msg = decode(item.data)
        if isinstance(msg, Events):
            events.setdefault(item.peer, []).extend(msg.events)
            also.setdefault(item.peer, set()).update(msg.also)
        else:
            rest.append(item)
    joined = [
        Outgoing(p, m)
        for p, blobs in events.items()
        for m in chunked(Events, blobs, sorted(also[p]))
    ]
    return joined + rest


def take_handovers(ctx: Context, member: bytes, blobs: Sequence[bytes], now: int) -> Result:
    """A HANDOVERS message from ``member``: open ours, keep the others to pass on."""
    out: list[Outgoing] = []
    effects: list[Effect] = []
    others: list[Handover] = []
    promoted: set[bytes] = set()
    state, me = ctx.state, ctx.me_key
    for blob in blobs:
        try:
            handover = decode_handover(blob, signers(ctx))
            if handover.circle_id != ctx.circle.circle_id:
                raise RotationError(Reason.WRONG_CIRCLE)
        except RotationError as exc:
            effects.append(ctx.drop(member, exc.reason, "handover"))
            continue
        if handover.recipient == me:
            circle = ctx.circle
            same = handover.epoch == circle.epoch and handover.signer == state.rotator
            if handover.epoch < circle.epoch or (handover.epoch == circle.epoch and not same):
                ctx.stats[Reason.STALE_EPOCH] += 1
                continue
            try:
                base = replace(circle, epoch=handover.epoch - 1) if same else circle
                rotated = open_handover(handover, ctx.me, base)
            except RotationError as exc:
                effects.append(ctx.drop(member, exc.reason, "handover"))
                continue
            if rotated.secret == circle.secret:
                continue  # the rotation that counts is the one we hold
            if not same:
                ctx.keeper.advance(circle, now)
            ctx.circle = rotated
            ctx.dirty = True
            effects.append(SecretRotated(rotated))
            promoted |= carry_over(ctx, rotated.epoch)
        elif state.is_member(handover.recipient):
            others.append(handover)
    if state.is_member(me):
        held = ctx.keeper.hold(others)
        if held:
            ctx.dirty = True
    out += pass_handovers(ctx, exclude=member, also=promoted)
    if any(isinstance(e, SecretRotated) for e in effects):
        ctx.keeper.expire(now)
        effects.append(BindingsChanged())
    return out, effects + recheck(ctx)


def carry_over(ctx: Context, epoch: int) -> set[bytes]:
    """We moved to ``epoch``: live links to members who are still members keep carrying
    the conversation (they were authenticated by their keys; the secret only guards new
    handshakes), now counted at ``epoch``; any other link at an older epoch is for
    hand-overs only. Returns the members whose links were carried over."""
    carried = set()
    for key, link in ctx.links.items():
        if link.epoch >= epoch:
            continue
        if link.handover_only or not ctx.state.is_member(key):
            link.handover_only = True
        else:
            link.epoch = epoch
            link.carried = True
            carried.add(key)
    return carried


def recheck(ctx: Context) -> list[Effect]:
    """Links carried over a rotation keep the conversation only for members the rotation
    that counts was sealed to (or its maker): a link carried before we knew whom it was
    sealed to (say, an identity we let in while away, after a removal we had not heard
    of) is cut here."""
    state = ctx.state
    if state.epoch != ctx.circle.epoch or state.rotator is None:
        return []
    allowed = state.rotation_recipients | {state.rotator}
    out: list[Effect] = []
    for key, link in ctx.links.items():
        if link.carried and not link.handover_only and key not in allowed:
            link.handover_only = True
            out.append(StaleLink(key))
    return out


def signers(ctx: Context) -> set[bytes]:
    """Who may sign a hand-over: the host and whoever was ever a co-moderator."""
    host = ctx.circle.host_key
    return set() if host is None else {host, *ctx.state.derived.terms}


def pass_handovers(
    ctx: Context, *, exclude: bytes | None, also: Iterable[bytes] = ()
) -> list[Outgoing]:
    """Each linked member still at an old epoch (or carried over to the new one, in
    ``also``) gets its own hand-over, if we hold it."""
    out = []
    carried = set(also)
    for key, link in ctx.links.items():
        if key == exclude or (link.epoch >= ctx.circle.epoch and key not in carried):
            continue
        handover = ctx.keeper.handover_for(key)
        if handover is not None and handover.epoch == ctx.circle.epoch:
            out.append(Outgoing(key, encode(Handovers((handover.signed,)))))
    return out
