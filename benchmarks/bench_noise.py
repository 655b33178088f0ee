"""Noise handshakes and secure-channel throughput, beside noiseprotocol and raw PyNaCl AEAD.

Both ends run in this process. Each figure and its references are measured in alternating
rounds within the same run, and the best round of each is kept (the machine is shared and
noisy); the ratio is what to read.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from nacl import bindings

from benchmarks.report import Report, rate
from network.channel import (
    CIRCLE_PROTOCOL,
    PROLOGUE_BASE,
    ChannelConfig,
    MessageReceived,
    SecureChannel,
)
from network.noise import HandshakeState, KeyPair

XX = "Noise_XX_25519_ChaChaPoly_BLAKE2b"
XXPSK3 = "Noise_XXpsk3_25519_ChaChaPoly_BLAKE2b"
"""The circles' pattern before protocol 2 (the psk only at message 3)."""
ROUNDS = 10
ROUND_TIME = 0.15
NOISE_MAX_PLAINTEXT = 65535 - 16


def _best(fns: dict[str, Callable[[], object]], rounds: int = ROUNDS) -> dict[str, float]:
    """Calls per second of each function: the best of ``rounds`` alternating rounds."""
    best = dict.fromkeys(fns, 0.0)
    for _ in range(rounds):
        for name, fn in fns.items():
            best[name] = max(best[name], rate(fn, min_time=ROUND_TIME))
    return best


# -- handshakes ---------------------------------------------------------------------------


def _our_handshake(initiator_key: KeyPair, responder_key: KeyPair) -> Callable[[], object]:
    def run() -> object:
        i = HandshakeState(XX, initiator=True, prologue=b"hearth/1", s=initiator_key)
        r = HandshakeState(XX, initiator=False, prologue=b"hearth/1", s=responder_key)
        r.read_message(i.write_message())
        i.read_message(r.write_message())
        r.read_message(i.write_message())
        return i.split(), r.split()

    return run


def _psk_handshake(name: str, keys: tuple[KeyPair, KeyPair]) -> Callable[[], object]:
    psk = os.urandom(32)

    def run() -> object:
        i = HandshakeState(name, initiator=True, prologue=PROLOGUE_BASE, s=keys[0], psks=[psk])
        r = HandshakeState(name, initiator=False, prologue=PROLOGUE_BASE, s=keys[1], psks=[psk])
        r.read_message(i.write_message())
        i.read_message(r.write_message())
        r.read_message(i.write_message())
        return i.split(), r.split()

    return run


def _their_handshake(initiator_private: bytes, responder_private: bytes) -> Callable[[], object]:
    from noise.connection import Keypair, NoiseConnection

    name = XX.encode()

    def run() -> object:
        i = NoiseConnection.from_name(name)
        r = NoiseConnection.from_name(name)
        i.set_as_initiator()
        r.set_as_responder()
        i.set_keypair_from_private_bytes(Keypair.STATIC, initiator_private)
        r.set_keypair_from_private_bytes(Keypair.STATIC, responder_private)
        i.set_prologue(b"hearth/1")
        r.set_prologue(b"hearth/1")
        i.start_handshake()
        r.start_handshake()
        r.read_message(i.write_message())
        i.read_message(r.write_message())
        r.read_message(i.write_message())
        assert i.handshake_finished and r.handshake_finished
        return i, r

    return run


def _channel_handshake(config_a: ChannelConfig, config_b: ChannelConfig) -> Callable[[], object]:
    def run() -> object:
        a = SecureChannel(config_a, initiator=True, now=0.0)
        b = SecureChannel(config_b, initiator=False, now=0.0)
        b.receive_data(a.data_to_send(), 0.0)
        a.receive_data(b.data_to_send(), 0.0)
        b.receive_data(a.data_to_send(), 0.0)
        a.receive_data(b.data_to_send(), 0.0)
        assert a.is_open and b.is_open
        return a, b

    return run


def _dh_floor() -> Callable[[], object]:
    """The X25519 work of one XX handshake with cached statics: 6 DH and 2 key generations."""
    private, public = os.urandom(32), bindings.crypto_scalarmult_base(os.urandom(32))
    scalarmult, base = bindings.crypto_scalarmult, bindings.crypto_scalarmult_base

    def run() -> object:
        base(private)
        base(private)
        for _ in range(6):
            scalarmult(private, public)
        return None

    return run


def bench_handshakes(report: Report) -> None:
    keys = KeyPair.generate(), KeyPair.generate()
    config_a, config_b = ChannelConfig(keys[0]), ChannelConfig(keys[1])
    best = _best(
        {
            "ours": _our_handshake(*keys),
            "noiseprotocol": _their_handshake(keys[0].private, keys[1].private),
            "channel": _channel_handshake(config_a, config_b),
            "floor": _dh_floor(),
        }
    )
    report.compare(
        "XX handshakes/s (HandshakeState, both sides)",
        best["ours"],
        "hs/s",
        "noiseprotocol",
        best["noiseprotocol"],
        target=">= 2x",
    )
    report.compare(
        "XX handshakes/s vs the X25519 floor",
        best["ours"],
        "hs/s",
        "6 DH + 2 keygen alone",
        best["floor"],
        target="the most reachable is 1.0x",
    )
    psk = _best(
        {
            "now": _psk_handshake(CIRCLE_PROTOCOL, keys),
            "before": _psk_handshake(XXPSK3, keys),
        }
    )
    report.compare(
        "circle handshakes/s, XXpsk0 (psk first: protocol 2)",
        psk["now"],
        "hs/s",
        "XXpsk3 (protocol 1)",
        psk["before"],
        target="about 1.0x (same DH work)",
    )
    report.compare(
        "lobby channel opens/s (SecureChannel, + READY)",
        best["channel"],
        "hs/s",
        "noiseprotocol handshake",
        best["noiseprotocol"],
    )


# -- throughput ---------------------------------------------------------------------------


def _open_channels() -> tuple[SecureChannel, SecureChannel]:
    a = SecureChannel(ChannelConfig(KeyPair.generate()), initiator=True, now=0.0)
    b = SecureChannel(ChannelConfig(KeyPair.generate()), initiator=False, now=0.0)
    for _ in range(3):
        b.receive_data(a.data_to_send(), 0.0)
        a.receive_data(b.data_to_send(), 0.0)
    assert a.is_open and b.is_open
    return a, b


def _our_transfer(message: bytes) -> Callable[[], object]:
    a, b = _open_channels()

    def run() -> object:
        a.send_message(message, 1.0)
        events = b.receive_data(a.data_to_send(), 1.0)
        assert type(events[0]) is MessageReceived
        return events

    return run


def _their_transfer(message: bytes) -> Callable[[], object]:
    from noise.connection import Keypair, NoiseConnection

    i = NoiseConnection.from_name(XX.encode())
    r = NoiseConnection.from_name(XX.encode())
    i.set_as_initiator()
    r.set_as_responder()
    i.set_keypair_from_private_bytes(Keypair.STATIC, os.urandom(32))
    r.set_keypair_from_private_bytes(Keypair.STATIC, os.urandom(32))
    i.start_handshake()
    r.start_handshake()
    r.read_message(i.write_message())
    i.read_message(r.write_message())
    r.read_message(i.write_message())
    chunks = [
        message[k : k + NOISE_MAX_PLAINTEXT]
        for k in range(0, max(len(message), 1), NOISE_MAX_PLAINTEXT)
    ]

    def run() -> object:
        return b"".join(r.decrypt(i.encrypt(chunk)) for chunk in chunks)

    return run


def _raw_transfer(message: bytes) -> Callable[[], object]:
    key, nonce = os.urandom(32), bytes(12)
    encrypt = bindings.crypto_aead_chacha20poly1305_ietf_encrypt
    decrypt = bindings.crypto_aead_chacha20poly1305_ietf_decrypt

    def run() -> object:
        return decrypt(encrypt(message, b"", nonce, key), b"", nonce, key)

    return run


def bench_throughput(report: Report) -> None:
    for size, label, target in ((100, "100 B", None), (65536, "64 KiB", ">= 0.85x raw AEAD")):
        message = os.urandom(size)
        best = _best(
            {
                "ours": _our_transfer(message),
                "noiseprotocol": _their_transfer(message),
                "raw": _raw_transfer(message),
            }
        )
        mb = size / 1e6
        report.compare(
            f"channel {label} messages, encrypt + decrypt",
            best["ours"] * mb,
            "MB/s",
            "noiseprotocol",
            best["noiseprotocol"] * mb,
        )
        report.compare(
            f"channel {label} messages, encrypt + decrypt",
            best["ours"] * mb,
            "MB/s",
            "raw PyNaCl AEAD",
            best["raw"] * mb,
            target=target,
        )
        report.figure(f"channel {label} messages/s", best["ours"], "msg/s")


def run(report: Report) -> None:
    bench_handshakes(report)
    bench_throughput(report)


if __name__ == "__main__":
    run(Report())
