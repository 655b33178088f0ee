"""Per-circle identities: one membership = its own Noise key, signing key and pseudonym.

Nothing links one membership to another: every key is drawn fresh for each circle.

The identity statement travels as the Noise handshake payload (encrypted by Noise) and says
"the holder of this Ed25519 key uses this Noise static key, in this circle, under this name"::

    payload  = msgpack([1, ed25519_public (32), signature (64), pseudonym (str)])
    signed   = b"hearth/identity/v1\\x00" || noise_static_public (32) || circle_id (16)
               || len(pseudonym_utf8) (1 byte) || pseudonym_utf8

The receiver checks the signature against the static key Noise authenticated and the circle it
expects (:func:`verify`), so a statement cannot be replayed on another connection, moved to
another circle, or given another name.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from enum import Enum
from functools import cached_property
from typing import Any

import msgpack
import nacl.bindings
import nacl.exceptions
import nacl.signing

from network import strictpack

from . import pseudonym as pseudonyms
from .errors import HearthError
from .keyschedule import CIRCLE_ID_SIZE

STATEMENT_VERSION = 1
STATEMENT_DOMAIN = b"hearth/identity/v1\x00"
MAX_STATEMENT_SIZE = 512
KEY_SIZE = 32
SIGNATURE_SIZE = 64
MEMBERSHIP_FORMAT = 1


class IdentityProblem(Enum):
    MALFORMED = "malformed"
    OVERSIZE = "oversize"
    UNSUPPORTED_VERSION = "unsupported_version"
    BAD_SIGNATURE = "bad_signature"
    BAD_PSEUDONYM = "bad_pseudonym"


_MESSAGES = {
    IdentityProblem.MALFORMED: "the identity statement is malformed",
    IdentityProblem.OVERSIZE: "the identity statement is too large",
    IdentityProblem.UNSUPPORTED_VERSION: "the identity statement has an unsupported version",
    IdentityProblem.BAD_SIGNATURE: (
        "the identity statement is not signed for this connection and circle"
        " (forged, replayed, or meant for another circle)"
    ),
    IdentityProblem.BAD_PSEUDONYM: "the identity statement carries an unusable pseudonym",
}


class IdentityError(HearthError):
    """An identity statement or stored membership that cannot be trusted or read."""

    code = "bad_identity"

    def __init__(self, problem: IdentityProblem, detail: str = "") -> None:
        text = _MESSAGES[problem] + (f": {detail}" if detail else "")
        super().__init__(text)
        self.problem = problem


def noise_public_key(private: bytes) -> bytes:
    """The X25519 public key for a raw 32-byte private key."""
    return bytes(nacl.bindings.crypto_scalarmult_base(private))


def _signed_bytes(noise_static: bytes, circle_id: bytes, pseudonym: str) -> bytes:
    name = pseudonym.encode("utf-8")
    return STATEMENT_DOMAIN + noise_static + circle_id + bytes([len(name)]) + name


@dataclass(frozen=True)
class VerifiedIdentity:
    """Who is on the other end of a Noise session, once :func:`verify` accepted them."""

    member_key: bytes  # Ed25519 public key: the member's identity in this circle
    pseudonym: str
    noise_static: bytes

    @property
    def member_id(self) -> str:
        return self.member_key.hex()


@dataclass(frozen=True)
class IdentityStatement:
    """What the handshake payload carries; :meth:`encode` gives the payload bytes."""

    member_key: bytes
    signature: bytes
    pseudonym: str
    version: int = STATEMENT_VERSION

    def encode(self) -> bytes:
        fields = [self.version, self.member_key, self.signature, self.pseudonym]
        return bytes(msgpack.packb(fields, use_bin_type=True))


@dataclass(frozen=True, repr=False)
class Membership:
    """One's own identity in one circle. Holds private keys: ``repr`` never shows them."""

    circle_id: bytes
    pseudonym: str
    noise_private: bytes
    signing_seed: bytes

    def __post_init__(self) -> None:
        if len(self.circle_id) != CIRCLE_ID_SIZE:
            raise IdentityError(IdentityProblem.MALFORMED, "circle id size")
        if len(self.noise_private) != KEY_SIZE or len(self.signing_seed) != KEY_SIZE:
            raise IdentityError(IdentityProblem.MALFORMED, "key size")
        try:
            pseudonyms.validate(self.pseudonym)
        except pseudonyms.PseudonymError as exc:
            raise IdentityError(IdentityProblem.BAD_PSEUDONYM, str(exc)) from exc

    @classmethod
    def generate(
        cls, circle_id: bytes, pseudonym: str, *, signing_seed: bytes | None = None
    ) -> Membership:
        """A new membership with fresh keys (``signing_seed`` when the key had to exist first,
        as for a host whose key the circle id is derived from)."""
        return cls(
            circle_id=circle_id,
            pseudonym=pseudonyms.validate(pseudonym),
            noise_private=secrets.token_bytes(KEY_SIZE),
            signing_seed=secrets.token_bytes(KEY_SIZE) if signing_seed is None else signing_seed,
        )

    @cached_property
    def signing_key(self) -> nacl.signing.SigningKey:
        return nacl.signing.SigningKey(self.signing_seed)

    @cached_property
    def member_key(self) -> bytes:
        """The Ed25519 public key: this membership's identity, as others see it."""
        return bytes(self.signing_key.verify_key)

    @property
    def member_id(self) -> str:
        return self.member_key.hex()

    @cached_property
    def noise_public(self) -> bytes:
        return noise_public_key(self.noise_private)

    def sign(self, message: bytes) -> bytes:
        """A detached Ed25519 signature over ``message``."""
        return self.signing_key.sign(message).signature

    def identity_statement(self) -> IdentityStatement:
        """The signed statement binding this membership's keys, circle and pseudonym."""
        signed = _signed_bytes(self.noise_public, self.circle_id, self.pseudonym)
        return IdentityStatement(self.member_key, self.sign(signed), self.pseudonym)

    def statement(self) -> bytes:
        """The Noise handshake payload proving this membership (see the module docstring)."""
        return self.identity_statement().encode()

    def with_pseudonym(self, name: str) -> Membership:
        return replace(self, pseudonym=pseudonyms.validate(name))

    def to_dict(self) -> dict[str, Any]:
        """A msgpack-able dict holding private keys: store it only in the encrypted database."""
        return {
            "format": MEMBERSHIP_FORMAT,
            "circle": self.circle_id,
            "pseudonym": self.pseudonym,
            "noise": self.noise_private,
            "signing": self.signing_seed,
        }

    @classmethod
    def from_dict(cls, data: object) -> Membership:
        if not isinstance(data, dict):
            raise IdentityError(IdentityProblem.MALFORMED, "stored membership is not a map")
        if data.get("format") != MEMBERSHIP_FORMAT:
            raise IdentityError(IdentityProblem.UNSUPPORTED_VERSION, "stored membership")
        circle, noise, signing = data.get("circle"), data.get("noise"), data.get("signing")
        if not (isinstance(circle, bytes) and isinstance(noise, bytes)):
            raise IdentityError(IdentityProblem.MALFORMED, "stored membership keys")
        if not isinstance(signing, bytes):
            raise IdentityError(IdentityProblem.MALFORMED, "stored membership keys")
        name = data.get("pseudonym")
        if not isinstance(name, str):
            raise IdentityError(IdentityProblem.MALFORMED, "stored membership pseudonym")
        return cls(
            circle_id=circle,
            pseudonym=name,
            noise_private=noise,
            signing_seed=signing,
        )

    def __repr__(self) -> str:
        return f"Membership(pseudonym={self.pseudonym!r}, member={self.member_key.hex()[:8]}…)"


def verify(payload: bytes, remote_static: bytes, circle_id: bytes) -> VerifiedIdentity:
    """Check an identity statement received over a Noise session; raise :class:`IdentityError`.

    ``remote_static`` is the peer's static key as authenticated by the Noise handshake and
    ``circle_id`` the circle this session belongs to.
    """
    if not isinstance(payload, bytes | bytearray) or len(payload) > MAX_STATEMENT_SIZE:
        raise IdentityError(IdentityProblem.OVERSIZE)
    try:
        decoded = strictpack.unpack(
            payload, max_bin=SIGNATURE_SIZE, max_str=pseudonyms.MAX_BYTES, max_array=8, max_map=0
        )
    except strictpack.Undecodable:
        raise IdentityError(IdentityProblem.MALFORMED) from None
    if not isinstance(decoded, list) or not decoded:
        raise IdentityError(IdentityProblem.MALFORMED, "not a list")
    if not isinstance(decoded[0], int) or isinstance(decoded[0], bool):
        raise IdentityError(IdentityProblem.MALFORMED, "version")
    if decoded[0] != STATEMENT_VERSION:
        raise IdentityError(IdentityProblem.UNSUPPORTED_VERSION)
    if len(decoded) != 4:
        raise IdentityError(IdentityProblem.MALFORMED, "wrong number of fields")
    _, member_key, signature, name = decoded
    if not isinstance(member_key, bytes) or len(member_key) != KEY_SIZE:
        raise IdentityError(IdentityProblem.MALFORMED, "member key")
    if not isinstance(signature, bytes) or len(signature) != SIGNATURE_SIZE:
        raise IdentityError(IdentityProblem.MALFORMED, "signature")
    if not isinstance(name, str):
        raise IdentityError(IdentityProblem.MALFORMED, "pseudonym")
    if len(remote_static) != KEY_SIZE or len(circle_id) != CIRCLE_ID_SIZE:
        raise IdentityError(IdentityProblem.BAD_SIGNATURE, "unexpected key or circle size")
    try:
        canonical = pseudonyms.validate(name)
    except pseudonyms.PseudonymError as exc:
        raise IdentityError(IdentityProblem.BAD_PSEUDONYM, str(exc)) from None
    if canonical != name:
        raise IdentityError(IdentityProblem.BAD_PSEUDONYM, "not in canonical form")
    try:
        nacl.signing.VerifyKey(member_key).verify(
            _signed_bytes(bytes(remote_static), bytes(circle_id), name), signature
        )
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError):
        raise IdentityError(IdentityProblem.BAD_SIGNATURE) from None
    return VerifiedIdentity(member_key=member_key, pseudonym=name, noise_static=remote_static)
