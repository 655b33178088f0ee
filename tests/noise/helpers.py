"""Building both sides of a handshake for any pattern, with fresh keys."""

from __future__ import annotations

import os

from network.noise import HandshakeState, KeyPair, parse_protocol

SUITE = "25519_ChaChaPoly_BLAKE2b"
BASE_PATTERNS = ["N", "K", "X", "NN", "NK", "NX", "KN", "KK", "KX", "XN", "XK", "XX", "IN", "IK"]
BASE_PATTERNS.append("IX")


def make_pair(
    pattern: str,
    *,
    prologue: bytes = b"hearth/1",
    resp_prologue: bytes | None = None,
    resp_psk_flip: bool = False,
) -> tuple[HandshakeState, HandshakeState]:
    """Initiator and responder for ``Noise_<pattern>_25519_ChaChaPoly_BLAKE2b`` with keys that
    satisfy the pattern's pre-messages."""
    name = f"Noise_{pattern}_{SUITE}"
    spec = parse_protocol(name).pattern
    i_static, r_static = KeyPair.generate(), KeyPair.generate()
    psks = [os.urandom(32) for _ in range(spec.psk_count)]
    r_psks = [bytes([p[0] ^ 1]) + p[1:] for p in psks] if resp_psk_flip else psks
    initiator = HandshakeState(
        name,
        initiator=True,
        prologue=prologue,
        s=i_static,
        rs=r_static.public if spec.remote_static_premessage(True) else None,
        psks=psks,
    )
    responder = HandshakeState(
        name,
        initiator=False,
        prologue=prologue if resp_prologue is None else resp_prologue,
        s=r_static,
        rs=i_static.public if spec.remote_static_premessage(False) else None,
        psks=r_psks,
    )
    return initiator, responder


def run_handshake(
    initiator: HandshakeState, responder: HandshakeState, payloads: list[bytes] | None = None
) -> list[bytes]:
    """Drive both sides to the end; returns the messages sent."""
    sent: list[bytes] = []
    index = 0
    while not initiator.finished:
        writer, reader = (initiator, responder) if index % 2 == 0 else (responder, initiator)
        payload = payloads[index] if payloads and index < len(payloads) else b""
        message = writer.write_message(payload)
        assert reader.read_message(message) == payload
        sent.append(message)
        index += 1
    assert responder.finished
    return sent
