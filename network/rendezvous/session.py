"""One rendezvous connection's crypto, sans-IO: Noise NK framed with 2-byte lengths.

The client knows the server's static key (from the rendezvous address) and sends the first
handshake message; the server answers; from then on every frame body is one transport message,
a padded control message (:mod:`.codec`) encrypted under the split keys. Both handshake payloads
are empty. The prologue names the protocol version, so a client of another version fails the
handshake instead of misreading messages.

The adapter reads whole frames (checking each length against :attr:`Session.max_frame` before
reading the body) and hands them to :meth:`Session.receive_frame`; it sends what
:meth:`Session.data_to_send` returns. A frame that breaks the protocol raises a
:class:`~network.rendezvous.errors.ProtocolError` and closes the session for good.
"""

from __future__ import annotations

from enum import Enum

from ..framing import HEADER_SIZE, MAX_FRAME, encode_frame
from ..noise import CipherState, HandshakeState, KeyPair, NoiseError
from ..noise.primitives import DHLEN, TAGLEN
from . import codec
from .errors import HandshakeFailed, MalformedMessage, ProtocolError

PROTOCOL = "Noise_NK_25519_ChaChaPoly_BLAKE2b"
PROLOGUE = b"hearth-rendezvous/1"
HANDSHAKE_FRAME = DHLEN + TAGLEN
"""Both NK handshake messages are exactly an ephemeral key and an empty payload's tag."""


class SessionState(Enum):
    HANDSHAKING = "handshaking"
    OPEN = "open"
    CLOSED = "closed"


class Session:
    """One end of a rendezvous connection. ``server_key`` makes a client, ``static`` a server."""

    def __init__(
        self,
        *,
        server_key: bytes | None = None,
        static: KeyPair | None = None,
        ephemeral: bytes | None = None,
    ) -> None:
        if (server_key is None) == (static is None):
            raise ValueError("give server_key (client) or static (server), not both")
        self.is_client = server_key is not None
        self.state = SessionState.HANDSHAKING
        self._out = bytearray()
        self._send: CipherState | None = None
        self._recv: CipherState | None = None
        self.handshake_hash = b""
        try:
            self._hs: HandshakeState | None = HandshakeState(
                PROTOCOL,
                initiator=self.is_client,
                prologue=PROLOGUE,
                s=static,
                rs=server_key,
                e=ephemeral,
            )
            if self.is_client:
                self._out += encode_frame(self._hs.write_message())
        except NoiseError as exc:
            raise HandshakeFailed(f"cannot start the handshake: {exc}") from exc

    @property
    def is_open(self) -> bool:
        return self.state is SessionState.OPEN

    @property
    def max_frame(self) -> int:
        """The longest frame body acceptable now: refuse longer ones from their length alone."""
        if self.state is SessionState.HANDSHAKING:
            return HANDSHAKE_FRAME
        return MAX_FRAME if self.is_client else codec.MAX_REQUEST_FRAME

    def check_length(self, size: int) -> None:
        """Raise :class:`MalformedMessage` for a frame length that cannot be right now."""
        handshaking = self.state is SessionState.HANDSHAKING
        if size == 0 or size > self.max_frame or (handshaking and size != HANDSHAKE_FRAME):
            self._close(keep_sending=self.state is SessionState.OPEN)
            raise MalformedMessage(f"frame of {size} bytes (limit {self.max_frame}) refused")

    def data_to_send(self) -> bytes:
        out = bytes(self._out)
        self._out.clear()
        return out

    def receive_frame(self, body: bytes) -> codec.Message | None:
        """One frame body in; the message it carries (None for a handshake message)."""
        if self.state is SessionState.CLOSED:
            raise ProtocolError("the session is closed")
        self.check_length(len(body))
        try:
            if self._hs is not None:
                self._handshake(body)
                return None
            assert self._recv is not None
            try:
                plaintext = self._recv.decrypt_with_ad(b"", body)
            except NoiseError as exc:
                raise MalformedMessage(f"message failed authentication: {exc}") from exc
        except ProtocolError:
            self._close()
            raise
        try:
            if self.is_client:
                return codec.decode_response(plaintext)
            return codec.decode_request(plaintext)
        except ProtocolError:
            self._close(keep_sending=True)  # authentic but malformed: one ERROR may still go out
            raise

    @property
    def can_send(self) -> bool:
        return self._send is not None

    def send(self, message: codec.Message) -> None:
        """Encrypt and queue ``message``. Open sessions can send; so can one closed by a
        malformed (but authentic) message, to say why."""
        if self._send is None:
            raise ProtocolError("the session cannot send")
        ciphertext = self._send.encrypt_with_ad(b"", codec.encode(message))
        self._out += encode_frame(ciphertext)

    def _handshake(self, body: bytes) -> None:
        hs = self._hs
        assert hs is not None
        if len(body) != HANDSHAKE_FRAME:
            raise HandshakeFailed(f"handshake message of {len(body)} bytes")
        try:
            payload = hs.read_message(bytes(body))
            if payload:
                raise HandshakeFailed("unexpected handshake payload")
            if not self.is_client:
                self._out += encode_frame(hs.write_message())
        except NoiseError as exc:
            raise HandshakeFailed(f"handshake failed: {exc}") from exc
        c1, c2 = hs.split()
        self._send, self._recv = (c1, c2) if self.is_client else (c2, c1)
        self.handshake_hash = hs.handshake_hash
        self._hs = None
        self.state = SessionState.OPEN

    def _close(self, keep_sending: bool = False) -> None:
        self.state = SessionState.CLOSED
        self._hs = None
        self._recv = None
        if not keep_sending:
            self._send = None


def frame_length(header: bytes) -> int:
    if len(header) != HEADER_SIZE:
        raise MalformedMessage("truncated frame header")
    return int.from_bytes(header, "big")
