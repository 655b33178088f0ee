"""Rotating a circle's secret after a removal, and handing the new one to each remaining member.

**Hand-over.** The rotating moderator (the host, or a co-moderator who removed someone while the
host was away) draws a new secret and, for each remaining *certified* member (an ADMIT names
them; self-signed roster entries get nothing), makes a :class:`Handover`: the secret sealed to
that member alone and signed by the moderator::

    v  int  version (1)
    c  bin  circle id (16)
    e  int  the new epoch
    m  bin  the recipient's member key (32)
    x  bin  SealedBox(recipient's X25519 key, SEAL_DOMAIN || circle id || epoch (4, BE) || secret)
    t  int  timestamp, ms
    g  bin  the moderator's Ed25519 signature over HANDOVER_DOMAIN + the map without ``g``

The recipient's X25519 key is its Ed25519 member key converted (``crypto_sign_ed25519_pk_to_
curve25519``), so the host needs nothing but the member keys it knows. The signature says the
host made it for this member, circle and epoch; the sealed box says only that member can read
it; the sealed plaintext repeats the circle and epoch, so a box cannot be lifted into another
hand-over. Since a hand-over is useless to anyone else, *any* member may pass it on.

Members who were away when it happened get theirs during a grace period, over links at the old
epoch that carry nothing else (:mod:`.grace`).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import nacl.bindings
import nacl.exceptions
import nacl.public

from ..circle import Circle
from ..identity import Membership
from ..keyschedule import CIRCLE_ID_SIZE, SECRET_SIZE
from . import codec
from .actions import KEY_LEN, MAX_EPOCH, MAX_RECIPIENTS, Rotate
from .codec import Bad, fail, strict
from .envelope import SignedEvent, sign_event
from .errors import Reason, RotationError

VERSION = 1
HANDOVER_DOMAIN = b"hearth/handover/v1\x00"
SEAL_DOMAIN = b"hearth/secret/v1\x00"
SIG_LEN = 64
SEALED_LEN = len(SEAL_DOMAIN) + CIRCLE_ID_SIZE + 4 + SECRET_SIZE + 48  # box overhead: 32 + 16
MAX_HANDOVER = 512
MAX_TS = 2**53
_KEYS = ("v", "c", "e", "m", "x", "t", "g")


@dataclass(frozen=True)
class Handover:
    """A host-signed, sealed copy of the new secret for one member (see the module docstring)."""

    circle_id: bytes
    epoch: int
    recipient: bytes
    sealed: bytes = field(repr=False)
    ts: int
    signed: bytes = field(repr=False)
    signer: bytes = b""  # the moderator whose signature verified

    @property
    def id(self) -> bytes:
        return hashlib.blake2b(self.signed, digest_size=32).digest()


def _content(circle_id: bytes, epoch: int, recipient: bytes, sealed: bytes, ts: int) -> bytes:
    return codec.pack(
        {"v": VERSION, "c": circle_id, "e": epoch, "m": recipient, "x": sealed, "t": ts}
    )


def _seal_plaintext(circle_id: bytes, epoch: int, secret: bytes) -> bytes:
    return SEAL_DOMAIN + circle_id + epoch.to_bytes(4, "big") + secret


def x25519_public(member_key: bytes) -> nacl.public.PublicKey:
    """A member's X25519 key, from their Ed25519 member key (raises ``ValueError`` if invalid)."""
    try:
        raw = nacl.bindings.crypto_sign_ed25519_pk_to_curve25519(member_key)
    except (nacl.exceptions.CryptoError, TypeError) as exc:
        raise ValueError("not a usable member key") from exc
    return nacl.public.PublicKey(raw)


def make_handover(host: Membership, circle: Circle, recipient: bytes, ts: int) -> Handover:
    """Seal ``circle``'s secret (at its epoch) to ``recipient`` and sign it as ``host`` (the
    host or a co-moderator: the caller checks the role)."""
    if host.circle_id != circle.circle_id:
        raise RotationError(Reason.WRONG_CIRCLE, "a membership of another circle")
    if len(recipient) != KEY_LEN:
        raise RotationError(Reason.BAD_VALUE, "member key size")
    try:
        box = nacl.public.SealedBox(x25519_public(recipient))
    except ValueError:
        raise RotationError(Reason.BAD_VALUE, "not a usable member key") from None
    sealed = bytes(box.encrypt(_seal_plaintext(circle.circle_id, circle.epoch, circle.secret)))
    content = _content(circle.circle_id, circle.epoch, recipient, sealed, ts)
    signature = host.sign(HANDOVER_DOMAIN + content)
    signed = bytes([content[0] + 1]) + content[1:] + codec.pack("g") + codec.pack(signature)
    return Handover(circle.circle_id, circle.epoch, recipient, sealed, ts, signed, host.member_key)


def decode_handover(data: bytes, signers: bytes | Iterable[bytes] | None) -> Handover:
    """Decode a hand-over and check it is signed by one of ``signers`` (the host's key, or the
    keys of the host and every co-moderator; raises :class:`RotationError`)."""
    with strict(RotationError):
        raw = codec.unpack(data, MAX_HANDOVER, Bad)
        if not isinstance(raw, dict):
            fail(Reason.MALFORMED, "hand-over is not a map")
        if raw.get("v") != VERSION or type(raw.get("v")) is not int:
            fail(Reason.UNKNOWN_VERSION, "hand-over version")
        fields = codec.need_map(raw, _KEYS, Bad, "hand-over")
        circle_id = codec.need_bytes(fields["c"], Bad, "circle id", CIRCLE_ID_SIZE)
        epoch = codec.need_int(fields["e"], Bad, "epoch", 1, MAX_EPOCH)
        recipient = codec.need_bytes(fields["m"], Bad, "recipient", KEY_LEN)
        sealed = codec.need_bytes(fields["x"], Bad, "sealed secret", SEALED_LEN)
        ts = codec.need_int(fields["t"], Bad, "timestamp", 0, MAX_TS)
        signature = codec.need_bytes(fields["g"], Bad, "signature", SIG_LEN)
    content = _content(circle_id, epoch, recipient, sealed, ts)
    if bytes([content[0] + 1]) + content[1:] + codec.pack("g") + codec.pack(signature) != data:
        raise RotationError(Reason.NON_CANONICAL, "not the canonical encoding")
    if signers is None:
        raise RotationError(Reason.NO_HOST, "the open lobby's secret never changes")
    keys = [signers] if isinstance(signers, bytes) else sorted(set(signers))
    for key in keys:
        try:
            nacl.bindings.crypto_sign_open(signature + HANDOVER_DOMAIN + content, key)
        except (nacl.exceptions.CryptoError, ValueError, TypeError):
            continue
        return Handover(circle_id, epoch, recipient, sealed, ts, data, key)
    raise RotationError(Reason.NOT_FROM_HOST, "not signed by a moderator of the circle")


def open_handover(handover: Handover, me: Membership, circle: Circle) -> Circle:
    """The circle at the hand-over's epoch, if it is for ``me`` and newer than ``circle``.

    ``handover`` must come from :func:`decode_handover` (the host's signature checked). Raises
    :class:`RotationError`: ``wrong_circle``, ``not_for_me``, ``stale_epoch``, ``cannot_open``.
    """
    if handover.circle_id != circle.circle_id or me.circle_id != circle.circle_id:
        raise RotationError(Reason.WRONG_CIRCLE)
    if handover.recipient != me.member_key:
        raise RotationError(Reason.NOT_FOR_ME)
    if handover.epoch <= circle.epoch:
        raise RotationError(Reason.STALE_EPOCH, f"we are at epoch {circle.epoch} already")
    private = me.signing_key.to_curve25519_private_key()
    try:
        plain = nacl.public.SealedBox(private).decrypt(handover.sealed)
    except nacl.exceptions.CryptoError:
        raise RotationError(Reason.CANNOT_OPEN) from None
    prefix = _seal_plaintext(circle.circle_id, handover.epoch, b"")
    if len(plain) != len(prefix) + SECRET_SIZE or not plain.startswith(prefix):
        raise RotationError(Reason.CANNOT_OPEN, "sealed for another circle or epoch")
    return replace(circle, secret=plain[len(prefix) :], epoch=handover.epoch)


@dataclass(frozen=True)
class Rotation:
    """What the host's client makes for one rotation: the new circle (save it before anything
    leaves), the ROTATE event for everyone, and one hand-over per remaining member."""

    circle: Circle
    event: SignedEvent
    handovers: tuple[Handover, ...]


def plan_rotation(
    host: Membership,
    circle: Circle,
    *,
    recipients: Iterable[bytes],
    seq: int,
    now: int,
    min_epoch: int = 0,
    new_secret: bytes | None = None,
) -> Rotation:
    """Rotate ``circle``'s secret: ``recipients`` are the remaining certified members (the
    caller leaves out removed and uncertified ones; ``host``, the rotating moderator, is left
    out here); ``seq`` its next event number; the new epoch is past both the circle's and
    ``min_epoch`` (the last one announced)."""
    if circle.is_lobby:
        raise RotationError(Reason.NO_HOST, "the open lobby's secret never changes")
    keys = sorted({k for k in recipients if k != host.member_key})
    if len(keys) > MAX_RECIPIENTS:
        raise RotationError(Reason.TOO_MANY, f"at most {MAX_RECIPIENTS} members")
    epoch = max(circle.epoch, min_epoch) + 1
    fresh = new_secret if new_secret is not None else secrets.token_bytes(SECRET_SIZE)
    rotated = replace(circle, secret=fresh, epoch=epoch)
    event = sign_event(host, seq, now, Rotate(epoch, tuple(keys)))
    handovers = tuple(make_handover(host, rotated, key, now) for key in keys)
    return Rotation(rotated, event, handovers)
