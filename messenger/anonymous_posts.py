"""The anonymous posts one circle holds, for its anonymous lane
(:class:`~messenger.anonymity.AnonymousLane`; docs/ANONYMITY.md).

- :func:`ring` (:meth:`CircleRuntime.ring`) is the one place that says who is in the ring and in
  the rounds: the circle's current roster, removed members left out (to become the certified
  roster when it exists).
- :class:`AnonymousPosts` takes a post a round released, or one a member caught me up with:
  checked against the ring and the per-window budget, stored by id, shown with no author.
- On link up each side sends the ids of the anonymous posts it holds (``HAVE``); the other pushes
  what is missing (``POSTS``). A post of mine enters the catch-up set only once a round released
  it, so nothing of mine ever leaves over my own link before it is everyone's.
- A moderator's cut-off refuses the rest of a window's posts with one linkage tag (its author's,
  whoever that is); cut-offs in force are passed on to every link.
- :func:`named` refuses "the author of an anonymous post" as a key to DM, block or report.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Protocol

from network.node import PeerKey

from . import presenting
from .anonymous import AnonymousBudget, BudgetVerdict, RingSignatureError, cutoff, window_of, wire
from .conversation.anon_envelope import (
    ANONYMOUS_AUTHOR,
    check_anonymous_post,
    decode_anonymous_post,
)
from .conversation.errors import DropReason, EnvelopeError
from .conversation.records import post_from_record, post_to_record
from .errors import HearthError
from .events import Event, PostEvent
from .outputs import Outputs
from .runtime import CircleRuntime
from .storage import Store

log = logging.getLogger(__name__)

MIN_RING = 3


def ring(rt: CircleRuntime) -> list[bytes]:
    """The ring and the rounds' crowd: :meth:`CircleRuntime.ring` (the current roster)."""
    return rt.ring()


class NobodyToName(HearthError):
    code = "not_found"


def named(who: bytes) -> bytes:
    """A member key a front end passed (to DM, block, mute, report ...): never "the author of
    an anonymous post", whose view carries an empty key."""
    if len(who) != 32 or who == ANONYMOUS_AUTHOR:
        raise NobodyToName("an anonymous post names nobody: you can only hide it")
    return who


class PostsPort(Protocol):
    """What the anonymous posts need of their circle's session."""

    rt: CircleRuntime
    now_ms: Callable[[], int]

    @property
    def out(self) -> Outputs: ...
    def emit(self, event: Event) -> None: ...
    def send_anonymous(self, peer: PeerKey, body: bytes) -> None: ...


class AnonymousPosts:
    """One circle's anonymous posts and cut-offs. ``budget`` is the lane's: the cut-offs I
    learn are the ones my own posts are checked against before they are sent. ``known``: the
    ids of the anonymous posts kept (read when the session was made)."""

    def __init__(self, session: PostsPort, budget: AnonymousBudget, known: set[bytes]) -> None:
        self.session = session
        self.budget = budget
        self.mine: set[bytes] = set()  # ids of my own posts, shown as mine once released
        self._known = known
        self._cuts: dict[tuple[int, bytes], cutoff.CutOff] = {}

    def link_up(self, peer: PeerKey) -> None:
        """Send ``peer`` the ids I hold, and the cut-offs still in force."""
        self.session.send_anonymous(peer, wire.encode(wire.Have(tuple(sorted(self._known)))))
        newest = window_of(self.session.now_ms()) - 1
        self._cuts = {k: c for k, c in self._cuts.items() if k[0] >= newest}
        for cut in self._cuts.values():  # cut-offs still in force
            self.session.send_anonymous(peer, wire.encode(cut))

    # -- moderation ---------------------------------------------------------------------------
    def cut_off(self, post_id: bytes) -> None:
        """(Moderators.) Refuse, everywhere, the rest of this window's anonymous posts with the
        linkage tag of ``post_id``: its author's, whoever that is. Names nobody."""
        rt = self.session.rt
        if post_id not in self._known:
            raise NobodyToName("no such anonymous post in this circle")

        def read(db: Store) -> bytes | None:
            record = db.get_post(post_id)
            if record is None or record.circle_id != rt.id:
                return None
            return record.signed if record.author_key == ANONYMOUS_AUTHOR else None

        def then(signed: bytes | None) -> None:
            if signed is None:
                log.info("an anonymous post to cut off is no longer kept")
                return
            post = decode_anonymous_post(signed)
            key = rt.membership.signing_key
            self.on_cut(cutoff.sign(key, rt.id, post.epoch, post.proof.window, post.linkage_tag))

        self.session.out.read(read, then)

    def on_cut(self, cut: cutoff.CutOff, exclude: PeerKey | None = None) -> None:
        rt = self.session.rt
        if (cut.window, cut.tag) in self._cuts or not rt.mod.state.is_moderator(cut.moderator):
            return
        try:
            cutoff.verify(cut, rt.id, rt.circle.epoch)
        except cutoff.CutOffError:
            return
        self._cuts[cut.window, cut.tag] = cut
        self.budget.cut_off(cut.window, cut.tag)
        for peer in list(rt.links):
            if peer != exclude:
                self.session.send_anonymous(peer, wire.encode(cut))

    # -- posts --------------------------------------------------------------------------------
    def take(self, data: bytes, *, live: bool) -> None:
        """A post a round released (``live``: its window must be now's, give or take one, and
        it counts against the budget) or one caught up by id."""
        rt, now = self.session.rt, self.session.now_ms()
        try:
            post = decode_anonymous_post(data)
            if post.post.circle_id != rt.id:
                raise EnvelopeError(DropReason.BAD_VALUE, "another circle's post")
            window = post.proof.window
            windows = [window_of(now) + d for d in (-1, 0, 1)] if live else [window]
            members = ring(rt)
            tag = check_anonymous_post(
                post,
                epoch=rt.circle.epoch,
                members=members,
                windows=windows,
                min_ring=max(MIN_RING, len(members) - 2),
            )
        except (EnvelopeError, RingSignatureError) as exc:
            log.info("refused an anonymous post: %s", getattr(exc, "code", "malformed"))
            return
        if post.id in self._known:
            return
        verdict = (
            self.budget.admit(window, tag)
            if live
            else (
                BudgetVerdict.CUT_OFF
                if self.budget.is_cut_off(window, tag)
                else BudgetVerdict.ACCEPT
            )
        )
        if verdict is not BudgetVerdict.ACCEPT:
            log.info("refused an anonymous post: %s", verdict.value)
            return
        record = post_to_record(post.post, now)
        self.session.out.write(lambda db: db.add_post(record))
        self._known.add(post.id)
        view = presenting.post_view(rt, post.post)
        if post.id in self.mine:
            view = replace(view, mine=True)
        else:
            rt.unread += 0 if view.hidden else 1
        self.session.emit(PostEvent(view))

    def on_have(self, peer: PeerKey, have: wire.Have) -> None:
        """Push ``peer`` the posts I hold that its ``HAVE`` lacks."""
        lacking = sorted(self._known - set(have.ids))
        for start in range(0, len(lacking), wire.MAX_POSTS):
            chunk = lacking[start : start + wire.MAX_POSTS]

            def load(db: Store, ids: Sequence[bytes] = chunk) -> list[bytes]:
                records = [db.get_post(i) for i in ids]
                return [post_from_record(r).signed for r in records if r is not None]

            def then(posts: list[bytes]) -> None:
                if posts:
                    self.session.send_anonymous(peer, wire.encode(wire.Posts(tuple(posts))))

            self.session.out.read(load, then)
