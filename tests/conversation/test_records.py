"""Records: round trips through the real (in-memory SQLCipher) store, and sync on top of it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from messenger.conversation import CircleSync, EnvelopeError, sign_dm, sign_post
from messenger.conversation.logindex import LogIndex
from messenger.conversation.records import (
    dm_from_record,
    dm_to_record,
    post_from_record,
    post_to_record,
)
from messenger.storage.profile import open_ephemeral
from messenger.storage.records import CircleRecord, Direction, DmState
from messenger.storage.store import Store
from messenger.views import DeliveryState

from .sim import CIRCLE, T0, Network, key_for

KEY, OTHER = key_for("author"), key_for("other")


@pytest.fixture
def store() -> Iterator[Store]:
    store = open_ephemeral()
    store.save_circle(CircleRecord(id=CIRCLE, name="circle", joined_at=T0, record=b""))
    try:
        yield store
    finally:
        store.close()


def test_post_record_round_trip(store: Store) -> None:
    post = sign_post(KEY, CIRCLE, 3, "to the store", T0, reply_to=bytes(32), content_warning="cw")
    record = post_to_record(post, received_at=T0 + 5)
    assert store.add_post(record)
    back = store.get_post(post.id)
    assert back is not None and back == record
    assert post_from_record(back) == post
    with pytest.raises(EnvelopeError):
        post_from_record(dataclasses.replace(record, body="edited"))


def test_dm_record_round_trip(store: Store) -> None:
    message = sign_dm(KEY, CIRCLE, bytes(OTHER.verify_key), "a note", T0)
    out = dm_to_record(message, me=bytes(KEY.verify_key), state=DeliveryState.SENT)
    assert (out.direction, out.state, out.peer_key) == (
        Direction.OUT,
        DmState.SENT,
        bytes(OTHER.verify_key),
    )
    incoming = dm_to_record(message, me=bytes(OTHER.verify_key), state=DeliveryState.DELIVERED)
    assert incoming.direction is Direction.IN and incoming.peer_key == bytes(KEY.verify_key)
    assert store.add_dm(out)
    stored = store.get_dm(message.id)
    assert stored is not None
    assert dm_from_record(stored) == (message, DeliveryState.SENT)
    with pytest.raises(ValueError):
        dm_to_record(message, me=bytes(KEY.verify_key), state=DeliveryState.FAILED)


def test_sync_with_storage_as_an_output_over_the_real_store(store: Store) -> None:
    """The engine's writes land in the store; a restart over the store's index serves from it."""
    net = Network(["a", "b"])
    for i in range(30):
        net.post("a", f"post {i}")
    b = net["b"]
    b.index = LogIndex(cached=4)
    b.engine = CircleSync(CIRCLE, b.pk, b.index, is_member=net.is_member)
    net.link("a", "b")
    net.settle()
    assert [p.envelope.body for p in b.shown()] == [f"post {i}" for i in range(30)]
    store.add_posts(post_to_record(p, at) for p, at in [(p, T0) for p in b.log])
    assert store.high_water_marks(CIRCLE) == {net["a"].pk: 30}
    # a restart over the same store: nothing is shown again, nothing is asked for again
    b.events.clear()
    b.index = LogIndex(store.post_index(CIRCLE), cached=4)
    b.engine = CircleSync(CIRCLE, b.pk, b.index, is_member=net.is_member)
    net.cut("a", "b")
    net.post("a", "after the restart")
    net.link("a", "b")
    net.settle()
    assert b.shown_bodies() == ["after the restart"]
    assert b.index.contains(b.shown()[0].id)
