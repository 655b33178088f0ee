"""The secure channel's vocabulary: constants, close codes, errors, configuration, events.

Everything here is re-exported by :mod:`network.channel`; import it from there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum, IntEnum

from .errors import NetworkError
from .noise import KeyPair
from .noise.primitives import TAGLEN

PROLOGUE_BASE = b"hearth/2"
LOBBY_PROTOCOL = "Noise_XX_25519_ChaChaPoly_BLAKE2b"
CIRCLE_PROTOCOL = "Noise_XXpsk0_25519_ChaChaPoly_BLAKE2b"
"""psk0: the circle key authenticates the initiator's first message, so a responder reveals
nothing (static key, payload) to anyone who does not hold it (docs/ARCHITECTURE.md)."""

BUCKETS = (256, 1024, 4096, 16384, 65535)
"""The sizes (ciphertext bytes, i.e. frame bodies) every transport record is padded to."""
HANDSHAKE_PAYLOAD_BUCKETS = (256, 1024, 4096, 16384)
MAX_HANDSHAKE_PAYLOAD = HANDSHAKE_PAYLOAD_BUCKETS[-1] - 2
MAX_HANDSHAKE_FRAME = 32 + (32 + TAGLEN) + HANDSHAKE_PAYLOAD_BUCKETS[-1] + TAGLEN
"""The longest XX handshake message (e, encrypted s, the largest padded payload): frames
announcing more are refused from their length alone while the handshake runs."""

RECORD_HEADER = 3
"""Record header: type (1 byte) and body length (2 bytes, big-endian)."""
MAX_RECORD_BODY = BUCKETS[-1] - TAGLEN - RECORD_HEADER
"""The most application bytes one frame carries; longer messages are fragmented."""
DEFAULT_MAX_MESSAGE = 256 * 1024


class RecordType(IntEnum):
    DATA = 1
    MORE = 2
    PING = 3
    PONG = 4
    CLOSE = 5
    READY = 6


class CloseCode(IntEnum):
    """Why a channel closed; sent in CLOSE records (any 16-bit value is allowed on the wire)."""

    NORMAL = 0
    GOING_AWAY = 1
    PROTOCOL_ERROR = 2
    INTEGRITY_ERROR = 3
    MESSAGE_TOO_LARGE = 4
    IDLE_TIMEOUT = 5
    HANDSHAKE_FAILED = 6
    HANDSHAKE_TIMEOUT = 7
    PEER_REJECTED = 8
    REPLACED = 9
    """A newer connection to the same peer won the tie-break."""
    TRUNCATED = 10
    """Never sent: the stream ended without a CLOSE record."""


def describe_code(code: int) -> str:
    try:
        return CloseCode(code).name.lower()
    except ValueError:
        return f"code {code}"


class ChannelState(Enum):
    HANDSHAKING = "handshaking"
    OPEN = "open"
    CLOSED = "closed"


# -- errors -------------------------------------------------------------------------------


class ChannelError(NetworkError):
    """Base of the channel's errors; ``code`` says why, as it would go in a CLOSE record."""

    default_code: int = CloseCode.PROTOCOL_ERROR

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = self.default_code if code is None else code


class ChannelClosedError(ChannelError):
    """The channel was closed cleanly (``by_peer`` tells by whom); nothing more can be sent."""

    default_code = CloseCode.NORMAL

    def __init__(self, message: str, code: int | None = None, *, by_peer: bool = False) -> None:
        super().__init__(message, code)
        self.by_peer = by_peer


class ChannelConfigError(ChannelError, ValueError):
    """The configuration cannot work (bad key, psk, payload size or timeouts)."""


class HandshakeError(ChannelError):
    """The handshake failed: bad message, wrong psk or prologue, peer hung up or refused."""

    default_code = CloseCode.HANDSHAKE_FAILED


class HandshakeTimeout(HandshakeError):
    default_code = CloseCode.HANDSHAKE_TIMEOUT


class PeerRejected(HandshakeError):
    """Our verifier refused the peer's static key or handshake payload."""

    default_code = CloseCode.PEER_REJECTED


class IntegrityError(ChannelError):
    """A frame failed authentication: tampered, replayed, reordered or forged."""

    default_code = CloseCode.INTEGRITY_ERROR


class ProtocolViolation(ChannelError):
    """Bad framing or a malformed record from an authenticated peer."""

    default_code = CloseCode.PROTOCOL_ERROR


class MessageTooLarge(ChannelError):
    default_code = CloseCode.MESSAGE_TOO_LARGE


class IdleTimeout(ChannelError):
    default_code = CloseCode.IDLE_TIMEOUT


class TruncatedError(ChannelError):
    """The stream ended without a CLOSE record: the end of the conversation may be missing."""

    default_code = CloseCode.TRUNCATED


class ChannelStateError(ChannelError):
    """A call that does not fit the channel's state (sending before it is open)."""


# -- values and events --------------------------------------------------------------------


@dataclass(frozen=True)
class PeerHandshake:
    """What the peer showed during the handshake, handed to the verifier."""

    remote_static: bytes
    payload: bytes
    """The peer's payload in the handshake message that carried its static key (encrypted)."""
    early_payload: bytes = b""
    """The initiator's first payload (clear in XX, sealed under the psk in XXpsk0); empty on the
    initiator's side."""


Verifier = Callable[[PeerHandshake], object]
"""Called once the peer's static key and payload are known, before the channel opens: return
anything (kept as :attr:`SecureChannel.peer_identity`) to accept, raise to refuse."""


@dataclass(frozen=True)
class ChannelConfig:
    """How this side runs its channels. ``psk`` set = a circle (XXpsk0), unset = the lobby (XX).

    ``handshake_payload`` goes in the handshake message that carries our static key (message 3
    for the initiator, 2 for the responder), encrypted; ``early_payload`` is the initiator's
    message 1 payload: in clear in the lobby (XX); in a circle (XXpsk0) it is sealed under the
    psk, so only members can read it, though it is not forward secret.
    """

    static: KeyPair
    psk: bytes | None = field(default=None, repr=False)
    handshake_payload: bytes = b""
    early_payload: bytes = b""
    verify_peer: Verifier | None = None
    handshake_timeout: float = 5.0
    idle_timeout: float = 60.0
    keepalive_interval: float | None = 20.0
    rekey_interval: int = 1000
    max_message_size: int = DEFAULT_MAX_MESSAGE
    pad: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.static, KeyPair):
            raise ChannelConfigError("static must be a noise.KeyPair")
        if self.psk is not None and len(self.psk) != 32:
            raise ChannelConfigError("psk must be 32 bytes")
        for name in ("handshake_payload", "early_payload"):
            if len(getattr(self, name)) > MAX_HANDSHAKE_PAYLOAD:
                raise ChannelConfigError(f"{name} is over {MAX_HANDSHAKE_PAYLOAD} bytes")
        if self.handshake_timeout <= 0 or self.idle_timeout <= 0:
            raise ChannelConfigError("timeouts must be positive")
        if self.keepalive_interval is not None and not (
            0 < self.keepalive_interval < self.idle_timeout
        ):
            raise ChannelConfigError("keepalive_interval must be within (0, idle_timeout)")
        if self.rekey_interval < 1:
            raise ChannelConfigError("rekey_interval must be at least 1")
        if self.max_message_size < 1:
            raise ChannelConfigError("max_message_size must be at least 1")

    @property
    def protocol_name(self) -> str:
        return LOBBY_PROTOCOL if self.psk is None else CIRCLE_PROTOCOL


@dataclass(frozen=True)
class HandshakeComplete:
    remote_static: bytes
    handshake_hash: bytes
    peer_payload: bytes
    peer_early_payload: bytes
    peer_identity: object


@dataclass(frozen=True)
class MessageReceived:
    data: bytes


@dataclass(frozen=True)
class PongReceived:
    rtt: float


@dataclass(frozen=True)
class ChannelClosed:
    """The channel is closed. ``error`` is None for a clean close by the peer."""

    code: int
    by_peer: bool
    error: ChannelError | None


ChannelEvent = HandshakeComplete | MessageReceived | PongReceived | ChannelClosed
