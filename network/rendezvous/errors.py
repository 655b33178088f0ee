"""The rendezvous layer's error hierarchy, rooted at :class:`RendezvousError`."""

from __future__ import annotations

from enum import IntEnum

from ..errors import NetworkError


class ErrorCode(IntEnum):
    """Why the server refused a request; sent in ERROR messages."""

    MALFORMED = 1
    """The request could not be decoded or has the wrong shape (the connection is closed)."""
    BAD_SIGNATURE = 2
    """The registration's signature does not verify (the connection is closed)."""
    TAG_MISMATCH = 3
    """The tag is not the hash of the verify key (the connection is closed)."""
    EXPIRED = 4
    """The registration's TTL ended before the server saw it, or it claims a future time."""
    RATE_LIMITED = 5
    """Too many requests from this address or for this tag: try again later."""
    FULL = 6
    """A cap is reached (registrations, relays, connections)."""
    NOT_FOUND = 7
    """No such live registration (CONNECT) or pending relay (ACCEPT)."""
    TIMEOUT = 8
    """The other member did not accept the relay in time."""
    UNEXPECTED = 9
    """A request that does not fit the connection's state (the connection is closed)."""


FATAL_CODES = frozenset(
    {ErrorCode.MALFORMED, ErrorCode.BAD_SIGNATURE, ErrorCode.TAG_MISMATCH, ErrorCode.UNEXPECTED}
)
"""Refusals after which the server closes the connection."""


def describe(code: int) -> str:
    try:
        return ErrorCode(code).name.lower()
    except ValueError:
        return f"code {code}"


class RendezvousError(NetworkError):
    """Base of every error the rendezvous client and server raise on purpose."""


class AddressError(RendezvousError, ValueError):
    """A rendezvous address that cannot be parsed (the text says what is wrong)."""


class ProtocolError(RendezvousError):
    """Bytes from the other side that break the rendezvous protocol."""


class HandshakeFailed(ProtocolError):
    """The Noise NK handshake failed: wrong server key, garbage, or a tampered message."""


class MalformedMessage(ProtocolError):
    """A message that does not decode, or has the wrong shape, types or sizes."""


class Refused(RendezvousError):
    """The server refused a request; ``code`` says why (an :class:`ErrorCode` value)."""

    def __init__(self, code: int, reason: str = "") -> None:
        super().__init__(f"{describe(code)}: {reason}" if reason else describe(code))
        self.code = code
        self.reason = reason

    @property
    def fatal(self) -> bool:
        return self.code in FATAL_CODES


class Unavailable(RendezvousError):
    """The server cannot be reached, or the connection to it was lost."""


class KeyFileError(RendezvousError):
    """The server's key file cannot be read, created, or is not a key."""
