"""Direct messages between two members of a circle (sans-IO).

- **Consent.** The first messages from a member we have not accepted are a request
  (:class:`DmRequest` for the first), held until we accept (then shown, in order) or decline
  (then not shown, and later ones neither). Declining sends nothing: every verified message
  addressed to us is acknowledged on receipt, accepted or not, so the sender sees "delivered"
  either way and can never tell a decline. So that "delivered" is never a lie, a message not
  shown is still kept (:class:`DmHeld`, recorded by the adapter before the acknowledgement
  leaves): :meth:`DirectMessages.reconsider` (an unblock) makes a declined member's messages a
  request again, and :meth:`DirectMessages.hold` puts a stored request back after a restart.
  Writing to a member accepts them.
- **Delivery.** A message goes only over the channel to its recipient (never relayed). While the
  recipient is away it is queued; when it connects, queued and unacknowledged messages are sent
  (again), in order; the recipient drops repeats by id (and acknowledges them again).
- **States.** queued → sent (on the channel) → delivered (DM_ACK) → read (DM_RECEIPT); forward only.
- **Policy.** A message the circle's policy refuses (``allowed`` says no), or not from the
  channel's peer, or not to us, is dropped and not acknowledged: a conforming client never sends
  one.
- **Receipts and typing** are off by default. With read receipts off we neither send receipts nor
  show theirs; with typing indicators off we neither send nor show typing. Both only between
  members who have accepted each other.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..views import DeliveryState
from .dm_envelope import DirectMessage, decode_dm
from .errors import DirectMessageError, DropReason, EnvelopeError
from .events import (
    ConversationEvent,
    DmHeld,
    DmReceived,
    DmRequest,
    DmStateChanged,
    Dropped,
    Outgoing,
    PeerTyping,
)
from .stats import DropStats
from .wire import Dm, DmAck, DmReceipt, Typing, encode


@dataclass(frozen=True)
class DmSettings:
    read_receipts: bool = False
    typing_indicators: bool = False
    typing_interval_ms: int = 3_000  # "still typing" at most this often
    max_pending: int = 50  # messages held per member whose request we have not answered
    max_queued: int = 500  # messages queued per recipient while away
    remember_ids: int = 10_000  # ids of received messages remembered to drop repeats


@dataclass
class DmResult:
    out: list[Outgoing] = field(default_factory=list)
    events: list[ConversationEvent] = field(default_factory=list)


class DirectMessages:
    def __init__(
        self,
        circle_id: bytes,
        me: bytes,
        *,
        is_member: Callable[[bytes], bool],
        stats: DropStats,
        settings: DmSettings | None = None,
        allowed: Callable[[bytes], bool] | None = None,
        accepted: Iterable[bytes] = (),
        declined: Iterable[bytes] = (),
        already_received: Callable[[bytes], bool] | None = None,
    ) -> None:
        self.circle_id = circle_id
        self.me = me
        self.is_member = is_member
        self.stats = stats
        self.settings = settings or DmSettings()
        self.allowed = allowed or (lambda _key: True)
        self.accepted: set[bytes] = set(accepted)
        self.declined: set[bytes] = set(declined) - self.accepted
        self.already_received = already_received
        self.connected: set[bytes] = set()
        self._outbox: dict[bytes, list[DirectMessage]] = {}  # per peer: not yet acknowledged
        self._states: OrderedDict[bytes, tuple[bytes, DeliveryState]] = OrderedDict()
        self._pending: dict[bytes, list[DirectMessage]] = {}  # requests awaiting an answer
        self._seen: OrderedDict[bytes, None] = OrderedDict()
        self._receipts: dict[bytes, list[bytes]] = {}  # read receipts waiting for the peer
        self._typing_sent: dict[bytes, int] = {}  # peer -> when we last said "typing"

    # -- sending --------------------------------------------------------------------------
    def send(self, message: DirectMessage, now: int) -> DmResult:
        """Queue ``message`` (signed by us) for its recipient, sending it now if connected."""
        env = message.envelope
        peer = env.recipient_key
        if env.sender_key != self.me or env.circle_id != self.circle_id:
            raise DirectMessageError("the message is not ours, or not for this circle")
        if message.id in self._states:
            raise DirectMessageError("the message was sent already")
        queue = self._outbox.setdefault(peer, [])
        if len(queue) >= self.settings.max_queued:
            raise DirectMessageError("too many messages waiting for this member")
        queue.append(message)
        result = DmResult()
        self._set_state(message.id, peer, DeliveryState.QUEUED, result)
        self._accept_peer(peer, result)
        if peer in self.connected:
            self._transmit(peer, message, result)
        return result

    def restore(self, message: DirectMessage, state: DeliveryState) -> None:
        """After a restart: an outgoing message the store says is ``state`` (queued or sent get
        sent again when the peer connects)."""
        peer = message.recipient_key
        self._states[message.id] = (peer, state)
        self.accepted.add(peer)
        if state.rank < DeliveryState.DELIVERED.rank:
            self._outbox.setdefault(peer, []).append(message)

    def state(self, message_id: bytes) -> DeliveryState | None:
        entry = self._states.get(message_id)
        return None if entry is None else entry[1]

    def peer_connected(self, peer: bytes) -> DmResult:
        self.connected.add(peer)
        result = DmResult()
        for message in list(self._outbox.get(peer, [])):
            self._transmit(peer, message, result)
        receipts = self._receipts.pop(peer, [])
        if receipts:
            result.out.append(Outgoing(peer, encode(DmReceipt(tuple(receipts)))))
        return result

    def peer_lost(self, peer: bytes) -> None:
        self.connected.discard(peer)
        self._typing_sent.pop(peer, None)

    def _transmit(self, peer: bytes, message: DirectMessage, result: DmResult) -> None:
        result.out.append(Outgoing(peer, encode(Dm(message.signed))))
        self._set_state(message.id, peer, DeliveryState.SENT, result)

    # -- receiving ------------------------------------------------------------------------
    def on_dm(self, peer: bytes, msg: Dm, now: int) -> DmResult:
        result = DmResult()
        try:
            message = decode_dm(msg.signed)
        except EnvelopeError as exc:
            return self._drop(peer, exc.reason, result)
        env = message.envelope
        if env.circle_id != self.circle_id:
            return self._drop(peer, DropReason.WRONG_CIRCLE, result)
        if env.sender_key != peer or env.recipient_key != self.me:
            return self._drop(peer, DropReason.WRONG_PEER, result)
        if not self.is_member(peer):
            return self._drop(peer, DropReason.NOT_MEMBER, result)
        if not self.allowed(peer):
            return self._drop(peer, DropReason.NOT_ALLOWED, result)
        result.out.append(Outgoing(peer, encode(DmAck((message.id,)))))
        if self._seen_before(message.id):
            self.stats.add(peer, DropReason.DUPLICATE)
            return result
        self._remember(message.id)
        if peer in self.declined:
            result.events.append(DmHeld(message))  # kept, not shown: the sender saw "delivered"
        elif peer in self.accepted:
            result.events.append(DmReceived(message))
        else:
            result.events.append(DmHeld(message))
            if self.hold(message):
                result.events.append(DmRequest(message))
        return result

    def hold(self, message: DirectMessage) -> bool:
        """Keep a message from a member we have not answered as (part of) their request;
        True if it is the request's first message. Past ``max_pending`` it is only kept by
        the adapter (shown when they are accepted)."""
        peer = message.envelope.sender_key
        pending = self._pending.setdefault(peer, [])
        if any(m.id == message.id for m in pending):
            return False
        if len(pending) >= self.settings.max_pending:
            self.stats.add(peer, DropReason.BUFFER_FULL)
            return False
        pending.append(message)
        return len(pending) == 1

    def reconsider(self, peer: bytes) -> None:
        """We no longer decline ``peer`` (an unblock): their next messages are a request."""
        self.declined.discard(peer)

    def on_ack(self, peer: bytes, msg: DmAck) -> DmResult:
        result = DmResult()
        self._advance(peer, msg.ids, DeliveryState.DELIVERED, result)
        return result

    def on_receipt(self, peer: bytes, msg: DmReceipt) -> DmResult:
        result = DmResult()
        if self.settings.read_receipts:
            self._advance(peer, msg.ids, DeliveryState.READ, result)
        else:  # they are at least delivered
            self._advance(peer, msg.ids, DeliveryState.DELIVERED, result)
        return result

    def on_typing(self, peer: bytes, msg: Typing) -> DmResult:
        result = DmResult()
        if self.settings.typing_indicators and peer in self.accepted:
            result.events.append(PeerTyping(peer, msg.typing))
        return result

    def _advance(
        self, peer: bytes, ids: Iterable[bytes], state: DeliveryState, result: DmResult
    ) -> None:
        done = set()
        for message_id in ids:
            entry = self._states.get(message_id)
            if entry is None or entry[0] != peer:
                continue  # not ours, or not to this peer: ignore
            self._set_state(message_id, peer, state, result)
            done.add(message_id)
        if done and peer in self._outbox:
            self._outbox[peer] = [m for m in self._outbox[peer] if m.id not in done]

    # -- the recipient's choices ----------------------------------------------------------
    def pending(self, peer: bytes) -> list[DirectMessage]:
        return list(self._pending.get(peer, []))

    def requests(self) -> list[bytes]:
        """Members whose request waits for an answer."""
        return list(self._pending)

    def accept(self, peer: bytes) -> DmResult:
        result = DmResult()
        self._accept_peer(peer, result)
        return result

    def decline(self, peer: bytes) -> None:
        """Silently: nothing is sent; their messages are discarded from now on."""
        self._pending.pop(peer, None)
        self.accepted.discard(peer)
        self.declined.add(peer)

    def _accept_peer(self, peer: bytes, result: DmResult) -> None:
        self.declined.discard(peer)
        self.accepted.add(peer)
        for message in self._pending.pop(peer, []):
            result.events.append(DmReceived(message))

    def mark_read(self, peer: bytes, ids: Iterable[bytes]) -> DmResult:
        """We read these messages from ``peer``; tells it only with read receipts on."""
        result = DmResult()
        if not self.settings.read_receipts or peer not in self.accepted:
            return result
        ids = tuple(ids)[:512]
        if not ids:
            return result
        if peer in self.connected:
            result.out.append(Outgoing(peer, encode(DmReceipt(ids))))
        else:
            waiting = self._receipts.setdefault(peer, [])
            waiting.extend(ids)
            del waiting[:-512]
        return result

    def typing(self, peer: bytes, typing: bool, now: int) -> DmResult:
        """We are (or stopped) writing to ``peer``; tells it only with typing indicators on."""
        result = DmResult()
        if not self.settings.typing_indicators or peer not in self.accepted:
            return result
        if peer not in self.connected:
            return result
        last = self._typing_sent.get(peer)
        if typing:
            if last is not None and now - last < self.settings.typing_interval_ms:
                return result
            self._typing_sent[peer] = now
        else:
            if last is None:
                return result
            del self._typing_sent[peer]
        result.out.append(Outgoing(peer, encode(Typing(typing))))
        return result

    # -- helpers --------------------------------------------------------------------------
    def _set_state(
        self, message_id: bytes, peer: bytes, state: DeliveryState, result: DmResult
    ) -> None:
        entry = self._states.get(message_id)
        if entry is not None and entry[1].rank >= state.rank:
            return
        self._states[message_id] = (peer, state)
        self._states.move_to_end(message_id)
        while len(self._states) > self.settings.remember_ids:
            oldest = next(iter(self._states))
            if any(m.id == oldest for q in self._outbox.values() for m in q):
                break  # never forget a message still waiting to be delivered
            self._states.popitem(last=False)
        result.events.append(DmStateChanged(message_id, peer, state))

    def _seen_before(self, message_id: bytes) -> bool:
        if message_id in self._seen:
            return True
        return self.already_received is not None and self.already_received(message_id)

    def _remember(self, message_id: bytes) -> None:
        self._seen[message_id] = None
        while len(self._seen) > self.settings.remember_ids:
            self._seen.popitem(last=False)

    def _drop(self, peer: bytes, reason: DropReason, result: DmResult) -> DmResult:
        self.stats.add(peer, reason)
        result.events.append(Dropped(peer=peer, reason=reason, what="dm"))
        return result
