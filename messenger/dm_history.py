"""Direct messages kept in the profile: what was sent and received, and where each one is.

The conversation engine decides; this records. :func:`record_events` runs on the database
thread right after each engine call, so the store sees events in the order they happened.
After a restart, messages still waiting go back to the engine's queue (:func:`waiting`),
requests nobody answered yet go back to the engine's held requests (:func:`held`), and the
receiver recognises a message it already has by its id (``already_received``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from .conversation import DirectMessage, DmHeld, DmReceived, DmStateChanged
from .conversation.records import dm_from_record, dm_to_record
from .storage import Direction, DmState, StorageError, Store
from .storage.records import STORED_STATES
from .views import DeliveryState

log = logging.getLogger(__name__)

MAX_HELD = 50  # the newest messages of a request held again (the engine's max_pending)


def accepted_key(circle_id: bytes) -> str:
    return f"dm_accepted:{circle_id.hex()}"


def record_events(store: Store, events: Iterable[object]) -> None:
    for event in events:
        try:
            if isinstance(event, DmReceived | DmHeld):  # kept before the acknowledgement leaves
                message = event.message
                me = message.envelope.recipient_key
                store.add_dm(dm_to_record(message, me=me, state=DeliveryState.DELIVERED))
            elif isinstance(event, DmStateChanged) and event.state in STORED_STATES:
                store.set_dm_state(event.message_id, event.state)
        except StorageError as exc:
            log.info("a direct message was not recorded: %s", exc.code)


def record_sent(store: Store, message: DirectMessage) -> None:
    me = message.envelope.sender_key
    store.add_dm(dm_to_record(message, me=me, state=DeliveryState.QUEUED))


def waiting(store: Store, circle_id: bytes) -> list[DirectMessage]:
    """Our messages not yet delivered, oldest first, to queue again after a restart."""
    found = []
    for state in (DmState.QUEUED, DmState.SENT):
        for record in store.dms_in_state(circle_id, state):
            if record.direction is Direction.OUT:
                found.append(record)
    found.sort(key=lambda r: (r.ts, r.id))
    return [dm_from_record(r)[0] for r in found]


def page(
    store: Store, circle_id: bytes, peer_key: bytes, limit: int
) -> Sequence[tuple[DirectMessage, DeliveryState, bool]]:
    """The newest ``limit`` messages with one member, oldest first: (message, state, ours)."""
    records = store.dm_conversation(circle_id, peer_key, limit)
    out = []
    for record in reversed(records):
        message, state = dm_from_record(record)
        out.append((message, state, record.direction is Direction.OUT))
    return out


def held(store: Store, circle_id: bytes, peers: Iterable[bytes]) -> list[DirectMessage]:
    """Messages from these members, oldest first (a request to hold again: after a restart,
    or when a member is unblocked)."""
    found = []
    for peer in peers:
        for record in store.dm_conversation(circle_id, peer, MAX_HELD):
            if record.direction is Direction.IN:
                found.append(record)
    found.sort(key=lambda r: (r.ts, r.id))
    return [dm_from_record(r)[0] for r in found]


def threads(store: Store, circle_id: bytes) -> list[tuple[bytes, int]]:
    """Members we have direct messages with, and the time of the latest (ms), latest first."""
    return store.dm_peers(circle_id)
