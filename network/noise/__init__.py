"""The Noise Protocol Framework (revision 34), sans-IO, on PyNaCl.

Suite ``25519_ChaChaPoly_BLAKE2b`` (BLAKE2s, SHA256 and SHA512 also work as the hash), every
fundamental and one-way handshake pattern, psk modifiers (``XXpsk3``, ``NNpsk0+psk2``).
Verified against the cacophony test vectors in ``tests/data/noise-vectors/``.
"""

from .cipher_state import CipherState
from .errors import (
    DecryptError,
    InvalidPublicKey,
    MessageFormatError,
    MessageSizeError,
    NoiseConfigError,
    NoiseError,
    NoiseStateError,
    NonceExhausted,
)
from .handshake_state import HandshakeState
from .patterns import HandshakePattern, Protocol, parse_pattern, parse_protocol
from .primitives import MAX_MESSAGE_LEN, MAX_NONCE, TAGLEN, KeyPair

__all__ = [
    "MAX_MESSAGE_LEN",
    "MAX_NONCE",
    "TAGLEN",
    "CipherState",
    "DecryptError",
    "HandshakePattern",
    "HandshakeState",
    "InvalidPublicKey",
    "KeyPair",
    "MessageFormatError",
    "MessageSizeError",
    "NoiseConfigError",
    "NoiseError",
    "NoiseStateError",
    "NonceExhausted",
    "Protocol",
    "parse_pattern",
    "parse_protocol",
]
