"""Noise's HandshakeState, table-driven over the patterns in :mod:`.patterns`.

Reads and writes are all-or-nothing: a message that fails (tampered, wrong psk or prologue,
low-order key, too long) raises a :class:`NoiseError` and leaves the state as it was before
the call, so the genuine message can still be processed.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from .cipher_state import CipherState
from .errors import MessageFormatError, MessageSizeError, NoiseConfigError, NoiseStateError
from .patterns import Protocol, parse_protocol
from .primitives import (
    DHLEN,
    MAX_MESSAGE_LEN,
    TAGLEN,
    KeyPair,
    check_key,
    dh,
    public_key,
    random_private_key,
)
from .symmetric_state import SymmetricState

PrivateKey = bytes | KeyPair


def _keypair(name: str, key: PrivateKey | None) -> KeyPair | None:
    if key is None or isinstance(key, KeyPair):
        return key
    checked = check_key(name, key)
    assert checked is not None
    return KeyPair(checked, public_key(checked))


@dataclass(frozen=True)
class _RolePlan:
    """What one role of one protocol needs, worked out once per (name, role)."""

    protocol: Protocol
    initiator: bool
    needs_static: bool
    needs_remote_static: bool
    premessages: tuple[tuple[str, bool], ...]
    """(token, is it our own key), initiator's pre-message first."""


@functools.lru_cache(maxsize=128)
def _role_plan(protocol_name: str, initiator: bool) -> _RolePlan:
    protocol = parse_protocol(protocol_name)
    pattern = protocol.pattern
    premessages = tuple((t, initiator) for t in pattern.initiator_pre) + tuple(
        (t, not initiator) for t in pattern.responder_pre
    )
    return _RolePlan(
        protocol=protocol,
        initiator=initiator,
        needs_static=pattern.needs_local_static(initiator),
        needs_remote_static=pattern.remote_static_premessage(initiator),
        premessages=premessages,
    )


class HandshakeState:
    """One side of a Noise handshake.

    ``s`` and ``e`` are private keys (or :class:`KeyPair` objects, which save deriving the
    public key again); ``e`` is normally generated and only injected by tests. ``rs`` and ``re``
    are the peer's public keys known before the handshake (pre-messages). ``psks`` are the
    32-byte pre-shared keys, in the order of the pattern's psk tokens.
    """

    __slots__ = (
        "_e",
        "_i",
        "_initiator",
        "_messages",
        "_psk",
        "_psks",
        "_re",
        "_rs",
        "_s",
        "_split_done",
        "_ss",
        "protocol_name",
    )

    def __init__(
        self,
        protocol_name: str,
        initiator: bool,
        prologue: bytes = b"",
        s: PrivateKey | None = None,
        e: PrivateKey | None = None,
        rs: bytes | None = None,
        re: bytes | None = None,
        psks: Sequence[bytes] = (),
    ) -> None:
        plan = _role_plan(protocol_name, bool(initiator))
        pattern = plan.protocol.pattern
        self.protocol_name = protocol_name
        self._initiator = plan.initiator
        self._s = s if isinstance(s, KeyPair) else _keypair("s", s)
        self._e = e if isinstance(e, KeyPair) else _keypair("e", e)
        self._rs = check_key("rs", rs)
        self._re = check_key("re", re)
        psk_list = [bytes(p) for p in psks]
        if len(psk_list) != pattern.psk_count:
            raise NoiseConfigError(
                f"{pattern.name} needs {pattern.psk_count} psk(s), got {len(psk_list)}"
            )
        if any(len(p) != 32 for p in psk_list):
            raise NoiseConfigError("each psk must be 32 bytes")
        self._psks = psk_list
        self._psk = pattern.has_psk
        if plan.needs_static and self._s is None:
            raise NoiseConfigError(f"{pattern.name} needs a local static key (s)")
        if plan.needs_remote_static and self._rs is None:
            raise NoiseConfigError(f"{pattern.name} needs the peer's static public key (rs)")
        self._messages = pattern.messages
        self._i = 0
        self._split_done = False

        ss = SymmetricState(plan.protocol)
        ss.mix_hash(prologue if type(prologue) is bytes else bytes(prologue))
        for token, mine in plan.premessages:
            if token == "s":
                key = self._s.public if mine and self._s else self._rs
            else:
                key = self._e.public if mine and self._e else self._re
            if key is None:
                raise NoiseConfigError(f"pre-message key {token!r} missing")
            ss.mix_hash(key)
            if token == "e" and self._psk:
                ss.mix_key(key)
        self._ss = ss

    # -- state ---------------------------------------------------------------------------

    @property
    def initiator(self) -> bool:
        return self._initiator

    @property
    def finished(self) -> bool:
        return self._i >= len(self._messages)

    @property
    def my_turn(self) -> bool:
        """True when the next call must be :meth:`write_message`."""
        return not self.finished and (self._i % 2 == 0) == self._initiator

    @property
    def message_index(self) -> int:
        return self._i

    @property
    def handshake_hash(self) -> bytes:
        """``h``: a unique identifier of the session once :attr:`finished` (channel binding)."""
        return self._ss.h

    @property
    def remote_static(self) -> bytes | None:
        return self._rs

    @property
    def remote_ephemeral(self) -> bytes | None:
        return self._re

    @property
    def local_static_public(self) -> bytes | None:
        return self._s.public if self._s else None

    # -- messages ------------------------------------------------------------------------

    def write_message(self, payload: bytes = b"") -> bytes:
        i = self._i
        if i >= len(self._messages):
            raise NoiseStateError("the handshake is finished: use the split cipher states")
        if (i % 2 == 0) != self._initiator:
            raise NoiseStateError("it is the peer's turn to send a handshake message")
        if len(payload) > MAX_MESSAGE_LEN:
            raise MessageSizeError(f"handshake payload over {MAX_MESSAGE_LEN} bytes")
        if type(payload) is not bytes:
            payload = bytes(payload)
        ss = self._ss
        snap = ss.snapshot()
        saved = (self._e, self._psks)
        try:
            out = bytearray()
            for token in self._messages[i]:
                if token == "e":
                    if self._e is None:
                        self._e = KeyPair.from_private(random_private_key())
                    pub = self._e.public
                    out += pub
                    ss.mix_hash(pub)
                    if self._psk:
                        ss.mix_key(pub)
                elif token == "s":
                    assert self._s is not None
                    out += ss.encrypt_and_hash(self._s.public)
                elif token == "psk":
                    ss.mix_key_and_hash(self._psks[0])
                    self._psks = self._psks[1:]
                else:
                    ss.mix_key(self._dh(token))
            out += ss.encrypt_and_hash(payload)
            if len(out) > MAX_MESSAGE_LEN:
                raise MessageSizeError(f"handshake message over {MAX_MESSAGE_LEN} bytes")
        except BaseException:
            ss.restore(snap)
            self._e, self._psks = saved
            raise
        self._i = i + 1
        return bytes(out)

    def read_message(self, message: bytes) -> bytes:
        i = self._i
        if i >= len(self._messages):
            raise NoiseStateError("the handshake is finished: use the split cipher states")
        if (i % 2 == 0) == self._initiator:
            raise NoiseStateError("it is our turn to send a handshake message")
        if len(message) > MAX_MESSAGE_LEN:
            raise MessageSizeError(f"handshake message over {MAX_MESSAGE_LEN} bytes")
        if type(message) is not bytes:
            message = bytes(message)
        ss = self._ss
        snap = ss.snapshot()
        saved = (self._re, self._rs, self._psks)
        try:
            pos = 0
            for token in self._messages[i]:
                if token == "e":
                    if len(message) - pos < DHLEN:
                        raise MessageFormatError("handshake message too short for a key")
                    self._re = message[pos : pos + DHLEN]
                    pos += DHLEN
                    ss.mix_hash(self._re)
                    if self._psk:
                        ss.mix_key(self._re)
                elif token == "s":
                    size = DHLEN + TAGLEN if ss.k is not None else DHLEN
                    if len(message) - pos < size:
                        raise MessageFormatError("handshake message too short for a key")
                    self._rs = ss.decrypt_and_hash(message[pos : pos + size])
                    pos += size
                elif token == "psk":
                    ss.mix_key_and_hash(self._psks[0])
                    self._psks = self._psks[1:]
                else:
                    ss.mix_key(self._dh(token))
            payload = ss.decrypt_and_hash(message[pos:])
        except BaseException:
            ss.restore(snap)
            self._re, self._rs, self._psks = saved
            raise
        self._i = i + 1
        return payload

    def _dh(self, token: str) -> bytes:
        # token is "ee", "es", "se" or "ss": the first letter is the initiator's key
        mine, theirs = (token[0], token[1]) if self._initiator else (token[1], token[0])
        local = self._e if mine == "e" else self._s
        remote = self._re if theirs == "e" else self._rs
        if local is None or remote is None:
            raise NoiseStateError(f"{token}: a key is missing")
        return dh(local.private, remote)

    def split(self) -> tuple[CipherState, CipherState]:
        """The transport ciphers: the initiator's sending cipher first. Only once."""
        if not self.finished:
            raise NoiseStateError("the handshake is not finished")
        if self._split_done:
            raise NoiseStateError("split() was already called")
        self._split_done = True
        pair = self._ss.split()
        self._e = None  # the ephemeral secret is no longer needed
        return pair
