"""The moderation log between members (:mod:`.state`, :mod:`.wire`), for :mod:`.engine`.

A DIGEST on connect, the whole log to a peer whose digest differs, and every newly accepted event
passed on to every other linked member; each EVENTS message names (by key prefix) the members
known to have its events already, so they are not sent back. :func:`act` signs our own action
(after checking we may take it) and sends it everywhere. Links of a member an ADMIT lets in stop
pending (:func:`promote`): they carry the conversation, and the two sides exchange their logs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..conversation.events import Outgoing
from .actions import Action, Admit
from .context import Context, Result
from .effects import Effect, MemberAdmitted
from .envelope import SignedEvent, decode_event, sign_event
from .errors import EventError, NotPermitted, Reason
from .rotating import recheck
from .state import ModerationState
from .wire import PREFIX, Digest, Events, chunked, encode, prefixes


def digest_message(state: ModerationState) -> bytes:
    """The DIGEST of the events ``state`` holds."""
    return encode(Digest(state.digest(), len(state)))


def answer_digest(ctx: Context, member: bytes, digest: bytes) -> list[Outgoing]:
    """``member`` holds the events of ``digest``: our whole log, unless it is the same."""
    if digest == ctx.state.digest():
        return []
    blobs = [e.signed for e in ctx.state.events()]
    return [Outgoing(member, m) for m in chunked(Events, blobs)]


def ask_for_log(ctx: Context, member: bytes, digest: bytes, count: int) -> list[Outgoing]:
    """A newcomer not let in yet heard of ``count`` events it lacks: our DIGEST, so the
    member who sent it sends its log."""
    if digest == ctx.state.digest() or count <= len(ctx.state):
        return []
    return [Outgoing(member, digest_message(ctx.state))]


def take_events(
    ctx: Context, member: bytes, blobs: Sequence[bytes], now: int, also: Sequence[bytes] = ()
) -> Result:
    """An EVENTS message from ``member`` (naming ``also``)."""
    effects: list[Effect] = []
    events: list[SignedEvent] = []
    for blob in blobs:
        try:
            event = decode_event(blob)
        except EventError as exc:
            effects.append(ctx.drop(member, exc.reason, "event"))
            continue
        if event.id in ctx.state:
            ctx.stats[Reason.DUPLICATE] += 1
            continue
        events.append(event)
    return apply(ctx, events, now, effects, exclude=member, also=also)


def apply(
    ctx: Context,
    events: list[SignedEvent],
    now: int,
    effects: list[Effect],
    *,
    exclude: bytes | None,
    also: Sequence[bytes] = (),
) -> Result:
    """Apply ``events`` (from ``exclude``'s link, which named ``also``) and pass the ones
    accepted on to every linked member nobody named, naming them, myself and the sender."""
    named = set(also)
    targets = [
        k
        for k, p in ctx.links.items()
        if k != exclude and not p.pending and k[:PREFIX] not in named
    ]
    applied = ctx.state.apply_many(events, now)
    for event, error in applied.rejected:
        if error.reason is Reason.DUPLICATE:
            ctx.stats[Reason.DUPLICATE] += 1
        else:
            effects.append(ctx.drop(exclude or event.actor, error.reason, "event"))
    if applied.accepted:
        ctx.dirty = True
    effects += applied.effects
    blobs = [e.signed for e in applied.accepted]
    out: list[Outgoing] = []
    if blobs and targets:
        senders = [ctx.me_key, *([exclude] if exclude is not None else [])]
        names = sorted(named | set(prefixes([*targets, *senders])))
        out = [Outgoing(p, m) for m in chunked(Events, blobs, names) for p in targets]
    return out + promote(ctx, applied.effects), effects + recheck(ctx)


def promote(ctx: Context, effects: Iterable[Effect]) -> list[Outgoing]:
    """Links of members just admitted stop pending: they carry the conversation (at the
    current epoch). The moderator whose ADMIT let the newcomer in sends it the whole log (the
    newcomer could not take anything before); every other member sends a DIGEST (a newcomer
    that lacks what they hold answers with its own, :func:`ask_for_log`, and they send their
    log), so a newcomer receives the log about once, not from each member (issue 18: forming
    a circle cost O(N) logs per member joined). A newcomer just admitted itself, whose pending links
    were to members already in, sends a DIGEST too, not its whole log to each of them."""
    out: list[Outgoing] = []
    newcomer = any(isinstance(e, MemberAdmitted) and e.is_me for e in effects)
    admitted_by_me: set[bytes] | None = None
    for effect in effects:
        if not isinstance(effect, MemberAdmitted):
            continue
        link = ctx.links.get(effect.member)
        if link is None or not link.pending:
            continue
        link.pending = False
        link.handover_only = link.epoch != ctx.circle.epoch
        if admitted_by_me is None:
            admitted_by_me = set() if newcomer else _admitted_by(ctx, ctx.me_key)
        if effect.member in admitted_by_me:
            blobs = [e.signed for e in ctx.state.events()]
            out += [Outgoing(effect.member, m) for m in chunked(Events, blobs)]
        out.append(Outgoing(effect.member, digest_message(ctx.state)))
    return out


def _admitted_by(ctx: Context, actor: bytes) -> set[bytes]:
    """The members whose ADMIT ``actor`` signed."""
    return {
        e.action.member
        for e in ctx.state.events()
        if e.actor == actor and isinstance(e.action, Admit)
    }


def act(ctx: Context, action: Action, now: int) -> Result:
    """Sign and apply our moderation ``action`` and send it to every linked member (raises
    :class:`~.errors.NotPermitted`)."""
    me = ctx.me_key
    ctx.state.check_permitted(me, action)
    complete = ctx.state.complete(action)
    event = sign_event(ctx.me, ctx.state.next_seq(me), now, complete)
    targets = [k for k, p in ctx.links.items() if not p.pending]
    applied = ctx.state.apply_many([event], now)
    if applied.rejected:
        error = applied.rejected[0][1]
        raise NotPermitted(error.reason, error.detail)
    ctx.dirty = True
    names = prefixes([me, *targets])
    out = [Outgoing(p, encode(Events((event.signed,), names))) for p in targets]
    return out + promote(ctx, applied.effects), list(applied.effects)
