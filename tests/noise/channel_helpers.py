"""Two sans-IO channels wired back to back, with a clock the test controls."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

from network.channel import ChannelConfig, ChannelEvent, PeerHandshake, SecureChannel
from network.noise import KeyPair

PSK = bytes(range(32))


def identity_verifier(expected: bytes) -> Any:
    def verify(peer: PeerHandshake) -> str:
        if peer.payload != expected:
            raise ValueError("unexpected identity")
        return f"verified:{peer.payload.decode()}"

    return verify


def configs(psk: bytes | None = PSK, **changes: Any) -> tuple[ChannelConfig, ChannelConfig]:
    a = ChannelConfig(
        KeyPair.generate(),
        psk=psk,
        handshake_payload=b"alice",
        early_payload=b"hello",
        verify_peer=identity_verifier(b"bob"),
    )
    b = ChannelConfig(
        KeyPair.generate(),
        psk=psk,
        handshake_payload=b"bob",
        verify_peer=identity_verifier(b"alice"),
    )
    return replace(a, **changes), replace(b, **changes)


def pump(
    a: SecureChannel, b: SecureChannel, now: float = 0.0, rounds: int = 10
) -> tuple[list[ChannelEvent], list[ChannelEvent]]:
    """Move bytes both ways until neither side has anything to send (bounded)."""
    a_events: list[ChannelEvent] = []
    b_events: list[ChannelEvent] = []
    for _ in range(rounds):
        to_b, to_a = a.data_to_send(), b.data_to_send()
        if not to_b and not to_a:
            break
        if to_b:
            b_events += b.receive_data(to_b, now)
        if to_a:
            a_events += a.receive_data(to_a, now)
    return a_events, b_events


def open_pair(
    config_a: ChannelConfig | None = None,
    config_b: ChannelConfig | None = None,
    now: float = 0.0,
    cleartext: bytes = b"",
) -> tuple[SecureChannel, SecureChannel]:
    if config_a is None or config_b is None:
        config_a, config_b = configs()
    a = SecureChannel(config_a, initiator=True, now=now, cleartext=cleartext)
    b = SecureChannel(config_b, initiator=False, now=now, cleartext=cleartext)
    pump(a, b, now)
    assert a.is_open and b.is_open, (a.error, b.error)
    return a, b


def random_message(size: int) -> bytes:
    return os.urandom(size)
