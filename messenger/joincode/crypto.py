"""Keys and sealing for the join protocol, all derived from the SPAKE2 shared key.

SPAKE2 (the ``spake2`` package, Ed25519 group) runs with the newcomer as side A and the host as
side B, identities ``b"hearth-join-v1/newcomer"`` and ``b"hearth-join-v1/host"``, and the code's
:attr:`~messenger.joincode.code.JoinCode.password`. From its 32-byte key ``K``::

    k(label)     = BLAKE2b-256(message=label, key=K, person=b"hearth-join-v1")
    confirm_X    = BLAKE2b-256(message=X's role || msg_A || msg_B, key=k(b"confirm " + role))
    sealing      = XSalsa20-Poly1305 (nacl SecretBox) with k(b"seal newcomer") one way
                   and k(b"seal host") the other, random nonces

Sealed plaintexts are padded to a multiple of 256 bytes so an observer cannot tell a welcome
from a refusal by its size.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from enum import Enum

import nacl.exceptions
import nacl.secret

PERSON = b"hearth-join-v1"
NEWCOMER_ID = b"hearth-join-v1/newcomer"
HOST_ID = b"hearth-join-v1/host"
CONFIRM_SIZE = 32
PAD_TO = 256


class Side(Enum):
    """Which end of a spoken-code session (not a member's role in a circle: that is
    :class:`messenger.views.Role`)."""

    NEWCOMER = b"newcomer"
    HOST = b"host"


def _key(shared: bytes, label: bytes) -> bytes:
    return hashlib.blake2b(label, key=shared, person=PERSON, digest_size=32).digest()


@dataclass(frozen=True, repr=False)
class SessionKeys:
    confirm_newcomer: bytes
    confirm_host: bytes
    seal_newcomer: bytes
    seal_host: bytes
    transcript: bytes

    @classmethod
    def derive(cls, shared: bytes, msg_a: bytes, msg_b: bytes) -> SessionKeys:
        return cls(
            confirm_newcomer=_key(shared, b"confirm newcomer"),
            confirm_host=_key(shared, b"confirm host"),
            seal_newcomer=_key(shared, b"seal newcomer"),
            seal_host=_key(shared, b"seal host"),
            transcript=msg_a + msg_b,
        )

    def confirmation(self, role: Side) -> bytes:
        key = self.confirm_newcomer if role is Side.NEWCOMER else self.confirm_host
        return hashlib.blake2b(
            role.value + self.transcript, key=key, digest_size=CONFIRM_SIZE
        ).digest()

    def confirms(self, role: Side, received: bytes) -> bool:
        return hmac.compare_digest(self.confirmation(role), received)

    def seal(self, role: Side, plaintext: bytes) -> bytes:
        """Encrypt ``plaintext`` sent by ``role``, padded to hide its length."""
        key = self.seal_newcomer if role is Side.NEWCOMER else self.seal_host
        body = len(plaintext).to_bytes(2, "big") + plaintext
        body += bytes(-len(body) % PAD_TO)
        return bytes(nacl.secret.SecretBox(key).encrypt(body))

    def open(self, role: Side, sealed: bytes) -> bytes | None:
        """The plaintext ``role`` sealed, or ``None`` if it was tampered with or malformed."""
        key = self.seal_newcomer if role is Side.NEWCOMER else self.seal_host
        try:
            body = nacl.secret.SecretBox(key).decrypt(sealed)
        except (nacl.exceptions.CryptoError, nacl.exceptions.ValueError, TypeError):
            return None
        if len(body) < 2:
            return None
        size = int.from_bytes(body[:2], "big")
        if size > len(body) - 2:
            return None
        return bytes(body[2 : 2 + size])
