"""One circle's anonymous lane: posts and reports through dining-cryptographers rounds over the
circle's own member links, anonymous posts synced by id (docs/ANONYMITY.md).

- :class:`AnonymousLane` drives :mod:`messenger.anonymous.rounds`: the collector (the present
  member with the lowest key, me included) announces a round every ``round_every_ms`` (at once
  again after a round that carried messages); every participant answers; released messages are
  anonymous posts (handed to :class:`~messenger.anonymous_posts.AnonymousPosts`) or sealed
  reports (opened by the moderators).
- :mod:`messenger.anonymous_posts` holds what a round released: the posts (checked against the
  ring and the per-window budget, stored and caught up by id) and the moderators' cut-offs; the
  ring (:func:`ring`) and :func:`named` live there too.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Protocol

from network.node import PeerKey

from . import presenting
from .anonymous import AnonymousBudget, dcnet, wire
from .anonymous.rounds import Announce, Collector, Combined, MemberRounds, Output, RoundLimits
from .anonymous_posts import MIN_RING, AnonymousPosts, NobodyToName, PostsPort, named, ring
from .conversation import Outgoing, SignedPost
from .conversation.anon_envelope import AnonymousPost, make_anonymous_post
from .errors import HearthError
from .events import Info
from .moderation import ReportReason, SealedReport, make_report
from .moderation.effects import Effect
from .mux import Lane
from .outputs import SendLater
from .runtime import CircleRuntime
from .views import DeliveryState, PostView

log = logging.getLogger(__name__)

__all__ = [
    "MIN_RING",
    "POST",
    "REPORT",
    "AnonymousLane",
    "AnonymousLimitError",
    "AnonymousPostError",
    "NobodyToName",
    "Port",
    "named",
    "ring",
    "seal_report",
]

POST, REPORT = 1, 2  # the first byte of a released message


class AnonymousPostError(HearthError):
    code = "anonymous_post_too_long"


class AnonymousLimitError(HearthError):
    """My own anonymous posts this window reached the circle's budget, or a moderator cut my
    posts off for the window: the others would refuse the next one, so it is not sent."""

    code = "anonymous_limit"


def seal_report(
    rt: CircleRuntime,
    member: bytes,
    reason: ReportReason,
    details: str,
    now: int,
    evidence: SignedPost | None,
) -> SealedReport:
    """An anonymous report about ``member``, sealed to the moderators, to send through the
    rounds (:meth:`AnonymousLane.report`)."""
    moderators = rt.mod.state.moderators()
    sealed = make_report(
        rt.id, member, reason, details, moderators=moderators, now=now, evidence=evidence
    )
    if len(sealed.data) + 1 > dcnet.MAX_MESSAGE:
        raise AnonymousPostError("this report is too long to send anonymously")
    return sealed


class Port(PostsPort, Protocol):
    """What the lane needs of its circle's session (what its posts need, and moderation)."""

    def run_moderation(self, result: tuple[list[Outgoing], list[Effect]]) -> None: ...


class AnonymousLane:
    def __init__(self, session: Port, known: set[bytes], limits: RoundLimits | None = None) -> None:
        self.session = session
        self.limits = RoundLimits()
        self.budget = AnonymousBudget()
        self.configure(limits or RoundLimits())
        self.posts = AnonymousPosts(session, self.budget, known)
        self._sent: dict[int, int] = {}  # my anonymous posts queued, by window
        self._member: MemberRounds | None = None
        self._keyed: tuple[int, tuple[bytes, ...]] | None = None
        self._collector = Collector()
        self._collecting: tuple[int, int, tuple[bytes, ...]] | None = None  # round, started, who
        self._announced_by: bytes | None = None
        self._next_round = 0
        self._my_reports: set[bytes] = set()

    def configure(self, limits: RoundLimits) -> None:
        self.limits = limits
        self.budget.per_window = limits.per_window

    # -- my side ------------------------------------------------------------------------------
    def member(self) -> MemberRounds:
        rt = self.session.rt
        members = tuple(ring(rt))
        keyed = (rt.circle.epoch, members)
        if self._member is None or keyed != self._keyed:
            keys = dcnet.pair_keys(rt.membership.signing_seed, members, rt.id, rt.circle.epoch)
            if self._member is None:
                self._member = MemberRounds(rt.me, keys)
            else:
                self._member.rekey(keys)
            self._keyed = keyed
        return self._member

    def making(
        self, body: str, now: int, *, reply_to: bytes | None, content_warning: str | None
    ) -> Callable[[], AnonymousPost]:
        """How to make an anonymous post (its ring signature) from what the circle holds now.

        The ring signature (milliseconds, tens of them in a large circle) is made off the loop,
        by the caller (:meth:`submit` takes the result): on the loop it would hold up this
        member's answers to a round running meanwhile, and a member who answers late just
        before a message comes out is a member who wrote."""
        rt = self.session.rt
        return partial(
            make_anonymous_post,
            rt.membership.signing_seed,
            ring(rt),
            rt.id,
            rt.circle.epoch,
            body,
            now,
            reply_to=reply_to,
            content_warning=content_warning,
        )

    def submit(self, made: AnonymousPost) -> PostView:
        """Queue an anonymous post for the next rounds; it shows (as a ``post`` event, here too)
        once a round released it."""
        rt = self.session.rt
        message = bytes([POST]) + made.post.signed
        if len(message) > dcnet.MAX_MESSAGE:
            raise AnonymousPostError(
                "this post is too long to send anonymously in a circle this size"
            )
        window, tag = made.proof.window, made.proof.linkage_tag
        if self.budget.is_cut_off(window, tag):
            raise AnonymousLimitError(
                "a moderator has paused anonymous posts from you until the hour is over"
            )
        sent = self._sent.get(window, 0)
        if sent >= self.budget.per_window:
            raise AnonymousLimitError(
                f"this circle takes {self.budget.per_window} anonymous posts an hour from each "
                "person; you can post again in the next hour"
            )
        self._sent = {w: n for w, n in self._sent.items() if w >= window - 1}
        self._sent[window] = sent + 1
        self.member().submit(message)
        self.posts.mine.add(made.id)
        view = presenting.post_view(rt, made.post, present=False)
        return replace(view, mine=True, state=DeliveryState.QUEUED)

    def report(self, sealed: bytes) -> None:
        """Send a sealed anonymous report to the moderators through the rounds."""
        message = bytes([REPORT]) + sealed
        self.member().submit(message)
        self._my_reports.add(message)

    @property
    def pending(self) -> int:
        return 0 if self._member is None else self._member.pending

    # -- the lane -----------------------------------------------------------------------------
    def link_up(self, peer: PeerKey) -> None:
        if self._member is not None:
            self._member.link_came_up()  # what waited while I was away goes out at random
        self.posts.link_up(peer)

    def receive(self, member: bytes, peer: PeerKey, body: bytes) -> None:
        try:
            msg = wire.decode(body)
        except wire.AnonWireError as exc:
            log.debug("anonymous lane: %s", exc)
            return
        if isinstance(msg, Announce):
            self._on_announce(member, peer, msg)
        elif isinstance(msg, Output):
            self._on_output(member, msg)
        elif isinstance(msg, Combined):
            if member == self._announced_by:
                self._on_combined(msg, peer)
        elif isinstance(msg, wire.Have):
            self.posts.on_have(peer, msg)
        elif isinstance(msg, wire.Posts):
            for data in msg.posts:
                self.posts.take(data, live=False)
        else:
            self.posts.on_cut(msg, exclude=peer)

    # -- moderation ---------------------------------------------------------------------------
    def cut_off(self, post_id: bytes) -> None:
        """(Moderators.) Refuse, everywhere, the rest of this window's anonymous posts by the
        author of ``post_id`` (:meth:`AnonymousPosts.cut_off`). Names nobody."""
        self.posts.cut_off(post_id)

    # -- when rounds run ----------------------------------------------------------------------
    def next_deadline(self, now: int) -> int | None:
        """When the lane next has time-driven work (ms): the running round's timeout, or, as the
        collector of three or more present members, the next round; None otherwise."""
        if self._collecting is not None:
            return self._collecting[1] + self.limits.round_timeout_ms + 1
        if not self._collects():
            return None
        return max(self._next_round, now)

    def _collects(self) -> bool:
        rt = self.session.rt
        present = {m for m in rt.present() if rt.mod.is_member(m)}
        return not rt.removed_me and len(present) >= 2 and rt.me < min(present)

    def _every(self) -> int:
        posting = self.session.rt.circle.settings.anonymous_posting
        return self.limits.round_every_ms if posting else self.limits.quiet_every_ms

    def tick(self) -> None:
        rt, now = self.session.rt, self.session.now_ms()
        if (
            self._collecting is not None
            and now - self._collecting[1] > self.limits.round_timeout_ms
        ):
            self._collector.abandon()
            self._collecting = None
        if self._collecting is not None or now < self._next_round or not self._collects():
            return  # a round runs, none is due, fewer than three people, or another collects
        present = {m for m in rt.present() if rt.mod.is_member(m)}
        self._start_round(now, sorted(present | {rt.me}))

    # -- rounds -------------------------------------------------------------------------------
    def _start_round(self, now: int, participants: list[bytes]) -> None:
        rt = self.session.rt
        member = self.member()
        round_no = max(now, member.last_round + 1)
        announce = self._collector.start(round_no, participants)
        self._collecting = (round_no, now, announce.participants)
        self._next_round = now + self._every()
        body = wire.encode(announce)
        for key in announce.participants:
            link = rt.link_for(key) if key != rt.me else None
            if link is not None:
                self.session.send_anonymous(link, body)
        self._announced_by = rt.me
        out = member.on_announce(announce, rt.present())
        if out is not None:
            self._on_output(rt.me, out)

    def _on_announce(self, member: bytes, peer: PeerKey, announce: Announce) -> None:
        rt = self.session.rt
        if announce.round_no > self.session.now_ms() + 3_600_000:
            return  # a round number from the future would lock out every later round
        heard = self.session.now_ms()
        out = self.member().on_announce(announce, rt.present())
        if out is not None:
            self._announced_by = member
            self._answer(peer, wire.encode(out), heard)

    def _on_output(self, member: bytes, output: Output) -> None:
        combined = self._collector.on_output(member, output)
        if combined is None or self._collecting is None:
            return
        rt = self.session.rt
        participants = self._collecting[2]
        body = wire.encode(combined)
        for key in participants:
            link = rt.link_for(key) if key != rt.me else None
            if link is not None:
                self.session.send_anonymous(link, body)
        if combined.phase.value == dcnet.PHASE_DATA or not dcnet.slots(combined.data):
            self._collecting = None
            if combined.phase.value == dcnet.PHASE_DATA:
                self._next_round = 0  # messages flowed: more may wait, go again at once
        self._on_combined(combined, None)

    def _on_combined(self, combined: Combined, peer: PeerKey | None) -> None:
        heard = self.session.now_ms()
        out, messages = self.member().on_combined(combined)
        if out is not None:
            if peer is None:
                self._on_output(self.session.rt.me, out)
            else:
                self._answer(peer, wire.encode(out), heard)
        for message in messages:
            self._released(message)

    def _answer(self, peer: PeerKey, body: bytes, heard: int) -> None:
        """Send my output to the collector ``answer_after_ms`` after I heard what it answers,
        plus a random ``answer_jitter_ms``: the moment it arrives depends on neither how long my
        output took to make nor what else this process was doing, so it says nothing of whether
        I sent a message (the collector sees every arrival; docs/ANONYMITY.md "Timing")."""
        limits = self.limits
        delay = limits.answer_after_ms + secrets.randbelow(limits.answer_jitter_ms + 1)
        self.session.out.put(SendLater(heard + delay, peer, Lane.ANONYMOUS, body))

    @property
    def in_round(self) -> bool:
        """Whether a round I collect is running (answers of mine waiting to go: the pump's)."""
        return self._collecting is not None

    def _released(self, message: bytes) -> None:
        kind, data = message[0], message[1:]
        rt = self.session.rt
        if kind == POST:
            self.posts.take(data, live=True)
        elif message in self._my_reports:  # out in a round: every present moderator has it
            self._my_reports.discard(message)
            self.session.emit(Info(f"your report reached the moderators of {rt.circle.name}"))
            if rt.is_moderator:
                self.session.run_moderation(rt.mod.released_report(data, self.session.now_ms()))
        elif kind == REPORT and rt.is_moderator:
            now = self.session.now_ms()
            self.session.run_moderation(rt.mod.released_report(data, now))
