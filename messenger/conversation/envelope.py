"""The post envelope: what an author signs, what members forward, what the store keeps.

Encoding (version 1): one msgpack map, keys in this order, the only encoding accepted::

    v  int    version (1)
    c  bin    circle id (1..64 bytes)
    a  bin    author's Ed25519 key in this circle (32)
    s  int    the author's sequence number in this circle, from 1
    t  int    timestamp, ms since the epoch (a multiple of 15 min when anonymous)
    b  str    body, 1..8 KiB of UTF-8
    r  bin?   the post this replies to (32-byte id), or nil
    w  str?   a content warning (1..200 bytes), or nil
    n  bool   always false (anonymous posts have their own form: ``anon_envelope.py``)
    g  bin    Ed25519 signature (64) over DOMAIN + the same map without ``g``

Version 2 is an *act* on another post, in the author's own sequence (so it spreads, catches up
and is ordered exactly like a post): the same keys with ``k`` (str) before ``g``:

    k = "react"    ``b`` one of :data:`REACTIONS`, ``r`` the post reacted to
    k = "retract"  ``b`` "retract", ``r`` the author's own post to delete for everyone

An act has no content warning and is never anonymous (``n`` false); a retraction counts only for
a post with the same author key (checked where the post is known, :mod:`messenger.acting`).

The post id is BLAKE2b-256 of the whole signed encoding. Decoding is strict: an unknown version,
an extra or missing field, a wrong type, bad UTF-8, an oversized body, a non-canonical encoding or a
bad signature raise :class:`EnvelopeError` with a stable :class:`DropReason`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import nacl.bindings
import nacl.exceptions
from nacl.signing import SigningKey

from ..views import DeliveryState, PostView
from . import codec
from .errors import ComposeError, DropReason, EnvelopeError

VERSION = 1
ACT_VERSION = 2
REACT = "react"
RETRACT = "retract"
REACTIONS = ("hear", "thanks", "care", "same")
"""The fixed, calm set: "I hear you", "Thank you", "Sending care", "Me too"."""
DOMAIN = b"hearth/post/v1\x00"
KEY_LEN = 32
ID_LEN = 32
SIG_LEN = 64
MAX_CIRCLE_ID = 64
MAX_BODY = 8 * 1024
MAX_CONTENT_WARNING = 200
MAX_ENVELOPE = MAX_BODY + 1024  # body + every other field, with room to spare
MAX_TS = 2**53  # ms; year 287,000 — anything beyond is nonsense
ANONYMOUS_GRANULARITY_MS = 15 * 60 * 1000

_CONTENT_KEYS = ("v", "c", "a", "s", "t", "b", "r", "w", "n")
_SIGNED_KEYS = (*_CONTENT_KEYS, "g")
_ACT_SIGNED_KEYS = (*_CONTENT_KEYS, "k", "g")
_SIG_KEY = codec.pack("g")
_E = EnvelopeError


def post_id(signed: bytes) -> bytes:
    """The id of a post: BLAKE2b-256 of its signed encoding."""
    return hashlib.blake2b(signed, digest_size=ID_LEN).digest()


def coarse_ts(ts_ms: int) -> int:
    """An anonymous post's timestamp: rounded down to the quarter hour."""
    return ts_ms - ts_ms % ANONYMOUS_GRANULARITY_MS


@dataclass(frozen=True, slots=True)
class PostEnvelope:
    """The signed fields of a post (see the module docstring for the encoding)."""

    circle_id: bytes
    author_key: bytes
    seq: int
    ts: int  # ms since the epoch
    body: str
    reply_to: bytes | None = None
    content_warning: str | None = None
    anonymous: bool = False
    kind: str = ""  # "" a post; REACT or RETRACT an act on ``reply_to`` (version 2)

    @property
    def is_act(self) -> bool:
        return bool(self.kind)

    def content_map(self) -> dict[str, Any]:
        fields = {
            "v": ACT_VERSION if self.kind else VERSION,
            "c": self.circle_id,
            "a": self.author_key,
            "s": self.seq,
            "t": self.ts,
            "b": self.body,
            "r": self.reply_to,
            "w": self.content_warning,
            "n": self.anonymous,
        }
        if self.kind:
            fields["k"] = self.kind
        return fields

    def signing_bytes(self) -> bytes:
        """What the author signs: the domain tag and the canonical map without the signature."""
        return DOMAIN + codec.pack(self.content_map())


@dataclass(frozen=True, slots=True)
class SignedPost:
    """A post as it travels: its envelope, the exact signed bytes, and its id."""

    envelope: PostEnvelope
    signed: bytes
    id: bytes

    @property
    def circle_id(self) -> bytes:
        return self.envelope.circle_id

    @property
    def author_key(self) -> bytes:
        return self.envelope.author_key

    @property
    def seq(self) -> int:
        return self.envelope.seq

    @property
    def ts(self) -> int:
        return self.envelope.ts

    def to_view(
        self,
        author: str = "",
        *,
        mine: bool = False,
        hidden: bool = False,
        state: DeliveryState = DeliveryState.SENT,
    ) -> PostView:
        """The front ends' snapshot; ``author`` (the pseudonym) is dropped for anonymous posts."""
        env = self.envelope
        return PostView(
            circle_id=env.circle_id,
            id=self.id,
            author_key=env.author_key,
            author="" if env.anonymous else author,
            seq=env.seq,
            ts=env.ts / 1000,
            body=env.body,
            reply_to=env.reply_to,
            content_warning=env.content_warning,
            mine=mine,
            hidden=hidden,
            state=state,
        )


def sign_post(
    key: SigningKey,
    circle_id: bytes,
    seq: int,
    body: str,
    ts: int,
    *,
    reply_to: bytes | None = None,
    content_warning: str | None = None,
    anonymous: bool = False,
) -> SignedPost:
    """Make and sign a post with the author's per-circle key; ``ts`` in ms (coarsened if anonymous).

    Raises :class:`ComposeError` for what decoding would refuse (empty or oversized body, ...).
    """
    envelope = PostEnvelope(
        circle_id=circle_id,
        author_key=bytes(key.verify_key),
        seq=seq,
        ts=coarse_ts(ts) if anonymous else ts,
        body=body,
        reply_to=reply_to,
        content_warning=content_warning,
        anonymous=anonymous,
    )
    try:
        _check_content(envelope.content_map())
    except EnvelopeError as exc:
        raise ComposeError(exc.reason, exc.detail) from None
    content = codec.pack(envelope.content_map())
    signature = key.sign(DOMAIN + content).signature
    signed = with_signature(content, signature)
    return SignedPost(envelope=envelope, signed=signed, id=post_id(signed))


def sign_act(
    key: SigningKey,
    circle_id: bytes,
    seq: int,
    kind: str,
    target: bytes,
    ts: int,
    reaction: str = "",
) -> SignedPost:
    """Sign a reaction (``kind`` REACT, ``reaction`` one of :data:`REACTIONS`) or a retraction
    (RETRACT) of the post ``target``; :class:`ComposeError` for what decoding would refuse."""
    envelope = PostEnvelope(
        circle_id=circle_id,
        author_key=bytes(key.verify_key),
        seq=seq,
        ts=ts,
        body=reaction if kind == REACT else RETRACT,
        reply_to=target,
        kind=kind,
    )
    try:
        _check_act(envelope.content_map())
    except EnvelopeError as exc:
        raise ComposeError(exc.reason, exc.detail) from None
    content = codec.pack(envelope.content_map())
    signed = with_signature(content, key.sign(DOMAIN + content).signature)
    return SignedPost(envelope=envelope, signed=signed, id=post_id(signed))


class _Signed(Protocol):
    def content_map(self) -> dict[str, Any]: ...


S = TypeVar("S", bound=_Signed)


def decode_signed(
    data: bytes,
    *,
    max_size: int,
    version: int,
    signed_keys: tuple[str, ...],
    what: str,
    check: Callable[[dict[str, Any]], S],
    signer: Callable[[S], bytes],
    domain: bytes,
    verify: bool,
) -> S:
    """The strict reading every signed envelope gets: size, map, version, exact keys, content
    checks, canonical encoding, then (unless ``verify`` is off) the signer's signature."""
    raw = codec.unpack(data, max_size, _E)
    if not isinstance(raw, dict):
        codec.fail(_E, DropReason.MALFORMED, "envelope is not a map")
    found = raw.get("v")
    if type(found) is not int:
        codec.fail(_E, DropReason.MALFORMED, "no version")
    if found != version:
        codec.fail(_E, DropReason.UNKNOWN_VERSION, f"version {found}")
    fields = codec.need_map(raw, signed_keys, _E, what)
    envelope = check(fields)
    signature = codec.need_bytes(fields["g"], _E, "signature", SIG_LEN)
    content = codec.pack(envelope.content_map())
    if with_signature(content, signature) != data:
        codec.fail(_E, DropReason.NON_CANONICAL, "not the canonical encoding")
    if verify:
        verify_signature(signer(envelope), domain + content, signature)
    return envelope


def decode_post(data: bytes, *, verify: bool = True) -> SignedPost:
    """Decode and check a signed post or act; ``verify=False`` only for bytes our own store
    returns."""
    act = _version_of(data) == ACT_VERSION
    envelope = decode_signed(
        data,
        max_size=MAX_ENVELOPE,
        version=ACT_VERSION if act else VERSION,
        signed_keys=_ACT_SIGNED_KEYS if act else _SIGNED_KEYS,
        what="envelope",
        check=_check_act if act else _check_content,
        signer=lambda env: env.author_key,
        domain=DOMAIN,
        verify=verify,
    )
    return SignedPost(envelope=envelope, signed=data, id=post_id(data))


def _version_of(data: bytes) -> int | None:
    """The version field of a canonical envelope, cheaply: it is the first key (``v``)."""
    # fixmap header, fixstr "v", positive fixint
    if len(data) >= 3 and 0x80 <= data[0] <= 0x8F and data[1:3] == b"\xa1v":
        return data[3] if len(data) > 3 and data[3] < 0x80 else None
    return None


def with_signature(content: bytes, signature: bytes) -> bytes:
    """The signed encoding: the content map (a fixmap) with ``g`` = ``signature`` appended."""
    header = content[0]
    if not 0x80 <= header < 0x8F:
        raise ValueError("content is not a small msgpack map")
    return bytes([header + 1]) + content[1:] + _SIG_KEY + codec.pack(signature)


def verify_post(post: SignedPost) -> None:
    """Check the signature of a post decoded with ``verify=False`` (raises :class:`EnvelopeError`).

    The signed bytes are canonical, so the content is those bytes with the header's count less one
    and without the trailing ``g`` field (key, bin header, 64 bytes).
    """
    signed = post.signed
    content = bytes([signed[0] - 1]) + signed[1 : -(len(_SIG_KEY) + 2 + SIG_LEN)]
    verify_signature(post.author_key, DOMAIN + content, signed[-SIG_LEN:])


def verify_signature(key: bytes, message: bytes, signature: bytes) -> None:
    """Raise :class:`EnvelopeError` (``bad_signature``) unless ``signature`` is ``key``'s."""
    try:
        nacl.bindings.crypto_sign_open(signature + message, key)
    except (nacl.exceptions.CryptoError, ValueError, TypeError):
        raise EnvelopeError(DropReason.BAD_SIGNATURE) from None


def _check_content(fields: dict[str, Any]) -> PostEnvelope:
    circle_id = codec.need_bytes(fields["c"], _E, "circle id", 1, MAX_CIRCLE_ID)
    author = codec.need_bytes(fields["a"], _E, "author key", KEY_LEN)
    seq = codec.need_int(fields["s"], _E, "seq", 1)
    ts = codec.need_int(fields["t"], _E, "timestamp", 0, MAX_TS)
    body = codec.need_text(fields["b"], _E, "body", MAX_BODY, allow_empty=False)
    reply_to = fields["r"]
    if reply_to is not None:
        reply_to = codec.need_bytes(reply_to, _E, "reply-to", ID_LEN)
    warning = fields["w"]
    if warning is not None:
        warning = codec.need_text(
            warning, _E, "content warning", MAX_CONTENT_WARNING, allow_empty=False
        )
    anonymous = codec.need_bool(fields["n"], _E, "anonymous flag")
    if anonymous:  # an anonymous post names nobody: see anon_envelope.py (no key, no seq)
        codec.fail(_E, DropReason.BAD_VALUE, "a signed post cannot be anonymous")
    return PostEnvelope(circle_id, author, seq, ts, body, reply_to, warning, anonymous)


def _check_act(fields: dict[str, Any]) -> PostEnvelope:
    """A version-2 act: a reaction from the fixed set or a retraction, on one post."""
    kind = codec.need_text(fields["k"], _E, "act kind", 16, allow_empty=False)
    if kind not in (REACT, RETRACT):
        codec.fail(_E, DropReason.BAD_VALUE, f"unknown act {kind!r}")
    fields = {**fields, "v": VERSION}  # the common fields are checked as a post's
    env = _check_content(fields)
    if env.reply_to is None:
        codec.fail(_E, DropReason.BAD_VALUE, "an act names no post")
    if env.content_warning is not None or env.anonymous:
        codec.fail(_E, DropReason.BAD_VALUE, "an act has no content warning and is never anonymous")
    if kind == REACT and env.body not in REACTIONS:
        codec.fail(_E, DropReason.BAD_VALUE, "not one of the reactions")
    if kind == RETRACT and env.body != RETRACT:
        codec.fail(_E, DropReason.BAD_VALUE, "a retraction carries no text")
    return PostEnvelope(
        env.circle_id, env.author_key, env.seq, env.ts, env.body, env.reply_to, kind=kind
    )
