"""The moderation event envelope: what a host or co-moderator signs and every member verifies.

Encoding (version 1): one msgpack map, keys in this order, the only encoding accepted::

    v  int    version (1)
    c  bin    circle id (16)
    a  bin    the actor's Ed25519 key in this circle (32)
    s  int    the actor's own event number in this circle, from 1
    t  int    timestamp, ms since the epoch
    k  int    action kind (:class:`~.actions.ActionKind`)
    x  array  the action's arguments (:mod:`.actions`)
    g  bin    Ed25519 signature (64) over DOMAIN + the same map without ``g``

The signing key is the actor's per-circle membership key (:meth:`Membership.sign`); the domain
tag keeps these signatures apart from posts, direct messages and identity statements. The event
id is BLAKE2b-256 of the whole signed encoding: replays are caught by id, and a second event with
the same actor and number is an equivocation (see :mod:`.derive`). Decoding is strict: an unknown
version or action, an extra or missing field, a wrong type, a non-canonical encoding or a bad
signature raise :class:`~.errors.EventError` with a stable reason.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import nacl.bindings
import nacl.exceptions

from ..identity import Membership
from ..keyschedule import CIRCLE_ID_SIZE
from . import codec
from .actions import KEY_LEN, MAX_SEQ, Action, action_from_args
from .codec import Bad, fail, strict
from .errors import EventError, Reason

VERSION = 1
DOMAIN = b"hearth/moderation/v1\x00"
ID_LEN = 32
SIG_LEN = 64
MAX_TS = 2**53
MAX_EVENT = 40 * 1024  # the largest action (rules text, a rotation's recipients) fits
_KEYS = ("v", "c", "a", "s", "t", "k", "x", "g")


def event_id(signed: bytes) -> bytes:
    return hashlib.blake2b(signed, digest_size=ID_LEN).digest()


@dataclass(frozen=True, slots=True)
class SignedEvent:
    """A verified moderation event: its fields, the exact signed bytes, and its id."""

    circle_id: bytes
    actor: bytes
    seq: int
    ts: int  # ms since the epoch
    action: Action
    signed: bytes
    id: bytes

    def __repr__(self) -> str:
        return (
            f"SignedEvent({self.action.kind.name}, actor={self.actor.hex()[:8]}…,"
            f" seq={self.seq}, id={self.id.hex()[:8]}…)"
        )


def _content(circle_id: bytes, actor: bytes, seq: int, ts: int, action: Action) -> dict[str, Any]:
    return {
        "v": VERSION,
        "c": circle_id,
        "a": actor,
        "s": seq,
        "t": ts,
        "k": int(action.kind),
        "x": action.args(),
    }


def sign_event(me: Membership, seq: int, ts: int, action: Action) -> SignedEvent:
    """Sign ``action`` as our ``seq``-th event in ``me``'s circle; ``ts`` in ms.

    Raises :class:`EventError` for what decoding would refuse (a bad key length, a number out of
    range, rules text that is not clean).
    """
    content = _content(me.circle_id, me.member_key, seq, ts, action)
    with strict(EventError):
        _check(content)
    body = codec.pack(content)
    signed = _with_signature(body, me.sign(DOMAIN + body))
    return SignedEvent(me.circle_id, me.member_key, seq, ts, action, signed, event_id(signed))


def decode_event(data: bytes, *, verify: bool = True) -> SignedEvent:
    """Decode and check a signed event; ``verify=False`` only for bytes our own store returns."""
    with strict(EventError):
        raw = codec.unpack(data, MAX_EVENT, Bad)
        if not isinstance(raw, dict):
            fail(Reason.MALFORMED, "event is not a map")
        version = raw.get("v")
        if type(version) is not int:
            fail(Reason.MALFORMED, "no version")
        if version != VERSION:
            fail(Reason.UNKNOWN_VERSION, f"version {version}")
        fields = codec.need_map(raw, _KEYS, Bad, "event")
        circle_id, actor, seq, ts, action = _check(fields)
        signature = codec.need_bytes(fields["g"], Bad, "signature", SIG_LEN)
    body = codec.pack(_content(circle_id, actor, seq, ts, action))
    if _with_signature(body, signature) != data:
        raise EventError(Reason.NON_CANONICAL, "not the canonical encoding")
    if verify:
        try:
            nacl.bindings.crypto_sign_open(signature + DOMAIN + body, actor)
        except (nacl.exceptions.CryptoError, ValueError, TypeError):
            raise EventError(Reason.BAD_SIGNATURE) from None
    return SignedEvent(circle_id, actor, seq, ts, action, data, event_id(data))


def _check(fields: dict[str, Any]) -> tuple[bytes, bytes, int, int, Action]:
    circle_id = codec.need_bytes(fields["c"], Bad, "circle id", CIRCLE_ID_SIZE)
    actor = codec.need_bytes(fields["a"], Bad, "actor key", KEY_LEN)
    seq = codec.need_int(fields["s"], Bad, "seq", 1, MAX_SEQ)
    ts = codec.need_int(fields["t"], Bad, "timestamp", 0, MAX_TS)
    action = action_from_args(fields["k"], fields["x"])
    return circle_id, actor, seq, ts, action


_SIG_KEY = codec.pack("g")


def _with_signature(body: bytes, signature: bytes) -> bytes:
    """The signed encoding: the content map (a fixmap of 7) with ``g`` appended."""
    return bytes([body[0] + 1]) + body[1:] + _SIG_KEY + codec.pack(signature)
