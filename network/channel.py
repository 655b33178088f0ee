"""The secure channel: a Noise XX / XXpsk0 session over length-framed TCP, sans-IO.

Bytes in (:meth:`SecureChannel.receive_data`), bytes out (:meth:`SecureChannel.data_to_send`),
events back, the clock passed in as ``now`` (seconds, monotonic). No sockets, no asyncio here:
:mod:`network.stream` is the thin asyncio adapter.

Wire format, after any bytes the caller exchanged in clear:

* every Noise message travels in a frame (:mod:`network.framing`): 2-byte big-endian length;
* the prologue is ``b"hearth/2"`` plus those clear bytes, so tampering with them fails the
  handshake;
* handshake payloads are ``length (2) + payload + zero padding`` up to a size bucket (an empty
  payload stays empty); the initiator's first payload is in clear with XX, and sealed under
  the psk with XXpsk0 (readable by every holder of the psk, not forward secret);
* each transport message holds one record: ``type (1) + body length (2) + body + zero padding``,
  padded so the frame body (ciphertext) is exactly one of :data:`BUCKETS` bytes. Records are
  DATA (last fragment of a message), MORE (a fragment, more follow), PING, PONG, CLOSE (a 2-byte
  reason code) and READY;
* when the responder has read and accepted the initiator's last handshake message it sends
  READY; the initiator declares the channel open on READY, so a wrong psk or a rejection is
  reported to it as a failed handshake rather than as a channel that dies at once;
* each direction's cipher is rekeyed after every :attr:`ChannelConfig.rekey_interval` records;
* keepalives come from the initiator only, and only when it has heard nothing for
  :attr:`ChannelConfig.keepalive_interval`: a link that carries traffic sends none, an idle one
  costs one PING and one PONG an interval; both sides keep their idle timeout (the responder's
  is fed by the initiator's pings);
* a channel ends with a CLOSE record; the stream ending without one is reported as truncation.
"""

from __future__ import annotations

import contextlib
import logging
import struct

from .channel_types import (
    BUCKETS,
    CIRCLE_PROTOCOL,
    DEFAULT_MAX_MESSAGE,
    HANDSHAKE_PAYLOAD_BUCKETS,
    LOBBY_PROTOCOL,
    MAX_HANDSHAKE_FRAME,
    MAX_HANDSHAKE_PAYLOAD,
    MAX_RECORD_BODY,
    PROLOGUE_BASE,
    RECORD_HEADER,
    ChannelClosed,
    ChannelClosedError,
    ChannelConfig,
    ChannelConfigError,
    ChannelError,
    ChannelEvent,
    ChannelState,
    ChannelStateError,
    CloseCode,
    HandshakeComplete,
    HandshakeError,
    HandshakeTimeout,
    IdleTimeout,
    IntegrityError,
    MessageReceived,
    MessageTooLarge,
    PeerHandshake,
    PeerRejected,
    PongReceived,
    ProtocolViolation,
    RecordType,
    TruncatedError,
    Verifier,
    describe_code,
)
from .framing import HEADER_SIZE, MAX_FRAME, FrameDecoder, FramingError
from .noise import CipherState, HandshakeState, NoiseError
from .noise.primitives import TAGLEN

log = logging.getLogger(__name__)


_RECORD = struct.Struct(">BH")
_ZEROS = memoryview(bytes(BUCKETS[-1]))
_CODE = struct.Struct(">H")
_MAX_PINGS = 16
_KEEP_OUTPUT_BUFFER = 2 * (HEADER_SIZE + BUCKETS[-1])


# -- padding ------------------------------------------------------------------------------


def _pad_handshake_payload(payload: bytes, pad: bool) -> bytes:
    if not payload:
        return b""
    size = len(payload) + 2
    if pad:
        size = next((b for b in HANDSHAKE_PAYLOAD_BUCKETS if b >= size), size)
    return b"".join((_CODE.pack(len(payload)), payload, _ZEROS[: size - 2 - len(payload)]))


def _unpad_handshake_payload(data: bytes) -> bytes:
    if not data:
        return b""
    if len(data) < 2:
        raise ProtocolViolation("handshake payload too short", CloseCode.HANDSHAKE_FAILED)
    (size,) = _CODE.unpack_from(data)
    if size + 2 > len(data):
        raise ProtocolViolation("handshake payload length is wrong", CloseCode.HANDSHAKE_FAILED)
    return data[2 : 2 + size]


def bucket_for(plaintext_size: int) -> int:
    """The ciphertext size a record of ``plaintext_size`` bytes is padded to."""
    need = plaintext_size + TAGLEN
    for size in BUCKETS:
        if size >= need:
            return size
    raise ValueError("record too large")


# -- the channel --------------------------------------------------------------------------


class SecureChannel:
    """One end of a secure channel. Construct, then pump bytes and the clock through it.

    The initiator's first handshake message is ready in :meth:`data_to_send` right after
    construction. Call :meth:`tick` at :meth:`next_deadline` (or sooner). After
    :class:`ChannelClosed`, send what :meth:`data_to_send` still holds, then close the
    transport.
    """

    def __init__(
        self,
        config: ChannelConfig,
        *,
        initiator: bool,
        now: float,
        cleartext: bytes = b"",
        ephemeral: bytes | None = None,
    ) -> None:
        self.config = config
        self.initiator = initiator
        self.state = ChannelState.HANDSHAKING
        self.remote_static: bytes | None = None
        self.handshake_hash: bytes | None = None
        self.peer_payload = b""
        self.peer_early_payload = b""
        self.peer_identity: object = None
        self.error: ChannelError | None = None
        self.close_code: int | None = None
        self.closed_by_peer = False
        self._decoder = FrameDecoder(MAX_HANDSHAKE_FRAME)
        self._obuf = bytearray()  # frames to send, sealed in place; only ever grows
        self._opos = 0
        self._rbuf = bytearray()  # one decrypted record (allocated on the first)
        self._reassembly = bytearray()
        self._send: CipherState | None = None
        self._recv: CipherState | None = None
        self._started = now
        self._last_recv = now
        self._last_send = now
        self._last_ping = now
        self._pings: dict[bytes, float] = {}
        self._ping_counter = 0
        self._rekey = config.rekey_interval
        self._hs: HandshakeState | None = HandshakeState(
            config.protocol_name,
            initiator=initiator,
            prologue=PROLOGUE_BASE + bytes(cleartext),
            s=config.static,
            e=ephemeral,
            psks=[config.psk] if config.psk is not None else [],
        )
        if initiator:
            self._write_handshake()

    # -- properties -------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.state is ChannelState.OPEN

    @property
    def closed(self) -> bool:
        return self.state is ChannelState.CLOSED

    @property
    def protocol_name(self) -> str:
        return self.config.protocol_name

    # -- output -----------------------------------------------------------------------

    def data_to_send(self) -> bytes:
        """Everything queued for the peer since the last call (may be empty)."""
        size = self._opos
        if not size:
            return b""
        self._opos = 0
        with memoryview(self._obuf) as view:
            data = bytes(view[:size])
        if len(self._obuf) > _KEEP_OUTPUT_BUFFER:  # after a burst: do not hold on to it
            self._obuf = bytearray()
        return data

    def _reserve(self, size: int) -> int:
        """Room for ``size`` more bytes of output; returns where they start."""
        start = self._opos
        need = start + size
        buf = self._obuf
        if len(buf) < need:
            buf.extend(bytes(max(need, 2 * len(buf)) - len(buf)))
        self._opos = need
        return start

    def _queue_frame(self, body: bytes) -> None:
        pos = self._reserve(HEADER_SIZE + len(body))
        self._obuf[pos : pos + HEADER_SIZE] = len(body).to_bytes(HEADER_SIZE, "big")
        self._obuf[pos + HEADER_SIZE : pos + HEADER_SIZE + len(body)] = body

    def _queue_record(
        self, rtype: int, body: bytes | bytearray | memoryview, now: float | None
    ) -> None:
        """Seal one record into the output buffer: frame header, record header, body and
        padding are written in place and encrypted there, with no intermediate copies."""
        send = self._send
        assert send is not None
        blen = len(body)
        size = RECORD_HEADER + blen
        plen = bucket_for(size) - TAGLEN if self.config.pad else size
        pos = self._reserve(HEADER_SIZE + plen + TAGLEN)
        buf = self._obuf
        buf[pos : pos + HEADER_SIZE] = (plen + TAGLEN).to_bytes(HEADER_SIZE, "big")
        start = pos + HEADER_SIZE
        _RECORD.pack_into(buf, start, rtype, blen)
        buf[start + RECORD_HEADER : start + size] = body
        buf[start + size : start + plen] = _ZEROS[: plen - size]
        send.encrypt_into(b"", buf, start, plen)
        if send.n % self._rekey == 0:
            send.rekey()
        if now is not None:
            self._last_send = now

    # -- application calls ------------------------------------------------------------

    def send_message(self, data: bytes | bytearray | memoryview, now: float) -> None:
        """Queue one application message, fragmented across frames if it needs to be."""
        if self.state is not ChannelState.OPEN:
            raise self._not_open()
        size = len(data)
        if size > self.config.max_message_size:
            raise MessageTooLarge(
                f"message of {size} bytes is over the {self.config.max_message_size}-byte limit"
            )
        if size <= MAX_RECORD_BODY:
            self._queue_record(RecordType.DATA, data, now)
            return
        view = memoryview(data)
        start = 0
        while size - start > MAX_RECORD_BODY:
            self._queue_record(RecordType.MORE, view[start : start + MAX_RECORD_BODY], now)
            start += MAX_RECORD_BODY
        self._queue_record(RecordType.DATA, view[start:], now)

    def ping(self, now: float) -> None:
        """Send a PING; the PONG comes back as :class:`PongReceived` with the round trip."""
        if self.state is not ChannelState.OPEN:
            raise self._not_open()
        self._ping_counter += 1
        token = self._ping_counter.to_bytes(8, "big")
        self._pings[token] = now
        self._last_ping = now
        while len(self._pings) > _MAX_PINGS:
            del self._pings[next(iter(self._pings))]
        self._queue_record(RecordType.PING, token, now)

    def close(self, code: int = CloseCode.NORMAL, now: float | None = None) -> None:
        """Close with ``code``: queues a CLOSE record when the session keys allow one."""
        if self.state is ChannelState.CLOSED:
            return
        if not 0 <= int(code) <= 0xFFFF:
            raise ValueError("close code must fit in 16 bits")
        if self._send is not None:
            self._queue_record(RecordType.CLOSE, _CODE.pack(int(code)), now)
        self._set_closed(int(code), by_peer=False, error=None)

    def _not_open(self) -> ChannelError:
        if self.state is ChannelState.HANDSHAKING:
            return ChannelStateError("the channel is not open yet")
        if self.error is not None:
            return self.error
        return ChannelClosedError(
            f"the channel is closed ({describe_code(self.close_code or 0)})",
            self.close_code,
            by_peer=self.closed_by_peer,
        )

    # -- input ------------------------------------------------------------------------

    def receive_data(self, data: bytes | bytearray | memoryview, now: float) -> list[ChannelEvent]:
        """Feed bytes from the transport; returns what happened."""
        events: list[ChannelEvent] = []
        if self.state is ChannelState.CLOSED or not data:
            return events
        try:
            frames = self._decoder.feed(data, copy=False)
        except FramingError as exc:
            frames = []
            self._fail(self._framing_error(exc), events)
        for frame in frames:
            if self.closed:  # an earlier frame of this batch closed the channel
                break
            try:
                if self._hs is not None:
                    self._on_handshake_frame(frame, now, events)
                else:
                    self._on_record_frame(frame, now, events)
            except ChannelError as exc:
                self._fail(exc, events)
        return events

    def receive_eof(self, now: float) -> list[ChannelEvent]:
        """The transport's read side ended."""
        events: list[ChannelEvent] = []
        if self.state is ChannelState.CLOSED:
            return events
        if self.state is ChannelState.HANDSHAKING:
            hs = self._hs
            # psk0: a wrong key fails message 1, so the responder hangs up before message 2
            unanswered = hs is not None and hs.message_index == 1 and self.config.psk is not None
            hint = (
                " (wrong circle key, or refused)"
                if self.initiator and (self._send or unanswered)
                else ""
            )
            error: ChannelError = HandshakeError(f"peer hung up during the handshake{hint}")
        else:
            error = TruncatedError("the stream ended without a close record")
        self._fail(error, events, send_close=False)
        return events

    def _framing_error(self, exc: FramingError) -> ChannelError:
        code = CloseCode.HANDSHAKE_FAILED if self._hs is not None else None
        cls = HandshakeError if self._hs is not None else ProtocolViolation
        error = cls(f"bad framing: {exc}", code)
        error.__cause__ = exc
        return error

    # -- handshake --------------------------------------------------------------------

    def _write_handshake(self) -> None:
        hs = self._hs
        assert hs is not None
        first = hs.message_index == 0
        payload = self.config.early_payload if first else self.config.handshake_payload
        try:
            message = hs.write_message(_pad_handshake_payload(payload, self.config.pad))
        except NoiseError as exc:
            raise HandshakeError(f"handshake failed: {exc}") from exc
        self._queue_frame(message)
        if hs.finished:
            self._split()

    def _split(self) -> None:
        hs = self._hs
        assert hs is not None
        self._decoder.max_frame = MAX_FRAME  # transport records may fill a whole frame
        c1, c2 = hs.split()
        self._send, self._recv = (c1, c2) if self.initiator else (c2, c1)
        self.handshake_hash = hs.handshake_hash

    def _on_handshake_frame(
        self, frame: bytes | memoryview, now: float, events: list[ChannelEvent]
    ) -> None:
        hs = self._hs
        assert hs is not None
        if hs.finished:  # initiator: waiting for READY
            self._on_record_frame(frame, now, events)
            return
        index = hs.message_index
        try:
            payload = _unpad_handshake_payload(hs.read_message(bytes(frame)))
        except NoiseError as exc:
            raise HandshakeError(f"handshake failed: {exc}") from exc
        self._last_recv = now
        if index == 0:
            self.peer_early_payload = payload
        if hs.finished:  # responder, last message: keys first, so a refusal can be sent
            self._split()
        if hs.remote_static is not None and self.remote_static is None:
            self.remote_static = hs.remote_static
            self.peer_payload = payload
            self._verify()
        if hs.finished:
            self._queue_record(RecordType.READY, b"", now)
            self._open(events)
        else:
            self._write_handshake()

    def _verify(self) -> None:
        verify = self.config.verify_peer
        if verify is None or self.remote_static is None:
            return
        peer = PeerHandshake(self.remote_static, self.peer_payload, self.peer_early_payload)
        try:
            self.peer_identity = verify(peer)
        except Exception as exc:
            log.debug("peer refused by verifier: %s", type(exc).__name__)
            raise PeerRejected(f"peer refused: {exc}") from exc

    def _open(self, events: list[ChannelEvent]) -> None:
        self._hs = None
        self.state = ChannelState.OPEN
        assert self.remote_static is not None and self.handshake_hash is not None
        events.append(
            HandshakeComplete(
                remote_static=self.remote_static,
                handshake_hash=self.handshake_hash,
                peer_payload=self.peer_payload,
                peer_early_payload=self.peer_early_payload,
                peer_identity=self.peer_identity,
            )
        )

    # -- records ----------------------------------------------------------------------

    def _on_record_frame(
        self, frame: bytes | memoryview, now: float, events: list[ChannelEvent]
    ) -> None:
        recv = self._recv
        assert recv is not None
        rbuf = self._rbuf
        if not rbuf:
            rbuf = self._rbuf = bytearray(BUCKETS[-1])
        try:
            plen = recv.decrypt_into(b"", frame, rbuf)
        except NoiseError as exc:
            if self.state is ChannelState.HANDSHAKING:
                raise HandshakeError(f"bad first record: {exc}") from exc
            raise IntegrityError(f"frame failed authentication: {exc}") from exc
        if recv.n % self._rekey == 0:
            recv.rekey()
        self._last_recv = now
        if plen < RECORD_HEADER:
            raise ProtocolViolation("record too short")
        rtype, size = _RECORD.unpack_from(rbuf)
        end = RECORD_HEADER + size
        if end > plen:
            raise ProtocolViolation("record length past its end")
        if self.state is ChannelState.HANDSHAKING:  # the initiator waits for READY
            if rtype == RecordType.READY:
                self._open(events)
                return
            if rtype == RecordType.CLOSE:
                code = self._close_code(rbuf, size)
                error = HandshakeError(f"peer refused the channel ({describe_code(code)})", code)
                self._set_closed(code, by_peer=True, error=error, events=events)
                return
            raise ProtocolViolation("expected READY after the handshake")
        if rtype == RecordType.DATA:
            with memoryview(rbuf) as view:
                if self._reassembly:
                    self._add_fragment(view[RECORD_HEADER:end])
                    data = bytes(self._reassembly)
                    self._reassembly = bytearray()
                else:
                    data = bytes(view[RECORD_HEADER:end])
            events.append(MessageReceived(data))
        elif rtype == RecordType.MORE:
            with memoryview(rbuf) as view:
                self._add_fragment(view[RECORD_HEADER:end])
        elif rtype == RecordType.PING:
            if size > 64:
                raise ProtocolViolation("oversize ping")
            self._queue_record(RecordType.PONG, bytes(rbuf[RECORD_HEADER:end]), now)
        elif rtype == RecordType.PONG:
            sent = self._pings.pop(bytes(rbuf[RECORD_HEADER:end]), None)
            if sent is not None:
                events.append(PongReceived(now - sent))
        elif rtype == RecordType.CLOSE:
            code = self._close_code(rbuf, size)
            self._set_closed(code, by_peer=True, error=None, events=events)
        else:
            raise ProtocolViolation(f"unknown record type {rtype}")

    def _add_fragment(self, body: memoryview) -> None:
        if len(self._reassembly) + len(body) > self.config.max_message_size:
            raise MessageTooLarge(
                f"incoming message over the {self.config.max_message_size}-byte limit"
            )
        self._reassembly += body

    @staticmethod
    def _close_code(rbuf: bytearray, size: int) -> int:
        if size != 2:
            raise ProtocolViolation("malformed close record")
        code: int = _CODE.unpack_from(rbuf, RECORD_HEADER)[0]
        return code

    # -- timers -----------------------------------------------------------------------

    def next_deadline(self) -> float | None:
        """When :meth:`tick` must next be called (None: never, the channel is closed)."""
        if self.state is ChannelState.HANDSHAKING:
            return self._started + self.config.handshake_timeout
        if self.state is ChannelState.OPEN:
            deadline = self._last_recv + self.config.idle_timeout
            keepalive = self._keepalive_due()
            return deadline if keepalive is None else min(deadline, keepalive)
        return None

    def tick(self, now: float) -> list[ChannelEvent]:
        """Fire whatever timers are due: handshake timeout, idle timeout, keepalive."""
        events: list[ChannelEvent] = []
        config = self.config
        if self.state is ChannelState.HANDSHAKING:
            if now >= self._started + config.handshake_timeout:
                timeout = HandshakeTimeout(
                    f"no complete handshake within {config.handshake_timeout:g} s"
                )
                self._fail(timeout, events)
        elif self.state is ChannelState.OPEN:
            if now >= self._last_recv + config.idle_timeout:
                self._fail(IdleTimeout(f"nothing heard for {config.idle_timeout:g} s"), events)
            elif (due := self._keepalive_due()) is not None and now >= due:
                self.ping(now)
        return events

    def _keepalive_due(self) -> float | None:
        """When the initiator next pings: an interval after it last heard anything (or last
        pinged, if nothing came back); the responder never pings, it answers."""
        interval = self.config.keepalive_interval
        if interval is None or not self.initiator:
            return None
        return max(self._last_recv, self._last_ping) + interval

    # -- closing ----------------------------------------------------------------------

    def _fail(
        self, error: ChannelError, events: list[ChannelEvent], send_close: bool = True
    ) -> None:
        if self.state is ChannelState.CLOSED:
            return
        log.debug("channel closing: %s (%s)", type(error).__name__, describe_code(error.code))
        if send_close and self._send is not None and error.code != CloseCode.TRUNCATED:
            with contextlib.suppress(NoiseError):  # only with an exhausted nonce
                self._queue_record(RecordType.CLOSE, _CODE.pack(error.code), None)
        self._set_closed(error.code, by_peer=False, error=error, events=events)

    def _set_closed(
        self,
        code: int,
        *,
        by_peer: bool,
        error: ChannelError | None,
        events: list[ChannelEvent] | None = None,
    ) -> None:
        self.state = ChannelState.CLOSED
        self.close_code = code
        self.closed_by_peer = by_peer
        self.error = error
        self._hs = None
        self._reassembly = bytearray()
        self._pings.clear()
        if events is not None:
            events.append(ChannelClosed(code, by_peer, error))


__all__ = [
    "BUCKETS",
    "CIRCLE_PROTOCOL",
    "DEFAULT_MAX_MESSAGE",
    "HANDSHAKE_PAYLOAD_BUCKETS",
    "LOBBY_PROTOCOL",
    "MAX_HANDSHAKE_FRAME",
    "MAX_HANDSHAKE_PAYLOAD",
    "MAX_RECORD_BODY",
    "PROLOGUE_BASE",
    "RECORD_HEADER",
    "ChannelClosed",
    "ChannelClosedError",
    "ChannelConfig",
    "ChannelConfigError",
    "ChannelError",
    "ChannelEvent",
    "ChannelState",
    "ChannelStateError",
    "CloseCode",
    "HandshakeComplete",
    "HandshakeError",
    "HandshakeTimeout",
    "IdleTimeout",
    "IntegrityError",
    "MessageReceived",
    "MessageTooLarge",
    "PeerHandshake",
    "PeerRejected",
    "PongReceived",
    "ProtocolViolation",
    "RecordType",
    "SecureChannel",
    "TruncatedError",
    "Verifier",
    "bucket_for",
    "describe_code",
]
