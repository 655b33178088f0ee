"""What acts on posts do when they arrive (or when I make one): on the database thread,
:func:`settle` applies them; on the loop, :func:`decorate` and :func:`announce` show them.

An act is a version-2 envelope in its author's own sequence (:mod:`.conversation.envelope`), so
it spreads, catches up and is ordered like a post, and the engine has already checked that its
author is a member and its signature good. What it then does:

- a **reaction** counts once per (member, reaction) for the post it names;
- a **retraction** deletes the post it names when that post has the same author key: its row,
  its words in the search index (FTS5 secure-delete) and the freed pages. A retraction by anyone
  else is refused (logged, counted, nothing deleted); so is one of an anonymous post, whose author
  must never be tied to it by key (a moderator hides those). The retraction itself stays, carrying
  no text: a copy of the post that arrives later (from a member who had not heard) is deleted on
  arrival. Retracting my reaction takes it back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from .conversation import ConversationEvent, PostReceived, SignedPost
from .conversation.envelope import REACT, REACTIONS, RETRACT
from .conversation.records import post_from_record
from .events import Event, PostRetractedEvent, ReactionsEvent
from .presenting import post_view
from .runtime import CircleRuntime
from .storage import PostRecord, Store
from .views import PostView, QuoteView, ReactionView

log = logging.getLogger(__name__)

QUOTE_CHARS = 280  # of the answered post, shown above a reply


@dataclass
class Settled:
    """What a step's received posts did here (computed on the database thread)."""

    shown: list[ConversationEvent]  # the events to show: acts and deleted posts taken out
    quoted: dict[bytes, SignedPost | None] = field(default_factory=dict)  # None: deleted
    reactions: dict[bytes, tuple[ReactionView, ...]] = field(default_factory=dict)
    retracted: list[bytes] = field(default_factory=list)
    deleted: list[bytes] = field(default_factory=list)  # every post this step deleted here
    refused: int = 0


# -- on the database thread ------------------------------------------------------------------
Members = Callable[[bytes], bool]
"""Who counts as a member for reactions (the roster's members and me, none removed)."""


def members_of(rt: CircleRuntime) -> Members:
    """Members whose reactions count: known by a signed roster entry (or me), not removed
    (holding the circle's key is not enough)."""
    me = rt.membership.member_key
    return lambda key: rt.mod.is_member(key) and (key == me or key in rt.roster)


def note_retractions(posts: Iterable[SignedPost], retracted: set[tuple[bytes, bytes]]) -> None:
    """Remember the posts ``posts``' retractions name (on the loop, as they arrive or are made):
    a copy of one that comes later is then known to need settling (deleting)."""
    for post in posts:
        env = post.envelope
        if env.kind == RETRACT and env.reply_to is not None:
            retracted.add((env.reply_to, env.author_key))


def needs_settling(
    events: Sequence[ConversationEvent], retracted: set[tuple[bytes, bytes]]
) -> bool:
    """Whether :func:`settle` has work for ``events`` on the database thread: an act to apply,
    a quote to look up, or a post its author retracted before it reached us. Plain posts
    (most of them) are shown as they are."""
    for event in events:
        if isinstance(event, PostReceived):
            env = event.post.envelope
            if env.is_act or env.reply_to is not None:
                return True
            if (event.post.id, env.author_key) in retracted and not env.anonymous:
                return True
    return False


def settle(
    db: Store,
    circle_id: bytes,
    me: bytes,
    events: Sequence[ConversationEvent],
    member: Members = lambda _key: True,
) -> Settled:
    """Apply the acts among ``events``' received posts; take out what must not be shown."""
    received = [e.post for e in events if isinstance(e, PostReceived)]
    if not received:
        return Settled(list(events))
    dead = _already_retracted(db, circle_id, received)
    for pid in dead:
        db.retract_post(pid)
    settled = Settled([], deleted=list(dead))
    apply(db, circle_id, me, [p for p in received if p.id not in dead], settled, member)
    settled.shown = [
        e
        for e in events
        if not isinstance(e, PostReceived)
        or not (e.post.envelope.is_act or e.post.id in dead or e.post.id in settled.retracted)
    ]
    replies = [e.post.envelope.reply_to for e in settled.shown if isinstance(e, PostReceived)]
    settled.quoted = quoted(db, circle_id, [r for r in replies if r is not None])
    return settled


def apply(
    db: Store,
    circle_id: bytes,
    me: bytes,
    posts: Sequence[SignedPost],
    out: Settled,
    member: Members = lambda _key: True,
) -> None:
    changed: set[bytes] = set()
    for post in posts:
        env = post.envelope
        if env.kind == REACT and env.reply_to is not None:
            changed.add(env.reply_to)
        elif env.kind == RETRACT and env.reply_to is not None:
            target = db.get_post(env.reply_to)
            if target is None or target.circle_id != circle_id:
                continue  # not here (yet, or any more): the retraction stays as a tombstone
            why = refusal(target, env.author_key)
            if why:
                out.refused += 1
                log.info("refused a retraction: %s", why)
                continue
            db.retract_post(target.id)
            out.deleted.append(target.id)
            if target.kind == REACT and target.reply_to is not None:
                changed.add(target.reply_to)
            else:
                out.retracted.append(target.id)
    for target_id in changed:
        found = reactions_on(db, circle_id, [target_id], me, member)
        out.reactions[target_id] = found.get(target_id, ())


def refusal(target: PostRecord, retractor: bytes) -> str:
    if target.author_key != retractor:
        return "only a post's author can delete it"
    if target.kind == RETRACT:
        return "a retraction cannot be taken back"
    if post_from_record(target).envelope.anonymous:
        return "an anonymous post cannot be deleted by its author's key"
    return ""


def _already_retracted(db: Store, circle_id: bytes, posts: Sequence[SignedPost]) -> set[bytes]:
    """The posts among ``posts`` whose own author retracted them in an earlier step (a copy that
    reached us late): those of this step are applied in order by :func:`apply`."""
    batch = {p.id for p in posts}
    authors = {p.id: p.author_key for p in posts if not p.envelope.anonymous}
    return {
        act.reply_to
        for act in db.acts_on(circle_id, authors)
        if act.kind == RETRACT
        and act.id not in batch
        and act.reply_to is not None
        and authors.get(act.reply_to) == act.author_key
    }


def reactions_on(
    db: Store,
    circle_id: bytes,
    targets: Iterable[bytes],
    me: bytes,
    member: Members = lambda _key: True,
) -> dict[bytes, tuple[ReactionView, ...]]:
    """The reactions on each of ``targets``: each member counted once per reaction."""
    given: dict[bytes, dict[str, set[bytes]]] = {}
    for act in db.acts_on(circle_id, targets):
        if (
            act.kind == REACT
            and act.reply_to is not None
            and act.body in REACTIONS
            and member(act.author_key)
        ):
            given.setdefault(act.reply_to, {}).setdefault(act.body, set()).add(act.author_key)
    return {
        target: tuple(
            ReactionView(name, len(by[name]), me in by[name]) for name in REACTIONS if name in by
        )
        for target, by in given.items()
    }


def quoted(db: Store, circle_id: bytes, ids: Iterable[bytes]) -> dict[bytes, SignedPost | None]:
    """The posts replies answer: each one here, or None when its author deleted it (ids that
    are neither are left out: older than this device's history)."""
    wanted = list(dict.fromkeys(ids))
    found: dict[bytes, SignedPost | None] = {}
    for pid in wanted:
        record = db.get_post(pid)
        if record is not None and record.circle_id == circle_id and not record.kind:
            found[pid] = post_from_record(record)
    missing = [pid for pid in wanted if pid not in found]
    for act in db.acts_on(circle_id, missing):
        if act.kind == RETRACT and act.reply_to is not None:
            found[act.reply_to] = None
    return found


# -- on the loop -----------------------------------------------------------------------------
def decorate(rt: CircleRuntime, view: PostView, settled: Settled) -> PostView:
    """A post's view with the answered post above it and its reactions."""
    quote = None
    if view.reply_to is not None and view.reply_to in settled.quoted:
        quote = quote_view(rt, view.reply_to, settled.quoted[view.reply_to])
    reactions = settled.reactions.get(view.id, view.reactions)
    if quote is None and reactions == view.reactions:
        return view
    return replace(view, quote=quote or view.quote, reactions=reactions)


def quote_view(rt: CircleRuntime, target_id: bytes, target: SignedPost | None) -> QuoteView:
    if target is None:
        return QuoteView(target_id, "", "", deleted=True)
    shown = post_view(rt, target)
    if shown.hidden:
        return QuoteView(target_id, "", "", hidden=True)
    return QuoteView(target_id, shown.author, shown.body[:QUOTE_CHARS])


def announce(emit: Callable[[Event], None], circle_id: bytes, settled: Settled) -> None:
    """Tell the front ends what acts did: reaction counts, deleted posts."""
    for target, reactions in settled.reactions.items():
        emit(ReactionsEvent(circle_id, target, reactions))
    for pid in settled.retracted:
        emit(PostRetractedEvent(circle_id, pid))
