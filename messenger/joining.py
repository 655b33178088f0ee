"""Joining by spoken code on the LAN: the host's open invitations and the newcomer's side.

The host opens an invitation for a circle: the node announces the code's discovery key (derived
from the channel number) and hands every connection whose hello names it to a SPAKE2 session
(:mod:`messenger.joincode`). The newcomer finds a peer announcing that key, connects, and runs
its side; on a welcome it joins with the invite link the host sent over the PAKE-keyed channel.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from network.node import Node, RawHandler
from network.tasks import TaskSet

from . import joincode
from .errors import HearthError
from .events import CodeClosedEvent, CodeEvent, Event, Info, JoinRequestEvent, WrongCodeEvent
from .joincode.events import (
    AttemptFailed,
    InvitationClosed,
    JoinEvent,
    JoinFailed,
    JoinRequested,
    NewcomerAdmitted,
    NewcomerDenied,
    Refused,
    Welcomed,
)
from .joincode.invitation import Invitation, InvitationState
from .joincode.stream import HostConnection, join_over_stream

log = logging.getLogger(__name__)

FIND_TIMEOUT = 15.0


class JoinByCodeError(HearthError):
    code = "join_failed"


class NoInvitation(JoinByCodeError):
    code = "no_invitation"


class WrongCode(JoinByCodeError):
    code = "wrong_code"


class JoinRefused(JoinByCodeError):
    code = "join_refused"


_FAILURES = {
    "wrong_code": (WrongCode, "That code did not match. Check it with the host and try again."),
    "closed": (JoinByCodeError, "This invitation closed after too many wrong attempts."),
    "expired": (JoinByCodeError, "This code has expired. Ask the host for a new one."),
    "cancelled": (JoinByCodeError, "The host closed this invitation."),
    "busy": (JoinByCodeError, "The host is letting someone else in. Try again in a moment."),
}


RECHECK = 30.0  # seconds: open codes are looked at at least this often


@dataclass
class OpenInvitation:
    circle_id: bytes
    invitation: Invitation
    tasks: TaskSet = field(default_factory=TaskSet)


class Joining:
    """Open invitations (host side) and joins by code (newcomer side) for one messenger."""

    def __init__(
        self,
        node: Node,
        emit: Callable[[Event], None],
        clock: Callable[[], float] = time.time,
        find_timeout: float = FIND_TIMEOUT,
        admitted: Callable[[bytes, str], None] = lambda _circle, _name: None,
    ) -> None:
        self._node = node
        self._admitted = admitted  # the host let a code's newcomer in: no second ask at link
        self._find_timeout = find_timeout
        self._emit = emit
        self._clock = clock
        self._open: dict[bytes, OpenInvitation] = {}  # by the code's discovery key
        self._next_check: float | None = None  # when open codes are looked at again at the latest
        self._seeking: set[bytes] = set()

    # -- points announced ------------------------------------------------------------------
    async def _publish(self) -> None:
        points: dict[bytes, RawHandler | None] = {key: None for key in self._seeking}
        for key, entry in self._open.items():
            points[key] = self._handler(entry)
        await self._node.set_join_points(points)

    def _handler(self, entry: OpenInvitation) -> RawHandler:
        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            state = entry.invitation.state(self._clock())
            if state in (InvitationState.EXPIRED, InvitationState.CANCELLED):
                writer.close()
                return
            session = entry.invitation.new_session()
            connection = HostConnection(
                session,
                reader,
                writer,
                self._clock,
                lambda e: self._on_host_event(entry, e),
                # The newcomer staked a guess: no idle squatter, it keeps its place at the node.
                on_engaged=lambda: self._node.point_progressed(writer),
            )
            await connection.run()

        return serve

    # -- host -------------------------------------------------------------------------------
    def current(self, circle_id: bytes) -> CodeEvent | None:
        """The circle's spoken code that still works (open, or busy letting someone in), if
        any: what an invite dialog opened again shows, instead of replacing it."""
        now = self._clock()
        for entry in self._open.values():
            working = (InvitationState.OPEN, InvitationState.BUSY)
            if entry.circle_id == circle_id and entry.invitation.state(now) in working:
                invitation = entry.invitation
                return CodeEvent(circle_id, str(invitation.code), invitation.expires_at)
        return None

    async def open(self, circle_id: bytes, invite: str, *, auto_approve: bool = False) -> CodeEvent:
        """Open (or replace) the spoken-code invitation of a circle."""
        await self.close_circle(circle_id, publish=False)
        used = {entry.invitation.code.channel for entry in self._open.values()}
        code = joincode.generate(avoid_channels=used)
        invitation = Invitation(code, invite, now=self._clock(), auto_approve=auto_approve)
        self._open[code.discovery_key] = OpenInvitation(circle_id, invitation)
        await self._publish()
        event = CodeEvent(circle_id, str(code), invitation.expires_at)
        self._emit(event)
        return event

    async def close_circle(self, circle_id: bytes, *, publish: bool = True) -> None:
        for key, entry in list(self._open.items()):
            if entry.circle_id == circle_id:
                entry.invitation.cancel()
                await entry.tasks.close()
                del self._open[key]
        if publish:
            await self._publish()

    def set_invite(self, circle_id: bytes, invite: str) -> None:
        for entry in self._open.values():
            if entry.circle_id == circle_id:
                entry.invitation.set_invite(invite)

    def _find_request(self, request_id: str) -> Invitation:
        for entry in self._open.values():
            if entry.invitation.request(request_id) is not None:
                return entry.invitation
        raise NoInvitation("no newcomer is waiting with that request")

    def approve(self, request_id: str) -> None:
        invitation = self._find_request(request_id)
        session = invitation.request(request_id)
        assert session is not None
        events = session.approve()
        for entry in self._open.values():
            if entry.invitation is invitation:
                for event in events:  # the newcomer is expected at link: no second ask
                    self._on_host_event(entry, event)

    def deny(self, request_id: str, message: str | None = None) -> None:
        session = self._find_request(request_id).request(request_id)
        assert session is not None
        session.deny(message)

    def seconds_to_expiry(self) -> float | None:
        """How long until :meth:`expire` has something to do: the earliest open code's expiry,
        looked at again at least every ``RECHECK`` seconds (a code closed by wrong tries, or
        one whose newcomer is still mid-join); None with no code open."""
        if not self._open:
            return None
        now = self._clock()
        if self._next_check is None:
            self._next_check = now + RECHECK
        earliest = min(entry.invitation.expires_at for entry in self._open.values())
        return max(0.0, min(earliest, self._next_check) - now)

    async def expire(self) -> None:
        """Stop announcing invitations that expired or closed."""
        now = self._clock()
        self._next_check = now + RECHECK
        stale = [
            key
            for key, entry in self._open.items()
            if entry.invitation.state(now)
            in (InvitationState.EXPIRED, InvitationState.CLOSED, InvitationState.CANCELLED)
            and not entry.invitation.waiting()
        ]
        for key in stale:
            await self._open.pop(key).tasks.close()
        if stale:
            await self._publish()

    def _on_host_event(self, entry: OpenInvitation, event: JoinEvent) -> None:
        circle = entry.circle_id
        if isinstance(event, JoinRequested):
            self._emit(JoinRequestEvent(circle, event.request_id, event.pseudonym))
        elif isinstance(event, NewcomerAdmitted):
            self._admitted(circle, event.pseudonym)
            self._emit(Info(f"{event.pseudonym} was let in"))
        elif isinstance(event, NewcomerDenied):
            self._emit(Info(f"{event.pseudonym} was not let in"))
        elif isinstance(event, AttemptFailed):
            self._emit(
                WrongCodeEvent(
                    code="wrong_code_attempt",
                    message=f"someone typed a wrong code ({event.attempts_left} attempt(s) left)",
                    circle=circle,
                    attempts_left=event.attempts_left,
                )
            )
        elif isinstance(event, InvitationClosed):
            self._emit(
                CodeClosedEvent(
                    code="invitation_closed",
                    message="The spoken code closed for good after 3 wrong guesses: someone may "
                    "be guessing it. Make a new code (/code, or Make a new code in the Invite "
                    "window) and read it only to the person joining.",
                    circle=circle,
                )
            )

    # -- newcomer ---------------------------------------------------------------------------
    async def join(self, text: str, pseudonym: str) -> str:
        """Run the newcomer's side; returns the invite link the host sent."""
        code = joincode.parse(text)
        key = code.discovery_key
        self._seeking.add(key)
        await self._publish()
        try:
            try:
                peer = await asyncio.wait_for(self._node.find(key), self._find_timeout)
            except TimeoutError:
                raise NoInvitation(
                    "No invitation with that code is open on this network. "
                    "Check the number with the host."
                ) from None
            reader, writer = await self._node.open_raw(peer, key)
            outcome = await join_over_stream(reader, writer, code, pseudonym)
        finally:
            self._seeking.discard(key)
            await self._publish()
        if isinstance(outcome, Welcomed):
            return outcome.invite.to_text()
        if isinstance(outcome, Refused):
            raise JoinRefused(outcome.message)
        assert isinstance(outcome, JoinFailed)
        kind, words = _FAILURES.get(
            outcome.reason.value, (JoinByCodeError, f"joining failed: {outcome.reason.value}")
        )
        raise kind(words)

    async def close(self) -> None:
        for entry in self._open.values():
            entry.invitation.cancel()
            await entry.tasks.close()
        self._open.clear()
