"""The host's side of a spoken-code invitation: the code, its clock, and its attempts.

An invitation admits any number of newcomers who know the code until it expires (ten minutes)
or is cancelled. Every exchange that reaches the key-derivation step costs one attempt at once
(the host cannot tell a newcomer who gave up from a guesser who learnt the answer), and gets it
back when the newcomer proves the key; three attempts lost close the invitation for good. At
most :attr:`max_failures` exchanges may be in flight together, so parallel guesses cannot
outrun the count.
"""

from __future__ import annotations

import secrets

from .code import LIFETIME_SECONDS, JoinCode
from .host import HostSession
from .policy import DEFAULT_REFUSAL, MAX_FAILURES, InvitationState

__all__ = ["DEFAULT_REFUSAL", "MAX_FAILURES", "Invitation", "InvitationState"]


class Invitation:
    """One open code for one circle, on the host."""

    def __init__(
        self,
        code: JoinCode,
        invite: str,
        *,
        now: float,
        lifetime: float = LIFETIME_SECONDS,
        max_failures: int = MAX_FAILURES,
        auto_approve: bool = False,
    ) -> None:
        self.code = code
        self.invite = invite  # the invite link text sent to admitted newcomers
        self.opened = now
        self.expires_at = now + lifetime
        self.max_failures = max_failures
        self.auto_approve = auto_approve
        self.failures = 0
        self.in_flight = 0
        self.admitted = 0
        self._cancelled = False
        self._requests: dict[str, HostSession] = {}

    # -- state ----------------------------------------------------------------------------
    def state(self, now: float) -> InvitationState:
        if self._cancelled:
            return InvitationState.CANCELLED
        if self.failures >= self.max_failures:
            return InvitationState.CLOSED
        if now >= self.expires_at:
            return InvitationState.EXPIRED
        if self.failures + self.in_flight >= self.max_failures:
            return InvitationState.BUSY
        return InvitationState.OPEN

    @property
    def attempts_left(self) -> int:
        return max(0, self.max_failures - self.failures)

    def cancel(self) -> None:
        self._cancelled = True

    def set_invite(self, invite: str) -> None:
        """Use a new link from now on (after the circle's secret rotated)."""
        self.invite = invite

    # -- sessions -------------------------------------------------------------------------
    def new_session(self) -> HostSession:
        """A session for one incoming connection (drive it with bytes; see HostSession)."""
        return HostSession(self)

    def request(self, request_id: str) -> HostSession | None:
        """The session waiting for a decision on ``request_id``, if any."""
        return self._requests.get(request_id)

    def waiting(self) -> list[HostSession]:
        return list(self._requests.values())

    # -- the InvitationPort its HostSessions use -----------------------------------------
    def begin_attempt(self) -> None:
        self.in_flight += 1

    def attempt_confirmed(self) -> None:
        self.in_flight -= 1

    def attempt_failed(self) -> None:
        self.in_flight -= 1
        self.failures += 1

    def attempt_dropped(self) -> None:
        """An exchange ended before any key-dependent byte was sent: no guess was made."""
        self.in_flight -= 1

    def register(self, session: HostSession) -> str:
        request_id = secrets.token_hex(3)
        while request_id in self._requests:
            request_id = secrets.token_hex(3)
        self._requests[request_id] = session
        return request_id

    def settled(self, request_id: str, *, admitted: bool) -> None:
        self._requests.pop(request_id, None)
        if admitted:
            self.admitted += 1
