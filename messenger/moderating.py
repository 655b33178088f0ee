"""Moderation and personal safety actions in the running peer: what the front ends call as
``Messenger.moderation`` (remove, block, mute, report, hide, appoint, dismiss, slow mode, close,
the moderation queue, boundaries), each taken on the circle's
:class:`~messenger.session.CircleSession` and performed by its pump (what the moderation
engine's results then do is in :mod:`messenger.effects`). Refusals are typed errors with
stable codes: ``not_allowed``, ``slow_mode`` (with the seconds left), ``removed``, ``closed``.

Nothing here is announced that the person did not choose to: block and mute send nothing; an
anonymous report names nobody, to anybody, and leaves after a random delay.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from . import anonymity, direct, persist
from . import pseudonym as pseudonyms
from .conversation import SignedPost
from .conversation.errors import EnvelopeError
from .conversation.records import post_from_record
from .effects import queued_view
from .errors import HearthError
from .events import Info, PostHiddenEvent, ReportEvent
from .moderation import (
    Action,
    Appoint,
    Close,
    Dismiss,
    Hide,
    ModerationError,
    NotPermitted,
    PersonalSettings,
    Reason,
    ReportReason,
    ReportStatus,
    SlowMode,
    should_notify,
    should_show,
)
from .pump import SessionPump
from .runtime import CircleRuntime
from .session import CircleSession
from .views import PostView, ReportView

__all__ = ["Moderation", "ModerationRefused", "PostHiddenEvent", "ReportEvent", "ReportView"]

log = logging.getLogger(__name__)

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


class Moderation:
    """``Messenger.moderation``: the actions front ends take, each on the circle's session."""

    def __init__(self, pumps: Callable[[bytes], SessionPump]) -> None:
        self._pump = pumps

    def _session(self, circle_id: bytes) -> CircleSession:
        return self._pump(circle_id).session

    async def _done(self, session: CircleSession) -> None:
        """Perform what the action queued."""
        await self._pump(session.id).drain()

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
        rt = self._rt_or_none(post.circle_id)
        return rt is not None and should_show(post, rt.personal, rt.mod.state, me=rt.me).hidden

    def notifies(self, post: PostView) -> bool:
        """Whether a new post may notify the person (not muted, not hidden, no boundary)."""
        rt = self._rt_or_none(post.circle_id)
        if rt is None or post.hidden:
            return False
        return should_notify(post, rt.personal, rt.mod.state, me=rt.me)

    def _rt_or_none(self, circle_id: bytes) -> CircleRuntime | None:
        try:
            return self._session(circle_id).rt
        except HearthError:
            return None

    # -- actions --------------------------------------------------------------------------
    async def _act(self, session: CircleSession, action: Action) -> None:
        try:
            result = session.rt.mod.act(action, session.now_ms())
        except NotPermitted as exc:
            raise refusal(exc) from None
        session.run_moderation(result)
        await self._done(session)

    async def remove(self, circle_id: bytes, who: str | bytes) -> None:
        """(Host or co-moderator.) Remove a member; the remover's client then rotates the secret
        and hands it to each remaining certified member."""
        session = self._session(circle_id)
        rt = session.rt
        key = self._key(session, who)
        try:
            result = rt.mod.remove(key, session.now_ms())
        except NotPermitted as exc:
            raise refusal(exc) from None
        session.run_moderation(result)
        await self._done(session)

    async def hide(self, circle_id: bytes, post_id: bytes) -> None:
        """(Host or co-moderator.) Hide a post for everyone."""
        await self._act(self._session(circle_id), Hide(post_id))

    async def cut_off(self, circle_id: bytes, post_id: bytes) -> None:
        """(Host or co-moderator.) Stop an anonymous flood: refuse the rest of this window's
        anonymous posts by whoever wrote ``post_id`` (by its linkage tag: nobody is named)."""
        session = self._session(circle_id)
        if not session.rt.is_moderator:
            raise ModerationRefused("only the host and moderators can cut off a flood")
        session.anon.cut_off(post_id)
        await self._done(session)

    async def appoint(self, circle_id: bytes, who: str | bytes) -> None:
        """(Host.) Make a member a co-moderator."""
        session = self._session(circle_id)
        await self._act(session, Appoint(self._key(session, who)))

    async def dismiss(self, circle_id: bytes, who: str | bytes) -> None:
        """(Host.) End a co-moderator's term."""
        session = self._session(circle_id)
        await self._act(session, Dismiss(self._key(session, who)))

    async def set_slow_mode(self, circle_id: bytes, seconds: int) -> None:
        """(Host or co-moderator.) Members may post at most once per ``seconds`` (0: off)."""
        session = self._session(circle_id)
        if not 0 <= seconds <= 3600:
            raise ModerationRefused("slow mode is 0 to 3600 seconds")
        await self._act(session, SlowMode(seconds))

    async def close_circle(self, circle_id: bytes) -> None:
        """(Host.) Close the circle for good: nobody posts any more; history stays."""
        await self._act(self._session(circle_id), Close())

    async def block(self, circle_id: bytes, who: str | bytes) -> None:
        """Hide the member's posts here and refuse their direct messages; nothing is sent."""
        session = self._session(circle_id)
        rt = session.rt
        key = self._other(session, who)
        session.set_personal(self._personal(lambda: rt.personal.block(key)))
        session.engine(lambda: rt.engine.decline_dm(key))
        await direct.forget_accepted(self._pump(circle_id), key)
        session.emit(Info(f"blocked {rt.name_of(key)}: you will not see them here"))
        await self._done(session)

    async def unblock(self, circle_id: bytes, who: str | bytes) -> None:
        session = self._session(circle_id)
        rt = session.rt
        key = self._other(session, who)
        session.set_personal(rt.personal.unblock(key))
        session.emit(Info(f"unblocked {rt.name_of(key)}"))
        await direct.reconsider(self._pump(circle_id), key)

    async def mute(self, circle_id: bytes, who: str | bytes, muted: bool = True) -> None:
        """No notifications for the member's posts (they still show); nothing is sent."""
        session = self._session(circle_id)
        rt = session.rt
        key = self._other(session, who)
        session.set_personal(
            self._personal(lambda: rt.personal.mute(key) if muted else rt.personal.unmute(key))
        )
        session.emit(Info(f"{'muted' if muted else 'unmuted'} {rt.name_of(key)}"))
        await self._done(session)

    async def set_boundaries(self, circle_id: bytes, texts: Iterable[str]) -> list[str]:
        """Words or topics whose posts collapse behind a notice, for this person only."""
        session = self._session(circle_id)
        rt = session.rt
        session.set_personal(self._personal(lambda: rt.personal.with_boundaries(texts)))
        await self._done(session)
        return list(rt.personal.boundaries.texts)

    def boundaries(self, circle_id: bytes) -> list[str]:
        return list(self._session(circle_id).rt.personal.boundaries.texts)

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
        session = self._session(circle_id)
        rt = session.rt
        key = self._key(session, who)
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
        evidence = await self._evidence(session, key, post_id)
        try:
            if anonymous:  # through the anonymous rounds, never over my own links
                sealed = anonymity.seal_report(rt, key, kind, details, session.now_ms(), evidence)
                session.anon.report(sealed.data)
                await self._done(session)
                return sealed.id
            sealed, result = rt.mod.report(
                key, kind, details, session.now_ms(), evidence=evidence, anonymous=False
            )
        except ModerationError as exc:
            raise refusal(exc) from None
        session.run_moderation(result)
        await self._done(session)
        return sealed.id

    async def _evidence(
        self, session: CircleSession, key: bytes, post_id: bytes | None
    ) -> SignedPost | None:
        store, rt = self._pump(session.id).store, session.rt
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
        session = self._session(circle_id)
        status = ReportStatus.OPEN if open_only else None
        return [queued_view(session, q) for q in session.rt.mod.queue.items(status)]

    async def settle_report(
        self, circle_id: bytes, report_id: bytes, *, actioned: bool = False
    ) -> None:
        """Take a report off the queue: acted on (``actioned``), or dismissed."""
        session = self._session(circle_id)
        status = ReportStatus.ACTIONED if actioned else ReportStatus.DISMISSED
        try:
            session.rt.mod.queue.set_status(report_id, status)
        except ModerationError as exc:
            raise ModerationRefused(f"no such report: {exc.reason.value}") from None
        persist.save_moderation(session.out, session.rt)
        await self._done(session)

    async def author_of(self, circle_id: bytes, post_id: bytes) -> bytes:
        """Who wrote a post of the circle (for reports by post id)."""
        session = self._session(circle_id)
        record = await self._pump(circle_id).store.get_post(post_id)
        if record is None or record.circle_id != session.id:
            raise ModerationRefused("no such post in this circle")
        return record.author_key

    async def find_post(self, circle_id: bytes, text: str) -> bytes:
        """A post of the circle by its id in hex (or a unique prefix of at least 6 digits)."""
        session = self._session(circle_id)
        wanted = text.strip().lower()
        try:
            raw = bytes.fromhex(wanted) if len(wanted) % 2 == 0 else b""
        except ValueError:
            raise ModerationRefused(f"not a post id: {text!r}") from None
        if len(raw) == 32:
            return raw
        if len(wanted) < 6 or any(c not in "0123456789abcdef" for c in wanted):
            raise ModerationRefused("give a post id (at least 6 hex digits)")
        records = await self._pump(circle_id).store.newest_posts(session.id, 1000)
        found = {r.id for r in records if r.id.hex().startswith(wanted)}
        if len(found) != 1:
            raise ModerationRefused(
                "no post with that id" if not found else "more than one post has that id"
            )
        return found.pop()

    # -- helpers --------------------------------------------------------------------------
    def _other(self, session: CircleSession, who: str | bytes) -> bytes:
        key = self._key(session, who)
        if key == session.rt.me:
            raise ModerationRefused("that is you")
        return key

    @staticmethod
    def _key(session: CircleSession, who: str | bytes) -> bytes:
        if isinstance(who, bytes):
            return anonymity.named(who)
        me = session.rt.membership.pseudonym
        if pseudonyms.comparison_key(who) == pseudonyms.comparison_key(me):
            return session.rt.me
        return session.find_member(who)

    @staticmethod
    def _personal(change: Callable[[], PersonalSettings]) -> PersonalSettings:
        try:
            return change()
        except ModerationError as exc:
            raise ModerationRefused(exc.detail or exc.reason.value) from None
