"""What the results of a circle's moderation engine do in the running peer: send its messages,
save its state, rebind the node, tell the front ends (all queued as the session's outputs,
:mod:`messenger.outputs`). Called by the circle's
:class:`~messenger.session.CircleSession` (through its public methods only) for every result of
the engine, and for the conversation engine's events the moderation engine watches (flooding,
posts hidden before they arrived).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Protocol

from network.node import PeerKey

from . import admission, persist
from .circle import Circle
from .conversation import ConversationEvent, Outgoing, PostReceived, SignedPost
from .events import (
    CirclesChanged,
    Event,
    Info,
    MemberRemovedEvent,
    PostHiddenEvent,
    ReportEvent,
)
from .moderation import (
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
    NotPermitted,
    OpenedReport,
    PostHidden,
    PostUnhidden,
    QueuedReport,
    ReportDelivered,
    ReportReceived,
    ReportStatus,
    RotationDue,
    SecretRotated,
    SlowModeChanged,
    StaleLink,
)
from .outputs import Outputs
from .runtime import CircleRuntime, LinkedPeer
from .storage import Store
from .views import PostView, ReportView

log = logging.getLogger(__name__)

Result = tuple[list[Outgoing], list[Effect]]


class CircleSession(Protocol):
    """What effects need of the circle's session (:class:`messenger.session.CircleSession`)."""

    @property
    def out(self) -> Outputs: ...
    @property
    def rt(self) -> CircleRuntime: ...
    @property
    def id(self) -> bytes: ...
    def emit(self, event: Event) -> None: ...
    def now_ms(self) -> int: ...
    def name_of(self, member: bytes) -> str: ...
    def post_view(
        self, post: SignedPost, *, hidden: bool = False, present: bool = True
    ) -> PostView: ...
    def disconnect_member(self, member: bytes) -> None: ...
    def adopt_circle(self, circle: Circle) -> None: ...
    def send_moderation(self, out: Sequence[Outgoing]) -> None: ...
    def member_gone(self, member: bytes) -> None: ...
    def rebind(self) -> None: ...
    def run_moderation(self, result: Result) -> None: ...
    def link_up(self, peer: PeerKey, linked: LinkedPeer) -> None: ...
    def step(
        self, fn: Callable[[], tuple[list[Outgoing], list[ConversationEvent]]]
    ) -> list[ConversationEvent]: ...


def run(session: CircleSession, result: Result) -> None:
    """Send what a moderation call produced and act on its effects (a rotated circle is saved
    before anything leaves; the node is rebound once, at the end)."""
    out, effects = result
    for effect in effects:
        if isinstance(effect, SecretRotated):
            session.adopt_circle(effect.circle)
            log.info("the circle's secret moved to a new epoch")
            session.emit(CirclesChanged())  # a new invite link
    session.send_moderation(out)
    rebind = False
    for effect in effects:
        rebind = _apply(session, effect) or rebind
    if session.rt.mod.take_dirty():
        persist.save_moderation(session.out, session.rt)
    if rebind:
        session.rebind()


def observe(session: CircleSession, events: Sequence[ConversationEvent]) -> None:
    """The conversation engine's events: flood escalation, and posts hidden before they
    arrived."""
    rt = session.rt
    for event in events:
        if isinstance(event, PostReceived) and rt.mod.state.is_hidden(event.post.id):
            _set_hidden(session, event.post.id, True)
    found = rt.mod.observe(events, session.now_ms())
    if found:
        run(session, ([], found))


def _apply(session: CircleSession, effect: Effect) -> bool:
    """Act on one effect; True if the node needs rebinding."""
    rt, emit = session.rt, session.emit
    if isinstance(effect, MemberRemoved):
        return _removed(session, effect)
    if isinstance(effect, MemberAdmitted):
        admission.admitted(session, effect)
    if isinstance(effect, PostHidden | PostUnhidden):
        hidden = isinstance(effect, PostHidden)
        _set_hidden(session, effect.post_id, hidden)
        emit(PostHiddenEvent(rt.id, effect.post_id, hidden))
    elif isinstance(effect, RotationDue):
        if rt.mod.state.is_host(rt.me) and rt.mod.state.rotation_due:
            try:  # sealed to the certified members, whatever the roster holds
                run(session, rt.mod.rotate(session.now_ms()))
            except NotPermitted as exc:
                log.info("could not rotate the circle's secret: %s", exc.reason.value)
    elif isinstance(effect, SecretRotated | BindingsChanged):
        return True
    elif isinstance(effect, StaleLink):
        session.disconnect_member(effect.member)
    elif isinstance(effect, FloodDisconnect):
        session.disconnect_member(effect.peer)
        log.info("a member was cut off for flooding (offence %d)", effect.offence)
    elif isinstance(effect, HostNotice):
        if rt.is_moderator:
            emit(
                Info(
                    f"{rt.name_of(effect.peer)} was disconnected from {rt.circle.name} for "
                    f"sending too much (time {effect.offence})"
                )
            )
        else:
            run(session, rt.mod.notify_moderators(effect, session.now_ms()))
    elif isinstance(effect, ReportReceived):
        emit(ReportEvent(report_view(session, effect.report, ReportStatus.OPEN)))
    elif isinstance(effect, ReportDelivered):
        emit(Info(f"your report reached a moderator of {rt.circle.name}"))
    else:
        _tell(session, effect)
    return False


def _tell(session: CircleSession, effect: Effect) -> None:
    """Effects that only change what the front ends show."""
    rt, emit = session.rt, session.emit
    if isinstance(effect, ModeratorAppointed | ModeratorDismissed):
        made = isinstance(effect, ModeratorAppointed)
        if effect.is_me:
            verb = "are now" if made else "are no longer"
            emit(Info(f"you {verb} a co-moderator of {rt.circle.name}"))
        emit(CirclesChanged())
    elif isinstance(effect, SlowModeChanged):
        text = f"{effect.seconds} s between posts" if effect.seconds else "off"
        emit(Info(f"slow mode in {rt.circle.name}: {text}"))
        emit(CirclesChanged())
    elif isinstance(effect, CircleClosed | CircleReopened):
        closed = isinstance(effect, CircleClosed)
        emit(Info(f"{rt.circle.name} was {'closed' if closed else 'reopened'} by its host"))
        emit(CirclesChanged())
    elif isinstance(effect, MemberRestored):
        emit(Info(f"{rt.name_of(effect.member)} is a member of {rt.circle.name} again"))
        emit(CirclesChanged())
    elif isinstance(effect, Dropped):
        log.debug("moderation %s dropped: %s", effect.what, effect.reason.value)
    else:
        log.debug("moderation effect %s", type(effect).__name__)


def _removed(session: CircleSession, effect: MemberRemoved) -> bool:
    rt = session.rt
    if effect.is_me:
        session.emit(MemberRemovedEvent(rt.id, rt.membership.pseudonym, rt.me))
        session.emit(
            Info(
                f"you were removed from {rt.circle.name}: you can still read what is here, "
                "and leave the circle when you like"
            )
        )
        session.emit(CirclesChanged())  # kept, read-only (CircleView.removed), until I leave
        return True  # no binding any more: every link of the circle closes
    member = effect.member
    session.member_gone(member)
    session.disconnect_member(member)
    session.emit(MemberRemovedEvent(rt.id, rt.name_of(member), member))
    return False


def _set_hidden(session: CircleSession, post_id: bytes, hidden: bool) -> None:
    def work(db: Store) -> None:
        db.set_post_hidden(post_id, hidden)

    session.out.write(work)


def report_view(session: CircleSession, report: OpenedReport, status: ReportStatus) -> ReportView:
    post = None
    if report.evidence is not None:
        post = session.post_view(report.evidence, present=False)
    reporter = report.reporter
    return ReportView(
        circle_id=session.id,
        id=report.id,
        member_key=report.member,
        member=session.name_of(report.member),
        reason=report.reason.value,
        details=report.details,
        reporter="" if reporter is None else session.name_of(reporter),
        reporter_key=reporter,
        ts=report.ts / 1000,
        post=post,
        status=status.value,
    )


def queued_view(session: CircleSession, queued: QueuedReport) -> ReportView:
    return report_view(session, queued.report, queued.status)
