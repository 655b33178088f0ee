"""Calm lines in a circle's timeline, beside the posts: someone joined, someone left or is no
longer in the circle, and, in a circle I just joined that shows what was said before I came,
where I came in and why that history is there.

The lines are this window's (kept for the session, shown again when the circle is opened again),
not posts: nothing is sent or stored. Joins are those the circle's member list gains while the
window runs; in a circle I have just joined its members arrive all at once, so for
:data:`SETTLE` seconds they are not announced one by one.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from messenger.events import (
    CircleEvent,
    Event,
    MemberLeftEvent,
    MemberRemovedEvent,
    PeerConnectedEvent,
    PostEvent,
)
from messenger.facade import Messenger
from messenger.views import CircleView, Retention, Role

from .main_window import MainWindow

SETTLE = 20.0  # seconds after I join a circle while its member list fills in


class TimelineLines:
    def __init__(
        self,
        window: MainWindow,
        messenger: Messenger,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.window = window
        self.messenger = messenger
        self.clock, self.wall = clock, wall
        self.lines: dict[bytes, list[tuple[float, str]]] = {}
        self.known: dict[bytes, set[bytes]] = {c.id: self._keys(c.id) for c in messenger.circles()}
        self.joined: dict[bytes, tuple[float, float]] = {}  # circle -> (wall time, clock time)
        self.told_history: set[bytes] = set()
        messenger.subscribe(self.on_event)
        window.conversation.model.modelReset.connect(self._replay)

    def _keys(self, circle_id: bytes) -> set[bytes]:
        return {m.key for m in self.messenger.members(circle_id) if not m.is_me}

    def on_event(self, event: Event) -> None:
        if isinstance(event, CircleEvent):
            self._circle_seen(event.circle)
        elif isinstance(event, PeerConnectedEvent):
            self._members_changed(event.circle)
        elif isinstance(event, MemberLeftEvent):
            text = self.window.tr("{name} left the circle").format(name=event.member)
            if event.text:
                text += self.window.tr(": “{goodbye}”").format(goodbye=event.text)
            self.add(event.circle, text)
        elif isinstance(event, MemberRemovedEvent):
            if event.key in self.known.get(event.circle, set()):
                self.known[event.circle].discard(event.key)
                text = self.window.tr("{name} is no longer in this circle").format(
                    name=event.member
                )
                self.add(event.circle, text)
        elif isinstance(event, PostEvent):
            self._history_before_me(event.post.circle_id, event.post.ts)

    def _circle_seen(self, circle: CircleView) -> None:
        if circle.id in self.known:
            return
        self.known[circle.id] = self._keys(circle.id)
        if circle.role is Role.MEMBER:  # joined here just now (a circle I create starts empty)
            self.joined[circle.id] = (self.wall(), self.clock())

    def _members_changed(self, circle_id: bytes) -> None:
        try:
            keys = self._keys(circle_id)
        except Exception:  # a circle left meanwhile
            return
        known = self.known.setdefault(circle_id, set())
        new = keys - known
        known |= keys
        joined = self.joined.get(circle_id)
        if not new or (joined is not None and self.clock() - joined[1] < SETTLE):
            return
        names = {m.key: m.pseudonym for m in self.messenger.members(circle_id)}
        for key in sorted(new, key=lambda k: names.get(k, "")):
            self.add(circle_id, self.window.tr("{name} joined the circle").format(name=names[key]))

    def _history_before_me(self, circle_id: bytes, ts: float) -> None:
        joined = self.joined.get(circle_id)
        if joined is None or ts >= joined[0] or circle_id in self.told_history:
            return
        self.told_history.add(circle_id)
        self.add(circle_id, self.history_text(self.messenger.circle(circle_id)), joined[0])

    def history_text(self, circle: CircleView) -> str:
        """Where I came in, and why what was said before is shown."""
        s = circle.settings
        if s.retention is Retention.FOREVER:
            keeps = self.window.tr("keeps what is said for as long as it exists")
        elif s.retention is Retention.HOURS:
            keeps = self.window.tr("keeps what is said for {n} hours").format(n=s.retention_amount)
        elif s.retention is Retention.DAYS:
            keeps = self.window.tr("keeps what is said for {n} days").format(n=s.retention_amount)
        else:
            keeps = self.window.tr("keeps what is said while its members are here")
        return self.window.tr(
            "You joined here. What is above was said before you came: this circle {keeps}, "
            "for members old and new."
        ).format(keeps=keeps)

    def add(self, circle_id: bytes, text: str, ts: float | None = None) -> None:
        when = self.wall() if ts is None else ts
        self.lines.setdefault(circle_id, []).append((when, text))
        area = self.window.conversation
        if area.circle is not None and area.circle.id == circle_id and area.peer is None:
            area.model.add_notice(circle_id, text, when)

    def _replay(self) -> None:
        area = self.window.conversation
        if area.circle is None or area.peer is not None:
            return
        for when, text in self.lines.get(area.circle.id, []):
            area.model.add_notice(area.circle.id, text, when)
        if area.circle.id in self.joined and area.circle.id not in self.told_history:
            for post in area.model.posts():
                self._history_before_me(area.circle.id, post.ts)
                break  # the oldest held is enough
