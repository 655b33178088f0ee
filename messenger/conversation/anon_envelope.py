"""Anonymous posts: no author key, no sequence number, a ring proof instead of a signature.

Encoding (version 2; see docs/ANONYMITY.md): one msgpack map, keys in this order, the only
encoding accepted::

    v  int    version (2)
    c  bin    circle id (1..64 bytes)
    e  int    the epoch of the circle's secret the ring is for
    t  int    timestamp, ms since the epoch, rounded down to the quarter hour
    b  str    body, 1..8 KiB of UTF-8
    r  bin?   the post this replies to (32-byte id), or nil
    w  str?   a content warning, or nil
    p  bin    the :class:`~messenger.anonymous.AnonymousProof` (its strict wire form): a linkable
              ring signature, by one of the circle's members, over DOMAIN + the map without ``p``

The post id is BLAKE2b-256 of the whole encoding, as for named posts. Anonymous posts are synced
and stored by id: in the post log they sit under :data:`ANONYMOUS_AUTHOR` (no member has that
key: it is not a point of the group), with a storage-only number taken from the id
(:func:`storage_seq`) that never travels and never reaches a view.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from ..anonymous import AnonymousProof, check, decode, prove, window_of
from ..anonymous.errors import RingProblem, RingSignatureError
from . import codec
from .envelope import (
    ID_LEN,
    MAX_BODY,
    MAX_CIRCLE_ID,
    MAX_CONTENT_WARNING,
    MAX_TS,
    PostEnvelope,
    SignedPost,
    coarse_ts,
    post_id,
)
from .errors import ComposeError, DropReason, EnvelopeError

VERSION = 2
DOMAIN = b"hearth/anon-post/v1\x00"
ANONYMOUS_AUTHOR = bytes(32)
"""Where anonymous posts sit in the post log: the zero key, which is nobody's."""
MAX_PROOF = 75 + 256 * 64
MAX_ANONYMOUS = MAX_BODY + MAX_PROOF + 1024
_CONTENT_KEYS = ("v", "c", "e", "t", "b", "r", "w")
_KEYS = (*_CONTENT_KEYS, "p")
_E = EnvelopeError


@dataclass(frozen=True, slots=True)
class AnonymousPost:
    """An anonymous post as it travels: the post (no author, no seq), its ring and epoch."""

    post: SignedPost
    epoch: int
    proof: AnonymousProof
    signed_content: bytes  # DOMAIN + the map without ``p``: what the ring signed

    @property
    def id(self) -> bytes:
        return self.post.id

    @property
    def linkage_tag(self) -> bytes:
        return self.proof.linkage_tag


def storage_seq(pid: bytes) -> int:
    """The number an anonymous post is stored under (from its id; never sent, never shown)."""
    return int.from_bytes(pid[:6], "big")


def is_anonymous(post: SignedPost) -> bool:
    return post.envelope.author_key == ANONYMOUS_AUTHOR


def _content(circle_id: bytes, epoch: int, ts: int, body: str, r: Any, w: Any) -> dict[str, Any]:
    return {"v": VERSION, "c": circle_id, "e": epoch, "t": ts, "b": body, "r": r, "w": w}


def make_anonymous_post(
    signing_seed: bytes,
    members: Collection[bytes],
    circle_id: bytes,
    epoch: int,
    body: str,
    now_ms: int,
    *,
    reply_to: bytes | None = None,
    content_warning: str | None = None,
) -> AnonymousPost:
    """Sign ``body`` as "one of ``members``" (the circle's current roster, me included)."""
    ts = coarse_ts(now_ms)
    content = _content(circle_id, epoch, ts, body, reply_to, content_warning)
    try:
        _check_content(content)
    except EnvelopeError as exc:
        raise ComposeError(exc.reason, exc.detail) from None
    signed_content = DOMAIN + codec.pack(content)
    proof = prove(
        signing_seed,
        members,
        signed_content,
        circle_id=circle_id,
        epoch=epoch,
        window=window_of(ts),
    )
    data = codec.pack({**content, "p": proof.encode()})
    return AnonymousPost(_post(content, data), epoch, proof, signed_content)


def decode_anonymous_post(data: bytes) -> AnonymousPost:
    """Decode strictly (no signature check: see :func:`check_anonymous_post`)."""
    raw = codec.unpack(data, MAX_ANONYMOUS, _E)
    if not isinstance(raw, dict):
        codec.fail(_E, DropReason.MALFORMED, "anonymous post is not a map")
    if raw.get("v") != VERSION or type(raw.get("v")) is not int:
        codec.fail(_E, DropReason.UNKNOWN_VERSION, "not an anonymous post")
    fields = codec.need_map(raw, _KEYS, _E, "anonymous post")
    content = {k: fields[k] for k in _CONTENT_KEYS}
    _check_content(content)
    proof_bytes = codec.need_bytes(fields["p"], _E, "proof", 75, MAX_PROOF)
    try:
        proof = decode(proof_bytes)
    except RingSignatureError as exc:
        codec.fail(_E, DropReason.MALFORMED, str(exc))
    if codec.pack({**content, "p": proof_bytes}) != data:
        codec.fail(_E, DropReason.NON_CANONICAL, "not the canonical encoding")
    if proof.window != window_of(content["t"]):
        codec.fail(_E, DropReason.BAD_VALUE, "the proof's window is not the post's")
    return AnonymousPost(_post(content, data), content["e"], proof, DOMAIN + codec.pack(content))


def check_anonymous_post(
    post: AnonymousPost,
    *,
    epoch: int,
    members: Collection[bytes],
    windows: Sequence[int],
    min_ring: int,
) -> bytes:
    """Refuse an anonymous post that is not by one of ``members`` (the current roster) at the
    current ``epoch``; return its linkage tag. Raises :class:`RingSignatureError`."""
    if post.epoch != epoch:
        raise RingSignatureError(RingProblem.STALE_WINDOW, "the ring is for another epoch")
    return check(
        post.proof,
        post.signed_content,
        circle_id=post.post.circle_id,
        epoch=epoch,
        members=members,
        windows=windows,
        min_ring=min_ring,
    )


def _post(content: dict[str, Any], data: bytes) -> SignedPost:
    envelope = PostEnvelope(
        circle_id=content["c"],
        author_key=ANONYMOUS_AUTHOR,
        seq=0,
        ts=content["t"],
        body=content["b"],
        reply_to=content["r"],
        content_warning=content["w"],
        anonymous=True,
    )
    return SignedPost(envelope=envelope, signed=data, id=post_id(data))


def _check_content(fields: dict[str, Any]) -> None:
    codec.need_bytes(fields["c"], _E, "circle id", 1, MAX_CIRCLE_ID)
    codec.need_int(fields["e"], _E, "epoch", 0, 2**32 - 1)
    ts = codec.need_int(fields["t"], _E, "timestamp", 0, MAX_TS)
    if ts != coarse_ts(ts):
        codec.fail(_E, DropReason.BAD_VALUE, "anonymous post with a precise timestamp")
    codec.need_text(fields["b"], _E, "body", MAX_BODY, allow_empty=False)
    if fields["r"] is not None:
        codec.need_bytes(fields["r"], _E, "reply-to", ID_LEN)
    if fields["w"] is not None:
        codec.need_text(fields["w"], _E, "content warning", MAX_CONTENT_WARNING, allow_empty=False)
