"""A small deterministic simulator: N conversation engines and the links between them.

Each link carries wire messages both ways, in order (like a channel); links can be cut and
restored (the engines see ``peer_lost`` / ``peer_connected``). Delivery is round-robin over the
links, one message at a time, so relayed and direct copies interleave. Every loop is bounded.

With ``cached=K`` each engine runs as the messenger runs it: over a
:class:`~messenger.conversation.logindex.LogIndex` holding at most K bodies, its storage an
output that the simulator performs after every call (writes into the member's ``log``, the
"disk"; loads read from it and handed back), as ``messenger/session.py`` does.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from nacl.signing import SigningKey

from messenger.conversation import (
    CircleSync,
    ConversationEvent,
    CoolDown,
    DmReceived,
    DmRequest,
    DmStateChanged,
    MemoryPostLog,
    Outgoing,
    PostReceived,
    SignedPost,
    sign_dm,
    sign_post,
)
from messenger.conversation.logindex import LogIndex

CIRCLE = b"circle-one-" + bytes(21)
T0 = 1_700_000_000_000  # ms


def key_for(name: str) -> SigningKey:
    return SigningKey(hashlib.sha256(b"sim-member-" + name.encode()).digest())


@dataclass
class Member:
    name: str
    engine: CircleSync
    key: SigningKey
    log: MemoryPostLog
    index: LogIndex | None = None  # storage as an output (``cached``): ``log`` is the disk
    events: list[ConversationEvent] = field(default_factory=list)
    published: list[SignedPost] = field(default_factory=list)

    @property
    def pk(self) -> bytes:
        return bytes(self.key.verify_key)

    def shown(self) -> list[SignedPost]:
        return [e.post for e in self.events if isinstance(e, PostReceived)]

    def shown_bodies(self) -> list[str]:
        return [p.envelope.body for p in self.shown()]

    def of(self, kind: type[Any]) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]

    def dms(self) -> list[str]:
        return [e.message.envelope.body for e in self.events if isinstance(e, DmReceived)]

    def requests(self) -> list[DmRequest]:
        return self.of(DmRequest)

    def dm_states(self, message_id: bytes) -> list[str]:
        return [
            e.state.value
            for e in self.events
            if isinstance(e, DmStateChanged) and e.message_id == message_id
        ]


class Network:
    def __init__(
        self,
        names: Iterable[str],
        *,
        circle: bytes = CIRCLE,
        now: int = T0,
        members: set[bytes] | None = None,
        cached: int | None = None,
        **engine_args: Any,
    ) -> None:
        self.circle = circle
        self.now = now
        self.members: dict[str, Member] = {}
        self._member_keys: set[bytes] = set(members) if members is not None else set()
        self._by_pk: dict[bytes, Member] = {}
        for name in names:
            key = key_for(name)
            if members is None:
                self._member_keys.add(bytes(key.verify_key))
            log = MemoryPostLog()
            index = None if cached is None else LogIndex(cached=cached)
            engine = CircleSync(
                circle,
                bytes(key.verify_key),
                log if index is None else index,
                is_member=self.is_member,
                **engine_args,
            )
            member = Member(name, engine, key, log, index)
            self.members[name] = member
            self._by_pk[member.pk] = member
        self.links: set[frozenset[str]] = set()
        self.queues: dict[tuple[str, str], deque[bytes]] = {}
        self.delivered = 0
        self.lost_in_cuts = 0
        self.idle_ticks_skipped = 0  # ticks not given because nothing was due
        self.taps: list[Callable[[str, str, bytes], None]] = []
        self.writes = 0  # storage calls performed (``cached``)
        self.loads = 0  # ranges loaded from storage (``cached``)

    def __getitem__(self, name: str) -> Member:
        return self.members[name]

    def is_member(self, key: bytes) -> bool:
        return key in self._member_keys

    # -- links ----------------------------------------------------------------------------
    def link(self, a: str, b: str) -> None:
        pair = frozenset((a, b))
        if pair in self.links:
            return
        self.links.add(pair)
        self.queues[(a, b)] = deque()
        self.queues[(b, a)] = deque()
        self._handle(a, self[a].engine.peer_connected(self[b].pk, self.now))
        self._handle(b, self[b].engine.peer_connected(self[a].pk, self.now))

    def mesh(self) -> None:
        names = list(self.members)
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                self.link(a, b)

    def cut(self, a: str, b: str) -> None:
        pair = frozenset((a, b))
        if pair not in self.links:
            return
        self.links.discard(pair)
        for key in ((a, b), (b, a)):
            self.lost_in_cuts += len(self.queues.pop(key))
        self[a].engine.peer_lost(self[b].pk)
        self[b].engine.peer_lost(self[a].pk)

    def isolate(self, name: str) -> list[str]:
        cut = [next(iter(pair - {name})) for pair in self.links if name in pair]
        for other in cut:
            self.cut(name, other)
        return cut

    # -- traffic --------------------------------------------------------------------------
    def _send(self, src: str, outs: Iterable[Outgoing]) -> None:
        for out in outs:
            dst = self._by_pk[out.peer].name
            queue = self.queues.get((src, dst))
            if queue is None:
                self.lost_in_cuts += 1
                continue
            queue.append(out.data)

    def _handle(self, name: str, result: tuple[list[Outgoing], list[ConversationEvent]]) -> None:
        outs, events = result
        self._storage(name)
        self[name].events += events
        self._send(name, outs)
        self._loads(name)
        for event in events:
            if isinstance(event, CoolDown):
                self.cut(name, self._by_pk[event.peer].name)

    def _storage(self, name: str) -> None:
        member = self[name]
        if member.index is not None:
            for post, at in member.index.take_writes():
                assert member.log.add(post, at)
            self.writes += 1

    def _loads(self, name: str) -> None:
        member, index = self[name], self[name].index
        if index is None:
            return
        for _ in range(8):
            loads = member.engine.take_loads()
            if not loads:
                return
            for load in loads:
                self.loads += 1
                size = load.hi - load.lo + 1
                posts = member.log.posts_after(load.author, load.lo - 1, size)
                index.loaded(load.author, load.lo, load.hi, posts)
                self._send(name, member.engine.loaded(load, self.now))

    def inject(self, src: str, dst: str, data: bytes) -> None:
        """Deliver raw bytes from ``src`` to ``dst`` now (they must be linked)."""
        assert frozenset((src, dst)) in self.links
        self._handle(dst, self[dst].engine.receive(self[src].pk, data, self.now))

    def run(self, max_messages: int = 200_000) -> int:
        """Deliver until no message is in flight; returns how many were delivered."""
        count = 0
        while True:
            busy = [key for key, queue in self.queues.items() if queue]
            if not busy:
                return count
            for src, dst in busy:
                queue = self.queues.get((src, dst))
                if not queue:
                    continue
                data = queue.popleft()
                for tap in self.taps:
                    tap(src, dst, data)
                self._handle(dst, self[dst].engine.receive(self[src].pk, data, self.now))
                count += 1
                self.delivered += 1
                if count >= max_messages:
                    raise AssertionError(f"still busy after {max_messages} messages")

    def tick(self, ms: int = 1000) -> None:
        """Let ``ms`` pass, then tick the engines that have work due (``next_deadline``), as
        the messenger's scheduler does: an engine with nothing due is not ticked at all."""
        self.now += ms
        for name, member in self.members.items():
            due = member.engine.next_deadline(self.now)
            if due is None or due > self.now:
                self.idle_ticks_skipped += 1
                continue
            self._handle(name, member.engine.tick(self.now))

    def settle(self, seconds: int = 60) -> None:
        """Run, then let time pass a second at a time (ticks) until quiet, at most ``seconds``."""
        self.run()
        for _ in range(seconds):
            self.tick(1000)
            if not self.run():
                quiet = all(not m.engine.posts.held.authors() for m in self.members.values())
                deferred = any(
                    v.deferred for m in self.members.values() for v in m.engine.posts.peers.values()
                )
                if quiet and not deferred:
                    return

    # -- acts -----------------------------------------------------------------------------
    def post(self, name: str, body: str, **kwargs: Any) -> SignedPost:
        member = self[name]
        post = sign_post(
            member.key, self.circle, member.engine.next_seq(), body, self.now, **kwargs
        )
        member.published.append(post)
        self._handle(name, (member.engine.publish(post, self.now), []))
        return post

    def dm(self, src: str, dst: str, body: str) -> bytes:
        member = self[src]
        message = sign_dm(member.key, self.circle, self[dst].pk, body, self.now)
        self._handle(src, member.engine.send_dm(message, self.now))
        return message.id
