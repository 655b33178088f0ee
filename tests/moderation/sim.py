"""A small deterministic world for the moderation engine beside the conversation engine.

Each member runs a :class:`CircleModeration` and a :class:`CircleSync`. A link between two members
forms at an epoch both bind with the same secret, announced by at least one of them (old epochs
are bound but not announced), and only if both engines accept it (``link_decision``). Posts and
direct messages flow only on links at both sides' current epoch. Every message ever sent is
recorded with its lane, so tests can check where reports went. Every loop is bounded.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

from messenger.circle import Circle
from messenger.conversation import (
    CircleSync,
    ConversationEvent,
    DmReceived,
    DmRequest,
    MemoryPostLog,
    Outgoing,
    SignedPost,
    sign_dm,
    sign_post,
)
from messenger.identity import Membership
from messenger.moderation import (
    Admit,
    CircleModeration,
    Effect,
    FloodDisconnect,
    MemberAdmitted,
    MemberRemoved,
    PersonalSettings,
    SecretRotated,
    sign_event,
)
from messenger.mux import Lane

from .helpers import CIRCLE, T0, member


@dataclass
class Peer:
    name: str
    me: Membership
    mod: CircleModeration
    sync: CircleSync
    log: MemoryPostLog
    settings: PersonalSettings = field(default_factory=PersonalSettings)
    effects: list[Effect] = field(default_factory=list)
    events: list[ConversationEvent] = field(default_factory=list)
    online: bool = True

    @property
    def key(self) -> bytes:
        return self.me.member_key

    def bodies(self) -> list[str]:
        return [p.envelope.body for p in self.log_posts()]

    def log_posts(self) -> list[SignedPost]:
        out: list[SignedPost] = []
        for author in self.log.high_water_marks():
            out += self.log.posts_after(author, 0, 10_000)
        return out

    def dms(self) -> list[str]:
        return [
            e.message.envelope.body for e in self.events if isinstance(e, DmReceived | DmRequest)
        ]

    def of(self, kind: type) -> list[object]:
        return [e for e in self.effects if isinstance(e, kind)]


@dataclass(frozen=True)
class Sent:
    sender: str
    recipient: str
    lane: Lane
    data: bytes


class World:
    def __init__(
        self,
        names: Iterable[str],
        circle: Circle = CIRCLE,
        *,
        delay_ms: int = 0,
        certified: bool = True,
    ) -> None:
        """``certified``: the host let every member in beforehand (their ADMITs are in
        everyone's log, as after real joins)."""
        self.now = T0
        self.peers: dict[str, Peer] = {}
        self.links: dict[frozenset[str], int] = {}
        self.sent: list[Sent] = []
        self._queue: deque[tuple[str, str, Lane, bytes]] = deque()
        self._doomed: set[tuple[str, str]] = set()  # links to close once what is queued is sent
        for name in names:
            self.add(name, member(name, circle), circle, delay_ms=delay_ms)
        host = member("host", circle)
        if certified and host.member_key == circle.host_key:
            others = [p for p in self.peers.values() if p.key != host.member_key]
            admits = [
                sign_event(host, seq, T0, Admit(p.key, p.me.pseudonym))
                for seq, p in enumerate(others, start=1)
            ]
            for peer in self.peers.values():
                peer.mod.state.apply_many(admits, T0)

    def add(self, name: str, me: Membership, circle: Circle, *, delay_ms: int = 0) -> Peer:
        mod = CircleModeration(circle, me, delay=lambda limit: min(limit, delay_ms))
        log = MemoryPostLog()
        sync = CircleSync(circle.circle_id, me.member_key, log, is_member=mod.is_member)
        peer = Peer(name, me, mod, sync, log)
        self.peers[name] = peer
        return peer

    def __getitem__(self, name: str) -> Peer:
        return self.peers[name]

    def by_key(self, key: bytes) -> Peer:
        return next(p for p in self.peers.values() if p.key == key)

    # -- links ----------------------------------------------------------------------------
    def common_epoch(self, a: Peer, b: Peer) -> int | None:
        mine = {x.epoch: x for x in a.mod.bindings(self.now)}
        best = None
        for theirs in b.mod.bindings(self.now):
            ours = mine.get(theirs.epoch)
            if ours is None or ours.keys.noise_psk != theirs.keys.noise_psk:
                continue
            if not (ours.announce or theirs.announce):
                continue
            best = theirs.epoch if best is None else max(best, theirs.epoch)
        return best

    def try_link(self, a: Peer, b: Peer) -> int | None:
        epoch = self.common_epoch(a, b)
        if epoch is None or not (a.online and b.online):
            return None
        if not a.mod.link_decision(b.key, epoch, self.now).accepted:
            return None
        if not b.mod.link_decision(a.key, epoch, self.now).accepted:
            return None
        self.links[frozenset((a.name, b.name))] = epoch
        for x, y in ((a, b), (b, a)):
            out, effects = x.mod.peer_connected(y.key, self.now, epoch=epoch)
            self._send(x, out, Lane.MODERATION)
            self._effects(x, effects)
            if epoch == x.mod.circle.epoch and x.mod.carries_conversation(y.key):
                out, events = x.sync.peer_connected(y.key, self.now)
                self._send(x, out, Lane.CONVERSATION)
                x.events += events
        return epoch

    def cut(self, a: str, b: str) -> None:
        pair = frozenset((a, b))
        epoch = self.links.pop(pair, None)
        if epoch is None:
            return
        for x, y in ((self[a], self[b]), (self[b], self[a])):
            x.mod.peer_lost(y.key, epoch=epoch)
            x.sync.peer_lost(y.key)

    def connect(self, rounds: int = 3) -> None:
        """Link every pair that can link (dropping links a better epoch replaces), then pump."""
        for _ in range(rounds):
            changed = False
            for a, b in combinations(list(self.peers.values()), 2):
                pair = frozenset((a.name, b.name))
                best = self.common_epoch(a, b) if a.online and b.online else None
                held = self.links.get(pair)
                if held is not None and (best is None or best > held):
                    self.cut(a.name, b.name)
                    held = None
                    changed = True
                if held is None and best is not None and self.try_link(a, b) is not None:
                    changed = True
            self.pump()
            if not changed:
                return

    def go_offline(self, name: str) -> None:
        for other in list(self.peers):
            self.cut(name, other)
        self[name].online = False

    def go_online(self, name: str) -> None:
        self[name].online = True

    # -- traffic --------------------------------------------------------------------------
    def _send(self, sender: Peer, out: Iterable[Outgoing], lane: Lane) -> None:
        for item in out:
            recipient = self.by_key(item.peer)
            self._queue.append((sender.name, recipient.name, lane, item.data))

    def pump(self, limit: int = 20_000) -> None:
        for _ in range(limit):
            if not self._queue:
                doomed, self._doomed = self._doomed, set()
                for a, b in doomed:
                    self.cut(a, b)
                if not self._queue:
                    return
                continue
            sender, recipient, lane, data = self._queue.popleft()
            if frozenset((sender, recipient)) not in self.links:
                continue  # the link went down while this was on its way
            self.sent.append(Sent(sender, recipient, lane, data))
            peer, source = self[recipient], self[sender]
            if lane is Lane.MODERATION:
                out, effects = peer.mod.receive(source.key, data, self.now)
                self._send(peer, out, Lane.MODERATION)
                self._effects(peer, effects)
            elif peer.mod.carries_conversation(source.key):
                conv_out, events = peer.sync.receive(source.key, data, self.now)
                self._send(peer, conv_out, Lane.CONVERSATION)
                peer.events += events
                self._effects(peer, peer.mod.observe(events, self.now))
        raise AssertionError("the world did not go quiet")

    def _effects(self, peer: Peer, effects: list[Effect]) -> None:
        peer.effects += effects
        for effect in effects:
            if isinstance(effect, MemberRemoved):
                # as the facade does: no more posts to them now; the link closes once what is
                # already queued for it (the removal itself) is sent
                other = self.by_key(effect.member)
                peer.sync.peer_lost(other.key)
                if frozenset((peer.name, other.name)) in self.links:
                    self._doomed.add((peer.name, other.name))
            elif isinstance(effect, FloodDisconnect):
                self.cut(peer.name, self.by_key(effect.peer).name)
            elif isinstance(effect, SecretRotated):
                pass  # links re-form at the new epoch in connect()
            elif isinstance(effect, MemberAdmitted):
                # as the session does: an admitted member's waiting links carry the conversation
                for other in self.peers.values():
                    pair = frozenset((peer.name, other.name))
                    if other is peer or pair not in self.links:
                        continue
                    if effect.member in (other.key, peer.key) and peer.mod.carries_conversation(
                        other.key
                    ):
                        out, events = peer.sync.peer_connected(other.key, self.now)
                        self._send(peer, out, Lane.CONVERSATION)
                        peer.events += events

    def run(self, peer: str, result: tuple[list[Outgoing], list[Effect]]) -> None:
        out, effects = result
        self._send(self[peer], out, Lane.MODERATION)
        self._effects(self[peer], effects)
        self.pump()

    def tick(self, ms: int = 1000) -> None:
        self.now += ms
        for peer in self.peers.values():
            if peer.online:
                self.run(peer.name, peer.mod.tick(self.now))

    # -- conversation ---------------------------------------------------------------------
    def post(self, name: str, body: str) -> SignedPost:
        peer = self[name]
        signed = sign_post(
            peer.me.signing_key, peer.mod.circle.circle_id, peer.sync.next_seq(), body, self.now
        )
        self._send(peer, peer.sync.publish(signed, self.now), Lane.CONVERSATION)
        self.pump()
        return signed

    def dm(self, sender: str, recipient: str, body: str) -> None:
        peer = self[sender]
        message = sign_dm(
            peer.me.signing_key, peer.mod.circle.circle_id, self[recipient].key, body, self.now
        )
        out, events = peer.sync.send_dm(message, self.now)
        self._send(peer, out, Lane.CONVERSATION)
        peer.events += events
        self.pump()
