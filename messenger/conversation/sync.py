"""One circle's conversation, sans-IO: the object the node drives for each circle.

Bytes in, bytes and events out, the clock passed in (``now``: ms since the epoch). The node calls
:meth:`CircleSync.peer_connected` when a channel to a member of the circle opens,
:meth:`~CircleSync.receive` with every message from it, :meth:`~CircleSync.peer_lost` when it
closes, and :meth:`~CircleSync.tick` about once a second; it writes each :class:`Outgoing` to the
channel to ``peer`` and acts on the events (show, store, disconnect on :class:`CoolDown`).
A peer is named by its Ed25519 key in this circle, as the channel's handshake authenticated it.

Nothing from the network raises: malformed, forged, oversized or flooding input is dropped and
counted in :attr:`CircleSync.stats` (and reported as :class:`Dropped` unless it is a mere duplicate
or a rate drop). Posts replicate as described in :mod:`.postsync`; direct messages as in
:mod:`.dm`; receive limits as in :mod:`.ratelimit`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .dm import DirectMessages, DmResult, DmSettings
from .dm_envelope import DirectMessage
from .envelope import SignedPost
from .errors import ComposeError, DropReason, WireError
from .events import (
    ConversationEvent,
    CoolDown,
    Dropped,
    LoadPosts,
    Outgoing,
    PeerGoodbye,
    PeerLimited,
    SlowDown,
)
from .postlog import PostLog
from .postsync import Batch, IsMember, PostSync, RetentionCutoff, SyncLimits
from .ratelimit import PeerLimiter, RateLimits
from .stats import DropStats
from .wire import (
    Dm,
    DmAck,
    DmReceipt,
    Goodbye,
    Hello,
    Limited,
    Posts,
    Typing,
    Want,
    WireLimits,
    decode,
    encode,
)

Result = tuple[list[Outgoing], list[ConversationEvent]]


def keep_forever(now: int) -> int | None:
    """A retention cutoff that keeps everything."""
    return None


def keep_for(max_age_ms: int | None) -> RetentionCutoff:
    """A retention cutoff that keeps posts ``max_age_ms`` old at most (None: everything)."""
    if max_age_ms is None:
        return keep_forever
    age = max_age_ms

    def cutoff(now: int) -> int | None:
        return now - age

    return cutoff


class CircleSync:
    """Posts, catch-up and direct messages of one circle, for one member (``me``)."""

    def __init__(
        self,
        circle_id: bytes,
        me: bytes,
        log: PostLog,
        *,
        is_member: IsMember,
        retention_cutoff: RetentionCutoff = keep_forever,
        sync_limits: SyncLimits | None = None,
        rate_limits: RateLimits | None = None,
        wire_limits: WireLimits | None = None,
        dm_settings: DmSettings | None = None,
        dm_allowed: Callable[[bytes], bool] | None = None,
        dm_accepted: Iterable[bytes] = (),
        dm_declined: Iterable[bytes] = (),
        dm_already_received: Callable[[bytes], bool] | None = None,
    ) -> None:
        self.circle_id = circle_id
        self.me = me
        self.stats = DropStats()
        self.rate_limits = rate_limits or RateLimits()
        self.wire_limits = wire_limits or WireLimits()
        self.posts = PostSync(
            circle_id,
            me,
            log,
            is_member=is_member,
            retention_cutoff=retention_cutoff,
            limits=sync_limits or SyncLimits(),
            wire_limits=self.wire_limits,
            stats=self.stats,
        )
        self.dms = DirectMessages(
            circle_id,
            me,
            is_member=is_member,
            stats=self.stats,
            settings=dm_settings,
            allowed=dm_allowed,
            accepted=dm_accepted,
            declined=dm_declined,
            already_received=dm_already_received,
        )
        self._limiters: dict[bytes, PeerLimiter] = {}
        self._cool_until: dict[bytes, int] = {}

    # -- peers ----------------------------------------------------------------------------
    @property
    def connected(self) -> list[bytes]:
        return list(self._limiters)

    def peer_connected(self, peer: bytes, now: int) -> Result:
        """A channel to ``peer`` opened: our HELLO, then the direct messages queued for it
        (their :class:`DmStateChanged` to sent come as events)."""
        if peer == self.me:
            raise ValueError("a peer cannot be ourselves")
        self._limiters[peer] = PeerLimiter(self.rate_limits, now)
        result = self.dms.peer_connected(peer)
        return [self.posts.add_peer(peer, now), *result.out], result.events

    def peer_lost(self, peer: bytes) -> None:
        self._limiters.pop(peer, None)
        self.posts.remove_peer(peer)
        self.dms.peer_lost(peer)

    def cooling_until(self, peer: bytes, now: int) -> int | None:
        """When the peer's cool-down ends, if it is cooling down now."""
        until = self._cool_until.get(peer)
        if until is not None and until <= now:
            del self._cool_until[peer]
            return None
        return until

    # -- input ----------------------------------------------------------------------------
    def receive(self, peer: bytes, data: bytes, now: int) -> Result:
        """One message from ``peer``'s channel."""
        limiter = self._limiters.get(peer)
        batch = Batch()
        if limiter is None:
            self.stats.add(peer, DropReason.WRONG_PEER)
            return [], []
        if self.cooling_until(peer, now) is not None:
            self.stats.add(peer, DropReason.COOLING_DOWN)
            return [], []
        try:
            msg = decode(data, self.wire_limits)
        except WireError as exc:
            limiter.allow_message(now)
            self.stats.add(peer, exc.reason)
            batch.events.append(Dropped(peer=peer, reason=exc.reason, what="message"))
            return self._limits(peer, limiter, now, batch)
        if not (isinstance(msg, Posts) and msg.posts) and not limiter.allow_message(now):
            self.stats.add(peer, DropReason.RATE_LIMITED)
            return self._limits(peer, limiter, now, batch)
        match msg:
            case Hello():
                self.posts.on_hello(peer, msg, now, batch)
            case Posts():
                self.posts.on_posts(peer, msg, now, limiter, batch)
            case Want():
                self.posts.on_want(peer, msg, now, batch)
            case Dm():
                self._merge(batch, self.dms.on_dm(peer, msg, now))
            case DmAck():
                self._merge(batch, self.dms.on_ack(peer, msg))
            case DmReceipt():
                self._merge(batch, self.dms.on_receipt(peer, msg))
            case Typing():
                self._merge(batch, self.dms.on_typing(peer, msg))
            case Goodbye():
                batch.events.append(PeerGoodbye(peer, msg.text))
            case Limited():
                batch.events.append(SlowDown(peer, msg.dropped, msg.retry_after_ms))
        self.posts.finish(now, batch)
        return self._limits(peer, limiter, now, batch)

    def _limits(self, peer: bytes, limiter: PeerLimiter, now: int, batch: Batch) -> Result:
        notice = limiter.take_notice(now)
        if notice is not None:
            batch.out.append(Outgoing(peer, encode(notice)))
            batch.events.append(PeerLimited(peer, notice.dropped))
        if limiter.flagged and peer not in self._cool_until:
            until = now + self.rate_limits.cool_down_ms
            self._cool_until[peer] = until
            batch.events.append(CoolDown(peer, until))
        return batch.out, batch.events

    @staticmethod
    def _merge(batch: Batch, result: DmResult) -> None:
        batch.out += result.out
        batch.events += result.events

    # -- time -----------------------------------------------------------------------------
    def tick(self, now: int) -> Result:
        """Call at :meth:`next_deadline` (at most about once a second): gap timeouts, retries,
        recovery of rate drops, notices."""
        batch = Batch()
        self.posts.tick(now, self._limiters, batch)
        for peer, limiter in list(self._limiters.items()):
            self._limits(peer, limiter, now, batch)
        return batch.out, batch.events

    def next_deadline(self, now: int) -> int | None:
        """When :meth:`tick` next has work (see :meth:`PostSync.next_deadline`), or a peer's
        LIMITED notice or cool-down is waiting; None when nothing waits on time."""
        due = self.posts.next_deadline(now)
        for peer, limiter in self._limiters.items():
            if limiter.unreported or (limiter.flagged and peer not in self._cool_until):
                due = now if due is None else min(due, now)
        return due

    # -- posts ----------------------------------------------------------------------------
    def next_seq(self) -> int:
        """The seq our next post must carry."""
        return self.posts.next_seq()

    def publish(self, post: SignedPost, now: int) -> list[Outgoing]:
        """Store our own signed post and send it to every connected peer.

        Raises :class:`~.errors.PublishError` if it is not ours, not this circle's, not the next
        seq, or does not check out.
        """
        batch = Batch()
        self.posts.publish(post, now, batch)
        self.posts.finish(now, batch)
        return batch.out

    # -- storage, an output ---------------------------------------------------------------
    def take_loads(self) -> list[LoadPosts]:
        """Posts to read from storage: hand each to :meth:`loaded` once read."""
        loads, self.posts.loads = self.posts.loads, []
        return loads

    def loaded(self, load: LoadPosts, now: int) -> list[Outgoing]:
        """The log now holds the bodies ``load`` asked for: send them to the peer that wanted
        them (if it is still here)."""
        batch = Batch()
        self.posts.serve_loaded(load.peer, load.author, load.lo, load.hi, now, batch)
        return batch.out

    # -- direct messages ------------------------------------------------------------------
    def send_dm(self, message: DirectMessage, now: int) -> Result:
        """Send (or queue) a direct message we signed; states come as :class:`DmStateChanged`."""
        result = self.dms.send(message, now)
        return result.out, result.events

    def accept_dm(self, peer: bytes) -> Result:
        result = self.dms.accept(peer)
        return result.out, result.events

    def decline_dm(self, peer: bytes) -> None:
        self.dms.decline(peer)

    def reconsider_dm(self, peer: bytes) -> None:
        self.dms.reconsider(peer)

    def mark_read(self, peer: bytes, message_ids: Iterable[bytes]) -> list[Outgoing]:
        return self.dms.mark_read(peer, message_ids).out

    def set_typing(self, peer: bytes, typing: bool, now: int) -> list[Outgoing]:
        return self.dms.typing(peer, typing, now).out

    # -- leaving --------------------------------------------------------------------------
    def goodbye(self, text: str | None = None) -> list[Outgoing]:
        """GOODBYE to every connected peer (``text``: a short farewell, or none)."""
        if text is not None and len(text.encode("utf-8")) > self.wire_limits.max_goodbye:
            raise ComposeError(DropReason.OVERSIZE, "goodbye text too long")
        data = encode(Goodbye(text or None))
        return [Outgoing(peer, data) for peer in self._limiters]
