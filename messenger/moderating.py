"""Moderation and personal safety in the running peer: the glue between the facade, the
moderation core (:mod:`messenger.moderation`, sans-IO) and the front ends.

:class:`Moderation` is ``Messenger.moderation``. The facade calls its hooks (:meth:`run` for
every result of a circle's moderation engine, :meth:`receive` for the moderation lane,
:meth:`observe` for the conversation engine's events, :meth:`tick`); the front ends call its
actions (remove, block, mute, report, hide, appoint, dismiss, slow mode, close, the moderation
queue, boundaries). Its refusals are typed errors with stable codes: ``not_allowed``,
``slow_mode`` (with the seconds left), ``removed``, ``closed``.

Nothing here is announced that the person did not choose to: block and mute send nothing; an
anonymous report names nobody, to anybody, and leaves after a random delay.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar

from . import persist
from . import pseudonym as pseudonyms
from .conversation import ConversationEvent, Outgoing, PostReceived, SignedPost
from .conversation.errors import EnvelopeError
from .conversation.records import post_from_record
from .errors import HearthError
from .events import CirclesChanged, Event, Info, MemberRemovedEvent
from .moderation import (
    Action,
    Appoint,
    BindingsChanged,
    CircleClosed,
    CircleReopened,
    Close,
    Dismiss,
    Dropped,
    Effect,
    FloodDisconnect,
    Hide,
    HostNotice,
    MemberRemoved,
    MemberRestored,
    ModerationError,
    ModeratorAppointed,
    ModeratorDismissed,
    NotPermitted,
    OpenedReport,
    PersonalSettings,
    PostHidden,
    PostUnhidden,
    QueuedReport,
    Reason,
    ReportDelivered,
    ReportReason,
    ReportReceived,
    ReportStatus,
    RotationDue,
    SecretRotated,
    Shown,
    SlowMode,
    SlowModeChanged,
    should_notify,
    should_show,
)
from .mux import Lane
from .runtime import CircleRuntime
from .storage import AsyncStore
from .views import PostView

if TYPE_CHECKING:
    from .facade import Messenger

log = logging.getLogger(__name__)

Result = tuple[list[Outgoing], list[Effect]]
MAX_EVIDENCE_SCAN = 500  # newest posts searched for a reported member's latest post
REPORT_REASONS = tuple(r.value for r in ReportReason if r is not ReportReason.FLOOD)


# -- refusals -------------------------------------------------------------------------------------
class ModerationRefused(HearthError):
    """A moderation action or a post our role or the circle's state does not allow now."""

    code = "not_allowed"


class SlowModeActive(ModerationRefused):
    """Slow mode: wait ``seconds`` before posting again."""

    code = "slow_mode"

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        super().__init__(f"slow mode: wait {seconds} s before posting again")


class RemovedFromCircle(ModerationRefused):
    code = "removed"


class CircleIsClosed(ModerationRefused):
    code = "closed"


def refusal(exc: NotPermitted | ModerationError) -> ModerationRefused:
    """The front end's error for a refusal of the moderation core."""
    if exc.reason is Reason.SLOW_MODE:
        try:
            return SlowModeActive(max(1, int(exc.detail)))
        except ValueError:
            return SlowModeActive(1)
    if exc.reason is Reason.REMOVED:
        return RemovedFromCircle(exc.detail or "you were removed from this circle")
    if exc.reason is Reason.CLOSED:
        return CircleIsClosed(exc.detail or "the host closed this circle")
    return ModerationRefused(exc.detail or exc.reason.value.replace("_", " "))


# -- what front ends are shown -------------------------------------------------------------------
@dataclass(frozen=True)
class ReportView:
    """A report in a moderator's queue (``reporter`` is "" and ``reporter_key`` None when the
    report is anonymous)."""

    circle_id: bytes
    id: bytes
    member_key: bytes
    member: str
    reason: str  # a ReportReason value
    details: str
    reporter: str
    reporter_key: bytes | None
    ts: float
    post: PostView | None
    status: str  # "open", "actioned", "dismissed"

    @property
    def anonymous(self) -> bool:
        return self.reporter_key is None

    def fields(self) -> dict[str, Any]:
        """The JSON fields of the headless ``report`` event (never a reporter when anonymous)."""
        out: dict[str, Any] = {
            "circle": self.circle_id.hex(),
            "id": self.id.hex(),
            "reason": self.reason,
            "member": self.member,
            "member_key": self.member_key.hex(),
            "details": self.details,
            "anonymous": self.anonymous,
            "status": self.status,
        }
        if self.post is not None:
            out["post_id"] = self.post.id.hex()
            out["post_body"] = self.post.body
        if self.reporter_key is not None:
            out["reporter"] = self.reporter
            out["reporter_key"] = self.reporter_key.hex()
        return out


@dataclass(frozen=True)
class ReportEvent(Event):
    """(Moderators.) A report arrived for the moderation queue."""

    name: ClassVar[str] = "report"
    report: ReportView

    def fields(self) -> dict[str, Any]:
        return self.report.fields()


@dataclass(frozen=True)
class PostHiddenEvent(Event):
    """A moderator hid a post for everyone (``hidden`` False: a hide no longer holds)."""

    name: ClassVar[str] = "post_hidden"
    circle: bytes
    id: bytes
    hidden: bool = True


def present_post(rt: CircleRuntime, view: PostView) -> PostView:
    """``view`` as this person sees it: hidden by moderation or a block, collapsed behind a
    notice for a boundary (the notice becomes the content warning the reader clicks through)."""
    shown = should_show(view, rt.personal, rt.mod.state, me=rt.me)
    if shown.hidden:
        return view if view.hidden else replace(view, hidden=True)
    if shown.kind is Shown.COLLAPSED_BOUNDARY:
        notice = "mentions " + ", ".join(shown.matched)
        if view.content_warning:
            notice += f" ({view.content_warning})"
        return replace(view, content_warning=notice)
    return view


class Moderation:
    """``Messenger.moderation``: the hooks the facade calls and the actions front ends take."""

    def __init__(self, messenger: Messenger) -> None:
        self._m = messenger

    # -- hooks ----------------------------------------------------------------------------
    async def run(self, rt: CircleRuntime, result: Result) -> None:
        """Send what a moderation call produced and act on its effects (a rotated circle is
        saved before anything leaves; the node is rebound once, at the end)."""
        out, effects = result
        for effect in effects:
            if isinstance(effect, SecretRotated):
                rt.circle = effect.circle
                for link, member in rt.links.items():  # carried over to the new epoch
                    epoch = rt.mod.link_epoch(member)
                    if epoch is not None:
                        rt.link_epochs[link] = epoch
                await self._m._save(rt)
                await persist.save_moderation(self._store(), rt)
                rt.mod.take_dirty()
                log.info("the circle's secret moved to a new epoch")
                self._m.invite_changed(rt)  # open spoken codes hand out the new link
                self._m.emit(CirclesChanged())  # a new invite link
        await self.send(rt, out)
        rebind = False
        for effect in effects:
            rebind = await self._apply(rt, effect) or rebind
        if rt.mod.take_dirty():
            await persist.save_moderation(self._store(), rt)
        if rebind:
            await self._m._rebind()

    async def send(self, rt: CircleRuntime, out: Sequence[Outgoing]) -> None:
        for item in out:
            peer = rt.any_link_for(item.peer)
            if peer is not None:
                await self._m._send(peer, Lane.MODERATION, item.data)

    async def receive(self, rt: CircleRuntime, member: bytes, body: bytes) -> None:
        await self.run(rt, rt.mod.receive(member, body, self._m._now_ms()))

    async def observe(self, rt: CircleRuntime, events: Sequence[ConversationEvent]) -> None:
        """The conversation engine's events: flood escalation, and posts hidden before they
        arrived."""
        now = self._m._now_ms()
        for event in events:
            if isinstance(event, PostReceived) and rt.mod.state.is_hidden(event.post.id):
                await self._store().set_post_hidden(event.post.id, True)
        effects = rt.mod.observe(events, now)
        if effects:
            await self.run(rt, ([], effects))

    async def tick(self, rt: CircleRuntime) -> None:
        await self.run(rt, rt.mod.tick(self._m._now_ms()))

    def check_may_post(self, rt: CircleRuntime, now: int) -> None:
        try:
            rt.mod.check_may_post(rt.last_post_ms, now)
        except NotPermitted as exc:
            raise refusal(exc) from None

    def check_may_dm(self, rt: CircleRuntime, peer: bytes) -> None:
        if rt.removed_me:
            raise RemovedFromCircle("you were removed from this circle")
        if not rt.mod.is_member(peer):
            raise ModerationRefused("that member was removed from this circle")
        if not rt.dm_allowed(peer):
            raise ModerationRefused("this circle's host does not allow that direct message")

    def hides(self, post: PostView) -> bool:
        """Whether ``post`` is hidden here now (a moderator hid it, its author was removed, or
        this person blocked its author): to refresh posts already on screen."""
        rt = self._m._circles.get(post.circle_id)
        return rt is not None and should_show(post, rt.personal, rt.mod.state, me=rt.me).hidden

    def notifies(self, post: PostView) -> bool:
        """Whether a new post may notify the person (not muted, not hidden, no boundary)."""
        rt = self._m._circles.get(post.circle_id)
        if rt is None or post.hidden:
            return False
        return should_notify(post, rt.personal, rt.mod.state, me=rt.me)

    # -- effects --------------------------------------------------------------------------
    async def _apply(self, rt: CircleRuntime, effect: Effect) -> bool:
        """Act on one effect; True if the node needs rebinding."""
        m = self._m
        if isinstance(effect, MemberRemoved):
            return await self._removed(rt, effect)
        if isinstance(effect, PostHidden | PostUnhidden):
            hidden = isinstance(effect, PostHidden)
            await self._store().set_post_hidden(effect.post_id, hidden)
            m.emit(PostHiddenEvent(rt.id, effect.post_id, hidden))
        elif isinstance(effect, RotationDue):
            if rt.mod.state.is_host(rt.me) and rt.mod.state.rotation_due:
                keys = [e.member_key for e in rt.roster.entries()]
                try:
                    await self.run(rt, rt.mod.rotate(keys, m._now_ms()))
                except NotPermitted as exc:
                    log.info("could not rotate the circle's secret: %s", exc.reason.value)
        elif isinstance(effect, SecretRotated | BindingsChanged):
            return True
        elif isinstance(effect, FloodDisconnect):
            for peer in rt.links_of(effect.peer):
                await m._disconnect(peer)
            log.info("a member was cut off for flooding (offence %d)", effect.offence)
        elif isinstance(effect, HostNotice):
            if rt.is_moderator:
                m.emit(
                    Info(
                        f"{rt.name_of(effect.peer)} was disconnected from {rt.circle.name} for "
                        f"sending too much (time {effect.offence})"
                    )
                )
            else:
                await self.run(rt, rt.mod.notify_moderators(effect, m._now_ms()))
        elif isinstance(effect, ReportReceived):
            m.emit(ReportEvent(self._report_view(rt, effect.report, ReportStatus.OPEN)))
        elif isinstance(effect, ReportDelivered):
            m.emit(Info(f"your report reached a moderator of {rt.circle.name}"))
        elif isinstance(effect, ModeratorAppointed | ModeratorDismissed):
            made = isinstance(effect, ModeratorAppointed)
            if effect.is_me:
                verb = "are now" if made else "are no longer"
                m.emit(Info(f"you {verb} a co-moderator of {rt.circle.name}"))
            m.emit(CirclesChanged())
        elif isinstance(effect, SlowModeChanged):
            text = f"{effect.seconds} s between posts" if effect.seconds else "off"
            m.emit(Info(f"slow mode in {rt.circle.name}: {text}"))
            m.emit(CirclesChanged())
        elif isinstance(effect, CircleClosed | CircleReopened):
            closed = isinstance(effect, CircleClosed)
            m.emit(Info(f"{rt.circle.name} was {'closed' if closed else 'reopened'} by its host"))
            m.emit(CirclesChanged())
        elif isinstance(effect, MemberRestored):
            m.emit(Info(f"{rt.name_of(effect.member)} is a member of {rt.circle.name} again"))
            m.emit(CirclesChanged())
        elif isinstance(effect, Dropped):
            log.debug("moderation %s dropped: %s", effect.what, effect.reason.value)
        else:
            log.debug("moderation effect %s", type(effect).__name__)
        return False

    async def _removed(self, rt: CircleRuntime, effect: MemberRemoved) -> bool:
        m = self._m
        if effect.is_me:
            m.emit(MemberRemovedEvent(rt.id, rt.membership.pseudonym, rt.me))
            m.emit(
                Info(
                    f"you were removed from {rt.circle.name}: you can still read what is here, "
                    "and leave the circle when you like"
                )
            )
            m.emit(CirclesChanged())  # kept, read-only (CircleView.removed), until I leave
            return True  # no binding any more: every link of the circle closes
        member = effect.member
        await m._engine(lambda: rt.engine.peer_lost(member))
        for peer in rt.links_of(member):
            await m._disconnect(peer)
        m.emit(MemberRemovedEvent(rt.id, rt.name_of(member), member))
        return False

    # -- actions --------------------------------------------------------------------------
    def _result(self, rt: CircleRuntime, action: Action) -> Result:
        try:
            return rt.mod.act(action, self._m._now_ms())
        except NotPermitted as exc:
            raise refusal(exc) from None

    async def remove(self, circle_id: bytes, who: str | bytes) -> None:
        """(Host or co-moderator.) Remove a member; the host's client then rotates the secret
        and hands it to each remaining member."""
        rt = self._m._runtime(circle_id)
        key = self._key(rt, who)
        remaining = [e.member_key for e in rt.roster.entries() if e.member_key != key]
        try:
            result = rt.mod.remove(key, self._m._now_ms(), remaining=remaining)
        except NotPermitted as exc:
            raise refusal(exc) from None
        await self.run(rt, result)

    async def hide(self, circle_id: bytes, post_id: bytes) -> None:
        """(Host or co-moderator.) Hide a post for everyone."""
        rt = self._m._runtime(circle_id)
        await self.run(rt, self._result(rt, Hide(post_id)))

    async def appoint(self, circle_id: bytes, who: str | bytes) -> None:
        """(Host.) Make a member a co-moderator."""
        rt = self._m._runtime(circle_id)
        await self.run(rt, self._result(rt, Appoint(self._key(rt, who))))

    async def dismiss(self, circle_id: bytes, who: str | bytes) -> None:
        """(Host.) End a co-moderator's term."""
        rt = self._m._runtime(circle_id)
        await self.run(rt, self._result(rt, Dismiss(self._key(rt, who))))

    async def set_slow_mode(self, circle_id: bytes, seconds: int) -> None:
        """(Host or co-moderator.) Members may post at most once per ``seconds`` (0: off)."""
        rt = self._m._runtime(circle_id)
        if not 0 <= seconds <= 3600:
            raise ModerationRefused("slow mode is 0 to 3600 seconds")
        await self.run(rt, self._result(rt, SlowMode(seconds)))

    async def close_circle(self, circle_id: bytes) -> None:
        """(Host.) Close the circle for good: nobody posts any more; history stays."""
        rt = self._m._runtime(circle_id)
        await self.run(rt, self._result(rt, Close()))

    async def block(self, circle_id: bytes, who: str | bytes) -> None:
        """Hide the member's posts here and refuse their direct messages; nothing is sent."""
        rt = self._m._runtime(circle_id)
        key = self._other(rt, who)
        rt.personal = self._personal(lambda: rt.personal.block(key))
        await self._m._engine(lambda: rt.engine.decline_dm(key))
        await self._m.forget_accepted(rt, key)
        await self._store().set_member_flags(rt.id, key, blocked=True)
        await persist.save_personal(self._store(), rt)
        self._m.emit(Info(f"blocked {rt.name_of(key)}: you will not see them here"))

    async def unblock(self, circle_id: bytes, who: str | bytes) -> None:
        rt = self._m._runtime(circle_id)
        key = self._other(rt, who)
        rt.personal = rt.personal.unblock(key)
        await self._store().set_member_flags(rt.id, key, blocked=False)
        await persist.save_personal(self._store(), rt)
        self._m.emit(Info(f"unblocked {rt.name_of(key)}"))
        await self._m.reconsider_dm(rt, key)

    async def mute(self, circle_id: bytes, who: str | bytes, muted: bool = True) -> None:
        """No notifications for the member's posts (they still show); nothing is sent."""
        rt = self._m._runtime(circle_id)
        key = self._other(rt, who)
        rt.personal = self._personal(
            lambda: rt.personal.mute(key) if muted else rt.personal.unmute(key)
        )
        await self._store().set_member_flags(rt.id, key, muted=muted)
        await persist.save_personal(self._store(), rt)
        self._m.emit(Info(f"{'muted' if muted else 'unmuted'} {rt.name_of(key)}"))

    async def set_boundaries(self, circle_id: bytes, texts: Iterable[str]) -> list[str]:
        """Words or topics whose posts collapse behind a notice, for this person only."""
        rt = self._m._runtime(circle_id)
        rt.personal = self._personal(lambda: rt.personal.with_boundaries(texts))
        await persist.save_personal(self._store(), rt)
        return list(rt.personal.boundaries.texts)

    def boundaries(self, circle_id: bytes) -> list[str]:
        return list(self._m._runtime(circle_id).personal.boundaries.texts)

    async def report(
        self,
        circle_id: bytes,
        who: str | bytes,
        reason: str,
        details: str = "",
        *,
        post_id: bytes | None = None,
        anonymous: bool = True,
    ) -> bytes:
        """Report a member (with ``post_id``, or else their newest post here, as evidence) to
        the host and co-moderators only; anonymous unless asked otherwise. Returns its id."""
        rt = self._m._runtime(circle_id)
        key = self._key(rt, who)
        if key == rt.me:
            raise ModerationRefused("you cannot report yourself")
        try:
            kind = ReportReason(reason)
        except ValueError:
            raise ModerationRefused(
                f"unknown reason {reason!r}: one of {', '.join(REPORT_REASONS)}"
            ) from None
        if kind is ReportReason.FLOOD:
            raise ModerationRefused("flood reports are sent by the app itself")
        evidence = await self._evidence(rt, key, post_id)
        try:
            sealed, result = rt.mod.report(
                key, kind, details, self._m._now_ms(), evidence=evidence, anonymous=anonymous
            )
        except ModerationError as exc:
            raise refusal(exc) from None
        await self.run(rt, result)
        return sealed.id

    async def _evidence(
        self, rt: CircleRuntime, key: bytes, post_id: bytes | None
    ) -> SignedPost | None:
        store = self._store()
        if post_id is not None:
            record = await store.get_post(post_id)
            if record is None or record.circle_id != rt.id:
                raise ModerationRefused("no such post in this circle")
            if record.author_key != key:
                raise ModerationRefused("that post is not by the member reported")
            records = [record]
        else:
            newest = await store.newest_posts(rt.id, MAX_EVIDENCE_SCAN)
            records = [r for r in newest if r.author_key == key][:1]
        for record in records:
            try:
                return post_from_record(record)
            except EnvelopeError:
                return None
        return None

    def reports(self, circle_id: bytes, *, open_only: bool = True) -> list[ReportView]:
        """(Moderators.) The moderation queue, oldest first."""
        rt = self._m._runtime(circle_id)
        status = ReportStatus.OPEN if open_only else None
        return [self._queued_view(rt, q) for q in rt.mod.queue.items(status)]

    async def settle_report(
        self, circle_id: bytes, report_id: bytes, *, actioned: bool = False
    ) -> None:
        """Take a report off the queue: acted on (``actioned``), or dismissed."""
        rt = self._m._runtime(circle_id)
        status = ReportStatus.ACTIONED if actioned else ReportStatus.DISMISSED
        try:
            rt.mod.queue.set_status(report_id, status)
        except ModerationError as exc:
            raise ModerationRefused(f"no such report: {exc.reason.value}") from None
        await persist.save_moderation(self._store(), rt)

    async def author_of(self, circle_id: bytes, post_id: bytes) -> bytes:
        """Who wrote a post of the circle (for reports by post id)."""
        rt = self._m._runtime(circle_id)
        record = await self._store().get_post(post_id)
        if record is None or record.circle_id != rt.id:
            raise ModerationRefused("no such post in this circle")
        return record.author_key

    async def find_post(self, circle_id: bytes, text: str) -> bytes:
        """A post of the circle by its id in hex (or a unique prefix of at least 6 digits)."""
        rt = self._m._runtime(circle_id)
        wanted = text.strip().lower()
        try:
            raw = bytes.fromhex(wanted) if len(wanted) % 2 == 0 else b""
        except ValueError:
            raise ModerationRefused(f"not a post id: {text!r}") from None
        if len(raw) == 32:
            return raw
        if len(wanted) < 6 or any(c not in "0123456789abcdef" for c in wanted):
            raise ModerationRefused("give a post id (at least 6 hex digits)")
        records = await self._store().newest_posts(rt.id, 1000)
        found = {r.id for r in records if r.id.hex().startswith(wanted)}
        if len(found) != 1:
            raise ModerationRefused(
                "no post with that id" if not found else "more than one post has that id"
            )
        return found.pop()

    # -- helpers --------------------------------------------------------------------------
    def _store(self) -> AsyncStore:
        store, _ = self._m._require()
        return store

    def _other(self, rt: CircleRuntime, who: str | bytes) -> bytes:
        key = self._key(rt, who)
        if key == rt.me:
            raise ModerationRefused("that is you")
        return key

    def _key(self, rt: CircleRuntime, who: str | bytes) -> bytes:
        if isinstance(who, bytes):
            return who
        if pseudonyms.comparison_key(who) == pseudonyms.comparison_key(rt.membership.pseudonym):
            return rt.me
        return self._m._member_key(rt, who)

    @staticmethod
    def _personal(change: Callable[[], PersonalSettings]) -> PersonalSettings:
        try:
            return change()
        except ModerationError as exc:
            raise ModerationRefused(exc.detail or exc.reason.value) from None

    def _report_view(
        self, rt: CircleRuntime, report: OpenedReport, status: ReportStatus
    ) -> ReportView:
        post = None
        if report.evidence is not None:
            post = self._m._post_view(rt, report.evidence, present=False)
        reporter = report.reporter
        return ReportView(
            circle_id=rt.id,
            id=report.id,
            member_key=report.member,
            member=rt.name_of(report.member),
            reason=report.reason.value,
            details=report.details,
            reporter="" if reporter is None else rt.name_of(reporter),
            reporter_key=reporter,
            ts=report.ts / 1000,
            post=post,
            status=status.value,
        )

    def _queued_view(self, rt: CircleRuntime, queued: QueuedReport) -> ReportView:
        return self._report_view(rt, queued.report, queued.status)
