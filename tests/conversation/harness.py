"""One engine under test and hand-made peers: for exact, message-by-message checks."""

from __future__ import annotations

from typing import Any

from messenger.conversation import (
    CircleSync,
    ConversationEvent,
    Dropped,
    MemoryPostLog,
    Outgoing,
    PostReceived,
    SignedPost,
    sign_post,
)
from messenger.conversation.wire import Hello, Posts, WireMessage, decode, encode

from .sim import CIRCLE, T0, key_for


class Solo:
    def __init__(
        self,
        peers: tuple[str, ...] = ("p", "q"),
        *,
        strangers: tuple[str, ...] = (),
        now: int = T0,
        **engine_args: Any,
    ) -> None:
        self.now = now
        self.key = key_for("me")
        self.me = bytes(self.key.verify_key)
        self.keys = {name: key_for(name) for name in (*peers, *strangers)}
        self.pks = {name: bytes(k.verify_key) for name, k in self.keys.items()}
        self.member_keys = {self.me} | {self.pks[n] for n in peers}
        self.log = MemoryPostLog()
        self.engine_args = engine_args
        self.engine = self.rebuild()
        self.events: list[ConversationEvent] = []
        self.sent: list[tuple[str, WireMessage]] = []  # what the engine sent, decoded
        self._names = {pk: name for name, pk in self.pks.items()}

    def rebuild(self) -> CircleSync:
        """A fresh engine over the current log (as after a restart)."""
        self.engine = CircleSync(
            CIRCLE, self.me, self.log, is_member=self.member_keys.__contains__, **self.engine_args
        )
        return self.engine

    def _record(self, outs: list[Outgoing]) -> list[tuple[str, WireMessage]]:
        decoded = [(self._names[o.peer], decode(o.data)) for o in outs]
        self.sent += decoded
        return decoded

    def connect(self, name: str, hwm: dict[bytes, int] | None = None) -> list[Any]:
        """Open a channel to ``name`` and deliver its HELLO; returns what the engine sent."""
        outs, events = self.engine.peer_connected(self.pks[name], self.now)
        self.events += events
        sent = self._record(outs)
        return sent + self.recv(name, Hello(hwm=hwm or {}))

    def recv(self, name: str, msg: WireMessage | bytes) -> list[tuple[str, WireMessage]]:
        data = msg if isinstance(msg, bytes) else encode(msg)
        outs, events = self.engine.receive(self.pks[name], data, self.now)
        self.events += events
        return self._record(outs)

    def tick(self, ms: int = 1000) -> list[tuple[str, WireMessage]]:
        self.now += ms
        outs, events = self.engine.tick(self.now)
        self.events += events
        return self._record(outs)

    def post(self, author: str, seq: int, body: str | None = None, **kw: Any) -> SignedPost:
        ts = kw.pop("ts", self.now)
        circle = kw.pop("circle", CIRCLE)
        return sign_post(self.keys[author], circle, seq, body or f"{author}-{seq}", ts, **kw)

    def send_posts(self, name: str, *posts: SignedPost | bytes, **kw: Any) -> list[Any]:
        data = tuple(p if isinstance(p, bytes) else p.signed for p in posts)
        return self.recv(name, Posts(posts=data, **kw))

    def shown(self) -> list[tuple[str, int]]:
        names = {**self._names, self.me: "me"}
        return [
            (names[e.post.author_key], e.post.seq)
            for e in self.events
            if isinstance(e, PostReceived)
        ]

    def dropped(self) -> list[str]:
        return [e.reason.value for e in self.events if isinstance(e, Dropped)]

    def of(self, kind: type[Any]) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]

    def sent_of(self, kind: type[Any], to: str | None = None) -> list[Any]:
        return [m for n, m in self.sent if isinstance(m, kind) and (to is None or n == to)]
