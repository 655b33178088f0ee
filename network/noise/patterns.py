"""Noise handshake patterns (revision 34): the table, psk modifiers, and protocol-name parsing."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import NoiseConfigError
from .primitives import HASHES, HashSpec, make_hkdf

# name: (initiator pre-message, responder pre-message, messages alternating from the initiator)
_TABLE: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # one-way
    "N": ("", "s", ("e, es",)),
    "K": ("s", "s", ("e, es, ss",)),
    "X": ("", "s", ("e, es, s, ss",)),
    # fundamental interactive
    "NN": ("", "", ("e", "e, ee")),
    "NK": ("", "s", ("e, es", "e, ee")),
    "NX": ("", "", ("e", "e, ee, s, es")),
    "KN": ("s", "", ("e", "e, ee, se")),
    "KK": ("s", "s", ("e, es, ss", "e, ee, se")),
    "KX": ("s", "", ("e", "e, ee, se, s, es")),
    "XN": ("", "", ("e", "e, ee", "s, se")),
    "XK": ("", "s", ("e, es", "e, ee", "s, se")),
    "XX": ("", "", ("e", "e, ee, s, es", "s, se")),
    "IN": ("", "", ("e, s", "e, ee, se")),
    "IK": ("", "s", ("e, es, s, ss", "e, ee, se")),
    "IX": ("", "", ("e, s", "e, ee, se, s, es")),
}

ONE_WAY = frozenset({"N", "K", "X"})
TOKENS = frozenset({"e", "s", "ee", "es", "se", "ss", "psk"})


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in text.split(",") if t.strip())


@dataclass(frozen=True)
class HandshakePattern:
    """A handshake pattern with its modifiers applied: message ``i`` is sent by the initiator
    when ``i`` is even (one-way patterns have a single message)."""

    name: str
    initiator_pre: tuple[str, ...]
    responder_pre: tuple[str, ...]
    messages: tuple[tuple[str, ...], ...]
    psk_count: int

    @property
    def one_way(self) -> bool:
        return len(self.messages) == 1

    @property
    def has_psk(self) -> bool:
        return self.psk_count > 0

    def sends(self, initiator: bool) -> list[tuple[str, ...]]:
        """The messages written by the initiator (``True``) or the responder."""
        first = 0 if initiator else 1
        return list(self.messages[first::2])

    def needs_local_static(self, initiator: bool) -> bool:
        own_dh = {"ss", "se" if initiator else "es"}
        pre = self.initiator_pre if initiator else self.responder_pre
        if "s" in pre:
            return True
        return any(t == "s" or t in own_dh for msg in self.sends(initiator) for t in msg)

    def remote_static_premessage(self, initiator: bool) -> bool:
        return "s" in (self.responder_pre if initiator else self.initiator_pre)


_NAME_RE = re.compile(r"^(?P<base>[A-Z]+)(?P<mods>[a-z0-9+]*)$")
_PSK_RE = re.compile(r"^psk(?P<n>[0-9]+)$")


@functools.lru_cache(maxsize=64)
def parse_pattern(name: str) -> HandshakePattern:
    """``"XXpsk3"`` or ``"NNpsk0+psk2"`` into a :class:`HandshakePattern`."""
    match = _NAME_RE.match(name)
    if match is None or match["base"] not in _TABLE:
        raise NoiseConfigError(f"unsupported handshake pattern {name!r}")
    ipre, rpre, texts = _TABLE[match["base"]]
    messages = [list(_tokens(t)) for t in texts]
    psks: list[int] = []
    mods = match["mods"]
    if mods:
        for mod in mods.split("+"):
            psk = _PSK_RE.match(mod)
            if psk is None:
                raise NoiseConfigError(f"unsupported pattern modifier {mod!r} in {name!r}")
            psks.append(int(psk["n"]))
    if len(set(psks)) != len(psks):
        raise NoiseConfigError(f"repeated psk modifier in {name!r}")
    for n in psks:
        if n > len(messages):
            raise NoiseConfigError(f"psk{n} is past the last message of {name!r}")
        if n == 0:
            messages[0].insert(0, "psk")
        else:
            messages[n - 1].append("psk")
    return HandshakePattern(
        name=name,
        initiator_pre=_tokens(ipre),
        responder_pre=_tokens(rpre),
        messages=tuple(tuple(m) for m in messages),
        psk_count=len(psks),
    )


@dataclass(frozen=True)
class Protocol:
    """A parsed protocol name such as ``Noise_XXpsk3_25519_ChaChaPoly_BLAKE2b``."""

    name: str
    pattern: HandshakePattern
    hash: HashSpec
    initial_h: bytes
    """``h`` (and ``ck``) after InitializeSymmetric(protocol_name), before the prologue."""
    hkdf: Callable[[bytes, bytes, int], tuple[bytes, ...]] = field(compare=False, repr=False)


@functools.lru_cache(maxsize=64)
def parse_protocol(name: str) -> Protocol:
    parts = name.split("_")
    if len(parts) != 5 or parts[0] != "Noise":
        raise NoiseConfigError(f"malformed Noise protocol name {name!r}")
    _, pattern_name, dh_name, cipher_name, hash_name = parts
    if dh_name != "25519":
        raise NoiseConfigError(f"unsupported DH function {dh_name!r} (only 25519)")
    if cipher_name != "ChaChaPoly":
        raise NoiseConfigError(f"unsupported cipher {cipher_name!r} (only ChaChaPoly)")
    spec = HASHES.get(hash_name)
    if spec is None:
        raise NoiseConfigError(f"unsupported hash {hash_name!r}")
    pattern = parse_pattern(pattern_name)
    raw = name.encode("ascii")
    initial = raw.ljust(spec.hashlen, b"\0") if len(raw) <= spec.hashlen else spec.hash(raw)
    return Protocol(name, pattern, spec, initial, make_hkdf(spec))
