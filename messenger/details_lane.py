"""A circle session's details lane: the host's signed details (name, description, rules,
settings) as a link sends them. Checked against the circle's host key, kept when newer than
what we hold, passed on to our other links; changed rules are shown to be accepted again.
Called by :class:`~messenger.session.CircleSession` through the narrow :class:`Session` port.
"""

from __future__ import annotations

from typing import Protocol

from network.lograte import RefusalLog
from network.node import PeerKey

from .circle import Circle
from .circle_info import CircleInfoError, verify_info
from .events import CirclesChanged, Event, RulesEvent
from .runtime import CircleRuntime
from .views import Role


class Session(Protocol):
    @property
    def rt(self) -> CircleRuntime: ...
    def emit(self, event: Event) -> None: ...
    def set_details(self, circle: Circle, info: bytes, revision: int) -> None: ...
    def send_details(self, exclude: PeerKey | None = None) -> None: ...


def receive(session: Session, body: bytes, source: PeerKey, drops: RefusalLog) -> None:
    rt = session.rt
    try:
        info = verify_info(body, rt.circle)
    except CircleInfoError as exc:
        drops.note(source.remote_static.hex(), f"circle details: {exc.code}")
        return
    if info.revision <= rt.info_revision:
        return
    rules_changed = info.rules != rt.circle.rules or rt.info_revision == 0
    session.set_details(info.apply_to(rt.circle), body, info.revision)
    session.send_details(exclude=source)
    session.emit(CirclesChanged())
    if rules_changed and info.rules and rt.role is not Role.HOST:
        session.emit(RulesEvent(rt.id, info.rules, info.revision))
