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

**Getting it to members who were away.** A member who missed the rotation still holds only the
old secret, so it can reach nobody at the new epoch. So, for a grace period
(:data:`DEFAULT_GRACE_MS`), members who hold hand-overs for others keep the old epoch bound as
well, with these rules (:meth:`RotationKeeper.decide`):

- at the current epoch: any member who is not removed (new joiners included);
- at an old epoch: only a member for whom we hold a hand-over — a member the host knew and did
  not remove, authenticated by the handshake (Noise static key + signed identity statement) —
  and the link carries the moderation lane only (events and the hand-over), no posts and no
  direct messages; the member then binds the new epoch and reconnects;
- a removed member is refused at every epoch. The removed member holds the old secret and could
  sign a fresh identity with it, but that key is in no hand-over, so it is refused too.

Old epochs are not announced on discovery (:class:`EpochBinding` ``announce=False``): members only
answer (and dial) there, so the removed member's copy discovers nobody. An old epoch is dropped when
its grace period ends or when every member we hold a hand-over for has been seen at the new one.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

import nacl.bindings
import nacl.exceptions
import nacl.public

from ..circle import Circle
from ..identity import Membership
from ..keyschedule import CIRCLE_ID_SIZE, SECRET_SIZE, CircleKeys
from . import codec
from .actions import KEY_LEN, MAX_EPOCH, MAX_RECIPIENTS, Rotate
from .codec import Bad, fail, strict
from .envelope import SignedEvent, sign_event
from .errors import Reason, RotationError, StateError

VERSION = 1
HANDOVER_DOMAIN = b"hearth/handover/v1\x00"
SEAL_DOMAIN = b"hearth/secret/v1\x00"
SIG_LEN = 64
SEALED_LEN = len(SEAL_DOMAIN) + CIRCLE_ID_SIZE + 4 + SECRET_SIZE + 48  # box overhead: 32 + 16
MAX_HANDOVER = 512
MAX_TS = 2**53
DEFAULT_GRACE_MS = 7 * 24 * 3600 * 1000
MAX_OLD_EPOCHS = 2
KEEPER_FORMAT = 1
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


# -- keeping old epochs for the members who were away -----------------------------------------
class LinkKind(Enum):
    ACCEPT = "accept"  # the current epoch: everything flows
    HANDOVER_ONLY = "handover_only"  # an old epoch: the moderation lane only
    REFUSE = "refuse"


@dataclass(frozen=True)
class LinkDecision:
    kind: LinkKind
    reason: Reason | None = None

    @property
    def accepted(self) -> bool:
        return self.kind is not LinkKind.REFUSE


@dataclass(frozen=True, repr=False)
class EpochBinding:
    """One epoch to bind the circle at: its keys, whether to announce it on discovery."""

    epoch: int
    keys: CircleKeys
    current: bool
    announce: bool

    def __repr__(self) -> str:
        return f"EpochBinding(epoch={self.epoch}, current={self.current})"


@dataclass(frozen=True, repr=False)
class OldEpoch:
    epoch: int
    secret: bytes
    until: int  # ms

    @property
    def keys(self) -> CircleKeys:
        return CircleKeys.from_secret(self.secret, self.epoch)


class RotationKeeper:
    """Old epochs kept for a grace period, and hand-overs held to pass on (one circle)."""

    def __init__(
        self, circle_id: bytes, host_key: bytes | None, *, grace_ms: int = DEFAULT_GRACE_MS
    ) -> None:
        self.circle_id = circle_id
        self.host_key = host_key
        self.grace_ms = grace_ms
        self.old: dict[int, OldEpoch] = {}
        self._handovers: dict[bytes, Handover] = {}  # the newest epoch's, by recipient
        self._handover_epoch = 0
        self._seen: set[bytes] = set()  # recipients seen at the current epoch

    # -- hand-overs -----------------------------------------------------------------------
    @property
    def handover_epoch(self) -> int:
        return self._handover_epoch

    def hold(self, handovers: Iterable[Handover]) -> list[Handover]:
        """Keep checked hand-overs of the newest epoch to pass on; returns the ones newly held."""
        kept: list[Handover] = []
        for handover in handovers:
            if handover.circle_id != self.circle_id or handover.epoch < self._handover_epoch:
                continue
            if handover.epoch > self._handover_epoch:
                self._handovers.clear()
                self._seen.clear()
                self._handover_epoch = handover.epoch
            held = self._handovers.get(handover.recipient)
            if held == handover:
                continue
            if held is None and len(self._handovers) >= MAX_RECIPIENTS:
                continue
            self._handovers[handover.recipient] = handover
            kept.append(handover)
        return kept

    def handover_for(self, member: bytes) -> Handover | None:
        return self._handovers.get(member)

    def handovers(self) -> list[Handover]:
        return list(self._handovers.values())

    # -- epochs ---------------------------------------------------------------------------
    def advance(self, old_circle: Circle, now: int) -> None:
        """We moved past ``old_circle``'s epoch: keep its secret for the grace period."""
        self.old[old_circle.epoch] = OldEpoch(
            old_circle.epoch, old_circle.secret, now + self.grace_ms
        )
        while len(self.old) > MAX_OLD_EPOCHS:
            del self.old[min(self.old)]

    def seen_current(self, member: bytes) -> None:
        """A member linked at the current epoch: they need no hand-over any more."""
        if member in self._handovers:
            self._seen.add(member)

    def pending(self) -> set[bytes]:
        """Members we hold a hand-over for and have not seen at the current epoch."""
        return set(self._handovers) - self._seen

    def expire(self, now: int) -> bool:
        """Drop old epochs past their grace, or all of them once nobody is pending."""
        before = len(self.old)
        if not self.pending():
            self.old.clear()
        else:
            self.old = {e: o for e, o in self.old.items() if o.until > now}
        return len(self.old) != before

    def decide(
        self, member: bytes, link_epoch: int, current_epoch: int, now: int, *, is_member: bool
    ) -> LinkDecision:
        """Whether to keep a link to ``member`` made at ``link_epoch`` (see the module doc)."""
        if not is_member:
            return LinkDecision(LinkKind.REFUSE, Reason.REMOVED)
        if link_epoch == current_epoch:
            return LinkDecision(LinkKind.ACCEPT)
        old = self.old.get(link_epoch)
        if old is None or old.until <= now or link_epoch > current_epoch:
            return LinkDecision(LinkKind.REFUSE, Reason.STALE_EPOCH)
        handover = self._handovers.get(member)
        if handover is None or handover.epoch != current_epoch:
            return LinkDecision(LinkKind.REFUSE, Reason.NOT_ADDRESSED)
        return LinkDecision(LinkKind.HANDOVER_ONLY)

    def bindings(self, circle: Circle, now: int) -> list[EpochBinding]:
        """The epochs to bind ``circle`` at now: the current one (announced), and old ones kept
        for members who were away (not announced)."""
        out = [EpochBinding(circle.epoch, circle.keys, current=True, announce=True)]
        if self.pending():
            for epoch in sorted(self.old, reverse=True):
                old = self.old[epoch]
                if old.until > now and epoch < circle.epoch:
                    out.append(EpochBinding(epoch, old.keys, current=False, announce=False))
        return out

    # -- storage (holds secrets: keep it in the encrypted database only) -------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "format": KEEPER_FORMAT,
            "circle": self.circle_id,
            "old": [[o.epoch, o.secret, o.until] for o in self.old.values()],
            "handovers": [h.signed for h in self._handovers.values()],
            "seen": sorted(self._seen),
        }

    @classmethod
    def from_dict(
        cls,
        data: object,
        host_key: bytes | None,
        *,
        grace_ms: int = DEFAULT_GRACE_MS,
        signers: Iterable[bytes] = (),
    ) -> RotationKeeper:
        if not isinstance(data, dict) or data.get("format") != KEEPER_FORMAT:
            raise StateError(Reason.UNKNOWN_VERSION, "stored rotation state")
        circle = data.get("circle")
        old, handovers, seen = data.get("old"), data.get("handovers"), data.get("seen")
        if not isinstance(circle, bytes):
            raise StateError(Reason.MALFORMED, "stored rotation state")
        if not (isinstance(old, list) and isinstance(handovers, list) and isinstance(seen, list)):
            raise StateError(Reason.MALFORMED, "stored rotation state")
        keeper = cls(circle, host_key, grace_ms=grace_ms)
        for item in old:
            if not (isinstance(item, list) and len(item) == 3):
                raise StateError(Reason.MALFORMED, "a stored old epoch")
            epoch, secret, until = item
            if not (
                isinstance(epoch, int) and isinstance(secret, bytes) and isinstance(until, int)
            ):
                raise StateError(Reason.MALFORMED, "a stored old epoch")
            if len(secret) != SECRET_SIZE:
                raise StateError(Reason.MALFORMED, "a stored old epoch")
            keeper.old[epoch] = OldEpoch(epoch, secret, until)
        try:
            keys = None if host_key is None else {host_key, *signers}
            keeper.hold(decode_handover(h, keys) for h in handovers)
        except (RotationError, TypeError) as exc:
            raise StateError(Reason.MALFORMED, f"a stored hand-over: {exc}") from None
        keeper._seen = {k for k in seen if isinstance(k, bytes)} & set(keeper._handovers)
        return keeper
