"""The host's end of one join exchange: sans-IO, bytes in, bytes and events out.

Drive it from any byte stream::

    session = invitation.new_session()
    events = session.receive_data(chunk, now=clock())   # whenever bytes arrive
    writer.write(session.data_to_send())                 # after every call
    ... session.approve() / session.deny() when the host decides (then flush again)
    if session.finished: flush and close the connection
    on EOF or a timeout: events = session.connection_lost()

Clock and timeouts belong to the caller; the session never reads the time itself.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Protocol

from spake2 import SPAKE2_B

from .. import pseudonym as pseudonyms
from .code import JoinCode
from .crypto import HOST_ID, NEWCOMER_ID, SessionKeys, Side
from .errors import FrameError, JoinStateError
from .events import (
    AttemptFailed,
    AttemptRefused,
    FailureReason,
    InvitationClosed,
    JoinEvent,
    JoinFailed,
    JoinRequested,
    NewcomerAdmitted,
    NewcomerDenied,
)
from .framing import FrameDecoder, frame
from .messages import (
    PROTOCOL_VERSION,
    SPAKE_MESSAGE_SIZE,
    Abort,
    AbortReason,
    Answer,
    Malformed,
    Message,
    Pake,
    Reply,
    Request,
    decode,
    decode_plain,
    encode,
    encode_plain,
)
from .policy import DEFAULT_REFUSAL, InvitationState

MAX_REFUSAL = 500

_REFUSALS = {
    InvitationState.CLOSED: AbortReason.CLOSED,
    InvitationState.EXPIRED: AbortReason.EXPIRED,
    InvitationState.CANCELLED: AbortReason.CANCELLED,
    InvitationState.BUSY: AbortReason.BUSY,
}


class HostState(Enum):
    AWAITING_PAKE = "awaiting_pake"
    AWAITING_REQUEST = "awaiting_request"
    AWAITING_DECISION = "awaiting_decision"
    ADMITTED = "admitted"
    DENIED = "denied"
    FAILED = "failed"


_FINISHED = (HostState.ADMITTED, HostState.DENIED, HostState.FAILED)
_ENGAGED = (
    HostState.AWAITING_REQUEST,
    HostState.AWAITING_DECISION,
    HostState.ADMITTED,
    HostState.DENIED,
)


class InvitationPort(Protocol):
    """What a host session needs from the invitation it belongs to (an :class:`~.invitation.
    Invitation`; a port, so this module does not import the invitation that creates sessions)."""

    code: JoinCode
    invite: str
    auto_approve: bool

    def state(self, now: float) -> InvitationState: ...

    @property
    def attempts_left(self) -> int: ...

    def begin_attempt(self) -> None: ...

    def attempt_confirmed(self) -> None: ...

    def attempt_failed(self) -> None: ...

    def attempt_dropped(self) -> None: ...

    def register(self, session: HostSession) -> str: ...

    def settled(self, request_id: str, *, admitted: bool) -> None: ...


class HostSession:
    def __init__(self, invitation: InvitationPort) -> None:
        self.invitation = invitation
        self.state = HostState.AWAITING_PAKE
        self.request_id: str | None = None
        self.pseudonym: str | None = None
        self._decoder = FrameDecoder()
        self._outgoing = bytearray()
        self._keys: SessionKeys | None = None
        self.on_output: Callable[[], None] | None = None
        """Called when a decision (approve/deny) queued bytes: an adapter's cue to flush."""

    @property
    def engaged(self) -> bool:
        """The newcomer's SPAKE2 message was taken: the exchange stakes one of the code's few
        guesses (or already proved the code), which a stranger cannot do for free."""
        return self.state in _ENGAGED

    @property
    def finished(self) -> bool:
        """No more bytes will be read: flush :meth:`data_to_send`, then close."""
        return self.state in _FINISHED

    def data_to_send(self) -> bytes:
        data = bytes(self._outgoing)
        self._outgoing.clear()
        return data

    def _send(self, message: Message) -> None:
        self._outgoing += frame(encode(message))

    # -- input ----------------------------------------------------------------------------
    def receive_data(self, data: bytes, now: float) -> list[JoinEvent]:
        if self.finished:
            return []
        try:
            frames = self._decoder.feed(data)
        except FrameError:
            return self._fail(FailureReason.MALFORMED, AbortReason.MALFORMED)
        events: list[JoinEvent] = []
        for raw in frames:
            if self.finished:
                break
            try:
                message = decode(raw)
                events += self._handle(message, now)
            except Malformed:
                events += self._fail(FailureReason.MALFORMED, AbortReason.MALFORMED)
        return events

    def _handle(self, message: Message, now: float) -> list[JoinEvent]:
        if isinstance(message, Abort):
            reason = (
                FailureReason.WRONG_CODE
                if message.reason is AbortReason.WRONG_CODE
                else FailureReason.ABANDONED
            )
            return self._fail(reason, None)
        if self.state is HostState.AWAITING_PAKE and isinstance(message, Pake):
            return self._on_pake(message, now)
        if self.state is HostState.AWAITING_REQUEST and isinstance(message, Request):
            return self._on_request(message, now)
        raise Malformed("unexpected message")

    def _on_pake(self, message: Pake, now: float) -> list[JoinEvent]:
        if message.version != PROTOCOL_VERSION:
            return self._refuse(FailureReason.UNSUPPORTED_VERSION, AbortReason.UNSUPPORTED_VERSION)
        state = self.invitation.state(now)
        if state is not InvitationState.OPEN:
            reason = _REFUSALS[state]
            return self._refuse(FailureReason(reason.value), reason)
        if len(message.spake) != SPAKE_MESSAGE_SIZE:
            raise Malformed("spake2 message size")
        self.invitation.begin_attempt()
        self.state = HostState.AWAITING_REQUEST
        spake = SPAKE2_B(self.invitation.code.password, idA=NEWCOMER_ID, idB=HOST_ID)
        outbound = spake.start()
        try:
            shared = spake.finish(message.spake)
        except Exception:  # spake2 raises ValueError, its own errors or asserts on bad points
            self.invitation.attempt_dropped()
            self.state = HostState.AWAITING_PAKE
            raise Malformed("bad spake2 message") from None
        self._keys = SessionKeys.derive(shared, message.spake, outbound)
        self._send(Reply(outbound, self._keys.confirmation(Side.HOST)))
        return []

    def _on_request(self, message: Request, now: float) -> list[JoinEvent]:
        assert self._keys is not None
        if not self._keys.confirms(Side.NEWCOMER, message.confirmation):
            return self._wrong_code()
        self.invitation.attempt_confirmed()
        self.state = HostState.AWAITING_DECISION
        plain = self._keys.open(Side.NEWCOMER, message.sealed)
        if plain is None:
            return self._fail(FailureReason.MALFORMED, AbortReason.MALFORMED)
        try:
            (name,) = decode_plain(plain, 1)
            name = pseudonyms.validate(name)
        except (Malformed, pseudonyms.PseudonymError):
            return self._fail(FailureReason.MALFORMED, AbortReason.MALFORMED)
        self.pseudonym = name
        self.request_id = self.invitation.register(self)
        events: list[JoinEvent] = [JoinRequested(self.request_id, name)]
        if self.invitation.auto_approve:
            events += self.approve()
        return events

    # -- the host's decision --------------------------------------------------------------
    def approve(self) -> list[JoinEvent]:
        """Send the circle's invitation to this newcomer."""
        request_id, name = self._decidable()
        assert self._keys is not None
        sealed = self._keys.seal(Side.HOST, encode_plain(["welcome", self.invitation.invite]))
        self._send(Answer(sealed))
        self.state = HostState.ADMITTED
        self.invitation.settled(request_id, admitted=True)
        self._output_ready()
        return [NewcomerAdmitted(request_id, name)]

    def deny(self, message: str | None = None) -> list[JoinEvent]:
        """Turn this newcomer away with a kind ``message`` (a default one if ``None``)."""
        request_id, name = self._decidable()
        assert self._keys is not None
        text = (message or DEFAULT_REFUSAL).strip()[:MAX_REFUSAL] or DEFAULT_REFUSAL
        self._send(Answer(self._keys.seal(Side.HOST, encode_plain(["refused", text]))))
        self.state = HostState.DENIED
        self.invitation.settled(request_id, admitted=False)
        self._output_ready()
        return [NewcomerDenied(request_id, name)]

    def _output_ready(self) -> None:
        if self.on_output is not None:
            self.on_output()

    def _decidable(self) -> tuple[str, str]:
        if (
            self.state is not HostState.AWAITING_DECISION
            or self.request_id is None
            or self.pseudonym is None
        ):
            raise JoinStateError(f"no request is waiting for a decision ({self.state.value})")
        return self.request_id, self.pseudonym

    # -- endings --------------------------------------------------------------------------
    def connection_lost(self) -> list[JoinEvent]:
        """The connection closed or timed out; an unconfirmed exchange counts as a wrong code."""
        if self.finished:
            return []
        return self._fail(FailureReason.ABANDONED, None)

    def _refuse(self, reason: FailureReason, abort: AbortReason) -> list[JoinEvent]:
        self._send(Abort(abort))
        self.state = HostState.FAILED
        return [AttemptRefused(reason)]

    def _wrong_code(self) -> list[JoinEvent]:
        return self._fail(FailureReason.WRONG_CODE, AbortReason.WRONG_CODE)

    def _fail(self, reason: FailureReason, abort: AbortReason | None) -> list[JoinEvent]:
        events: list[JoinEvent] = []
        if self.state is HostState.AWAITING_REQUEST:
            # Key-dependent bytes went out: whatever happened, one guess was spent.
            self.invitation.attempt_failed()
            events.append(AttemptFailed(self.invitation.attempts_left))
            if self.invitation.attempts_left == 0:
                events.append(InvitationClosed())
        elif self.state is HostState.AWAITING_DECISION and self.request_id is not None:
            self.invitation.settled(self.request_id, admitted=False)
        if abort is not None:
            self._send(Abort(abort))
        self.state = HostState.FAILED
        events.append(JoinFailed(reason))
        return events
