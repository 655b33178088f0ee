"""The newcomer's end of one join exchange: sans-IO, bytes in, bytes and events out.

::

    session = NewcomerSession(code, pseudonym)
    writer.write(session.data_to_send())                 # the first message is ready at once
    events = session.receive_data(chunk)                 # whenever bytes arrive; flush after
    Welcomed(invite) → join the circle with ``invite``; Refused / JoinFailed → tell the person
    on EOF or a timeout: events = session.connection_lost()
"""

from __future__ import annotations

from enum import Enum

from spake2 import SPAKE2_A

from .. import pseudonym as pseudonyms
from ..invite_link import InviteLinkError
from ..invite_link import parse as parse_invite
from .code import JoinCode
from .crypto import HOST_ID, NEWCOMER_ID, SessionKeys, Side
from .errors import FrameError
from .events import CodeAccepted, FailureReason, JoinEvent, JoinFailed, Refused, Welcomed
from .framing import FrameDecoder, frame
from .messages import (
    PROTOCOL_VERSION,
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

MAX_REFUSAL = 500


class NewcomerState(Enum):
    AWAITING_REPLY = "awaiting_reply"
    AWAITING_ANSWER = "awaiting_answer"
    WELCOMED = "welcomed"
    REFUSED = "refused"
    FAILED = "failed"


_FINISHED = (NewcomerState.WELCOMED, NewcomerState.REFUSED, NewcomerState.FAILED)


class NewcomerSession:
    def __init__(self, code: JoinCode, pseudonym: str) -> None:
        self.code = code
        self.pseudonym = pseudonyms.validate(pseudonym)
        self.state = NewcomerState.AWAITING_REPLY
        self.failure: FailureReason | None = None
        self._decoder = FrameDecoder()
        self._outgoing = bytearray()
        self._keys: SessionKeys | None = None
        self._spake = SPAKE2_A(code.password, idA=NEWCOMER_ID, idB=HOST_ID)
        self._outbound = self._spake.start()
        self._send(Pake(PROTOCOL_VERSION, self._outbound))

    @property
    def finished(self) -> bool:
        return self.state in _FINISHED

    def data_to_send(self) -> bytes:
        data = bytes(self._outgoing)
        self._outgoing.clear()
        return data

    def _send(self, message: Message) -> None:
        self._outgoing += frame(encode(message))

    def receive_data(self, data: bytes) -> list[JoinEvent]:
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
                events += self._handle(decode(raw))
            except Malformed:
                events += self._fail(FailureReason.MALFORMED, AbortReason.MALFORMED)
        return events

    def _handle(self, message: Message) -> list[JoinEvent]:
        if isinstance(message, Abort):
            try:
                reason = FailureReason(message.reason.value)
            except ValueError:  # pragma: no cover - every AbortReason has a FailureReason
                reason = FailureReason.MALFORMED
            return self._fail(reason, None)
        if self.state is NewcomerState.AWAITING_REPLY and isinstance(message, Reply):
            return self._on_reply(message)
        if self.state is NewcomerState.AWAITING_ANSWER and isinstance(message, Answer):
            return self._on_answer(message)
        raise Malformed("unexpected message")

    def _on_reply(self, message: Reply) -> list[JoinEvent]:
        try:
            shared = self._spake.finish(message.spake)
        except Exception:  # spake2 raises ValueError, its own errors or asserts on bad points
            raise Malformed("bad spake2 message") from None
        keys = SessionKeys.derive(shared, self._outbound, message.spake)
        if not keys.confirms(Side.HOST, message.confirmation):
            # Tell the host, so its count is right at once; the failure reveals nothing else.
            return self._fail(FailureReason.WRONG_CODE, AbortReason.WRONG_CODE)
        self._keys = keys
        sealed = keys.seal(Side.NEWCOMER, encode_plain([self.pseudonym]))
        self._send(Request(keys.confirmation(Side.NEWCOMER), sealed))
        self.state = NewcomerState.AWAITING_ANSWER
        return [CodeAccepted()]

    def _on_answer(self, message: Answer) -> list[JoinEvent]:
        assert self._keys is not None  # AWAITING_ANSWER is only reached with keys
        plain = self._keys.open(Side.HOST, message.sealed)
        if plain is None:
            raise Malformed("sealed answer")
        kind, text = decode_plain(plain, 2)
        if kind == "welcome":
            try:
                invite = parse_invite(text)
            except InviteLinkError:
                raise Malformed("the invitation sent is not valid") from None
            self.state = NewcomerState.WELCOMED
            return [Welcomed(invite)]
        if kind == "refused":
            self.state = NewcomerState.REFUSED
            return [Refused(text[:MAX_REFUSAL])]
        raise Malformed("unknown answer")

    def connection_lost(self) -> list[JoinEvent]:
        if self.finished:
            return []
        return self._fail(FailureReason.ABANDONED, None)

    def _fail(self, reason: FailureReason, abort: AbortReason | None) -> list[JoinEvent]:
        if abort is not None:
            self._send(Abort(abort))
        self.state = NewcomerState.FAILED
        self.failure = reason
        return [JoinFailed(reason)]
