"""Conversions between the core's signed values and the store's records.

Records keep the exact signed bytes; reading one back decodes those bytes strictly (they were
verified before they were stored, so the signature is not checked again) and checks that the
record's columns agree with them.
"""

from __future__ import annotations

from ..storage.records import STORED_STATES, Direction, DirectMessageRecord, PostRecord
from ..views import DeliveryState
from .anon_envelope import ANONYMOUS_AUTHOR, decode_anonymous_post, is_anonymous, storage_seq
from .dm_envelope import DirectMessage, decode_dm
from .envelope import SignedPost, decode_post
from .errors import DropReason, EnvelopeError


def post_to_record(post: SignedPost, received_at: int, *, hidden: bool = False) -> PostRecord:
    env = post.envelope
    return PostRecord(
        id=post.id,
        circle_id=env.circle_id,
        author_key=env.author_key,
        seq=storage_seq(post.id) if is_anonymous(post) else env.seq,
        ts=env.ts,
        received_at=received_at,
        body=env.body,
        signed=post.signed,
        reply_to=env.reply_to,
        content_warning=env.content_warning,
        hidden=hidden,
        kind=env.kind,
    )


def post_from_record(record: PostRecord) -> SignedPost:
    """The signed post a record holds; :class:`EnvelopeError` if the record disagrees with it."""
    if record.author_key == ANONYMOUS_AUTHOR:  # stored by id: no author, no seq
        post = decode_anonymous_post(record.signed).post
        seq = storage_seq(post.id)
    else:
        post = decode_post(record.signed, verify=False)
        seq = post.envelope.seq
    env = post.envelope
    if (post.id, env.circle_id, env.author_key, seq, env.ts, env.body) != (
        record.id,
        record.circle_id,
        record.author_key,
        record.seq,
        record.ts,
        record.body,
    ):
        raise EnvelopeError(DropReason.BAD_VALUE, "the record does not match its signed bytes")
    return post


def dm_to_record(message: DirectMessage, *, me: bytes, state: DeliveryState) -> DirectMessageRecord:
    """A direct message as stored by ``me`` (its sender or its recipient)."""
    env = message.envelope
    outgoing = env.sender_key == me
    if state not in STORED_STATES:
        raise ValueError(f"the store has no state {state.value!r}")
    return DirectMessageRecord(
        id=message.id,
        circle_id=env.circle_id,
        peer_key=env.recipient_key if outgoing else env.sender_key,
        direction=Direction.OUT if outgoing else Direction.IN,
        state=state,
        ts=env.ts,
        body=env.body,
        signed=message.signed,
    )


def dm_from_record(record: DirectMessageRecord) -> tuple[DirectMessage, DeliveryState]:
    message = decode_dm(record.signed, verify=False)
    if message.id != record.id or message.envelope.circle_id != record.circle_id:
        raise EnvelopeError(DropReason.BAD_VALUE, "the record does not match its signed bytes")
    return message, record.state
