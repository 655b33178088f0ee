"""Errors raised on purpose by LAN discovery."""

from __future__ import annotations

from ..errors import NetworkError


class DiscoveryError(NetworkError):
    """Base of every error the discovery package raises on purpose."""


class InvalidCircleKey(DiscoveryError, ValueError):
    """A circle discovery key is not bytes of an acceptable length."""


class MalformedAnnouncement(DiscoveryError):
    """A peer's TXT record is not a well-formed Hearth announcement; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnsupportedVersion(MalformedAnnouncement):
    """A peer announces a discovery protocol version this build does not speak."""


class DiscoveryStateError(DiscoveryError):
    """A method was called in a state that does not allow it (started twice, used after close)."""


class DiscoveryStartError(DiscoveryError):
    """Discovery could not start: bad port, or the mDNS sockets could not be opened."""
