"""The Noise layer's error hierarchy, rooted at :class:`NoiseError`."""

from __future__ import annotations

from ..errors import NetworkError


class NoiseError(NetworkError):
    """Base of every error the Noise implementation raises on purpose."""


class NoiseConfigError(NoiseError):
    """Unsupported or malformed protocol name, or keys that do not fit the pattern."""


class NoiseStateError(NoiseError):
    """A call out of order: writing when it is the peer's turn, splitting too early, ..."""


class MessageSizeError(NoiseError):
    """A Noise message (or its payload) would exceed 65535 bytes."""


class MessageFormatError(NoiseError):
    """A received message is too short to hold what the pattern says it carries."""


class DecryptError(NoiseError):
    """Authenticated decryption failed: tampering, replay, wrong psk, wrong prologue or key."""


class InvalidPublicKey(NoiseError):
    """A Diffie-Hellman with this public key gives the all-zero output (a low-order point)."""


class NonceExhausted(NoiseError):
    """The cipher's nonce reached 2^64-1, which Noise reserves: the session must end."""
