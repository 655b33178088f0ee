"""The direct-message envelope: signed by the sender, addressed to one member of one circle.

The channel between the two is already end-to-end encrypted and authenticated; the signature makes
a message attributable to its sender's per-circle key even outside the channel (evidence for a
report). Encoding (version 1), one msgpack map, keys in this order, the only encoding accepted::

    v  int   version (1)
    c  bin   circle id (1..64)
    f  bin   sender's Ed25519 key in this circle (32)
    o  bin   recipient's Ed25519 key in this circle (32)
    t  int   timestamp, ms since the epoch
    b  str   body, 1..8 KiB of UTF-8
    k  bin   16 random bytes, so two equal messages in one millisecond differ
    g  bin   Ed25519 signature (64) over DOMAIN + the same map without ``g``

The message id is BLAKE2b-256 of the whole signed encoding.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from nacl.signing import SigningKey

from ..views import DeliveryState, DirectMessageView
from . import codec
from .envelope import (
    KEY_LEN,
    MAX_BODY,
    MAX_CIRCLE_ID,
    MAX_TS,
    decode_signed,
    post_id,
    with_signature,
)
from .errors import ComposeError, DropReason, EnvelopeError

VERSION = 1
DOMAIN = b"hearth/dm/v1\x00"
NONCE_LEN = 16
MAX_DM_ENVELOPE = MAX_BODY + 1024

_CONTENT_KEYS = ("v", "c", "f", "o", "t", "b", "k")
_SIGNED_KEYS = (*_CONTENT_KEYS, "g")
_E = EnvelopeError


@dataclass(frozen=True, slots=True)
class DmEnvelope:
    circle_id: bytes
    sender_key: bytes
    recipient_key: bytes
    ts: int  # ms
    body: str
    nonce: bytes

    def content_map(self) -> dict[str, Any]:
        return {
            "v": VERSION,
            "c": self.circle_id,
            "f": self.sender_key,
            "o": self.recipient_key,
            "t": self.ts,
            "b": self.body,
            "k": self.nonce,
        }


@dataclass(frozen=True, slots=True)
class DirectMessage:
    """A signed direct message: its envelope, exact signed bytes and id."""

    envelope: DmEnvelope
    signed: bytes
    id: bytes

    @property
    def sender_key(self) -> bytes:
        return self.envelope.sender_key

    @property
    def recipient_key(self) -> bytes:
        return self.envelope.recipient_key

    @property
    def ts(self) -> int:
        return self.envelope.ts

    def to_view(self, peer_name: str, *, outgoing: bool, state: DeliveryState) -> DirectMessageView:
        env = self.envelope
        return DirectMessageView(
            circle_id=env.circle_id,
            id=self.id,
            peer_key=env.recipient_key if outgoing else env.sender_key,
            peer=peer_name,
            outgoing=outgoing,
            ts=env.ts / 1000,
            body=env.body,
            state=state,
        )


def sign_dm(
    key: SigningKey,
    circle_id: bytes,
    recipient_key: bytes,
    body: str,
    ts: int,
    *,
    nonce: bytes | None = None,
) -> DirectMessage:
    """Make and sign a direct message; raises :class:`ComposeError` for what decoding refuses."""
    envelope = DmEnvelope(
        circle_id=circle_id,
        sender_key=bytes(key.verify_key),
        recipient_key=recipient_key,
        ts=ts,
        body=body,
        nonce=os.urandom(NONCE_LEN) if nonce is None else nonce,
    )
    try:
        _check_content(envelope.content_map())
    except EnvelopeError as exc:
        raise ComposeError(exc.reason, exc.detail) from None
    if envelope.sender_key == envelope.recipient_key:
        raise ComposeError(DropReason.WRONG_PEER, "a message to oneself")
    content = codec.pack(envelope.content_map())
    signed = with_signature(content, key.sign(DOMAIN + content).signature)
    return DirectMessage(envelope=envelope, signed=signed, id=post_id(signed))


def decode_dm(data: bytes, *, verify: bool = True) -> DirectMessage:
    """Decode and check a signed direct message (strict, like posts)."""
    envelope = decode_signed(
        data,
        max_size=MAX_DM_ENVELOPE,
        version=VERSION,
        signed_keys=_SIGNED_KEYS,
        what="direct message",
        check=_check_content,
        signer=lambda env: env.sender_key,
        domain=DOMAIN,
        verify=verify,
    )
    return DirectMessage(envelope=envelope, signed=data, id=post_id(data))


def _check_content(fields: dict[str, Any]) -> DmEnvelope:
    return DmEnvelope(
        circle_id=codec.need_bytes(fields["c"], _E, "circle id", 1, MAX_CIRCLE_ID),
        sender_key=codec.need_bytes(fields["f"], _E, "sender key", KEY_LEN),
        recipient_key=codec.need_bytes(fields["o"], _E, "recipient key", KEY_LEN),
        ts=codec.need_int(fields["t"], _E, "timestamp", 0, MAX_TS),
        body=codec.need_text(fields["b"], _E, "body", MAX_BODY, allow_empty=False),
        nonce=codec.need_bytes(fields["k"], _E, "nonce", NONCE_LEN),
    )
