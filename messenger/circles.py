"""The circles of a running peer: one :class:`~messenger.session.CircleSession` each (the
circle's protocol) with the :class:`~messenger.pump.SessionPump` that drives it, made from what
the profile keeps (or from a circle just created or joined), and forgotten again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import msgpack

from network.tasks import TaskSet

from . import admission, dm_history, persist
from .circle import Circle, CircleSettings, DirectMessages, RetentionPolicy
from .config import MessengerConfig
from .conversation import CircleSync, DmSettings, keep_for
from .engine_storage import EngineStorage
from .errors import HearthError
from .events import Event
from .identity import Membership
from .network_port import NodeWire
from .pinning import KeyPins
from .pump import SessionPump
from .roster import Roster
from .runtime import CircleRuntime
from .session import CircleSession
from .storage import AsyncStore
from .views import CircleSettingsView, CircleView, DmPolicy, Retention


class NotFound(HearthError):
    code = "not_found"


class CircleTable:
    """The circles' pumps (and through them their sessions) by circle id, and how they are
    made."""

    def __init__(
        self,
        *,
        wire: NodeWire,
        emit: Callable[[Event], None],
        clock_ms: Callable[[], int],
        wake: Callable[[], None],
        limits: MessengerConfig,
        rendezvous: str | None,
    ) -> None:
        """``limits``: the rate limits, moderation limits and anonymous rounds of ``limits``."""
        rate_limits, moderation_limits = limits.rate_limits, limits.moderation
        self._anonymous = limits.anonymous
        self._sessions: dict[bytes, SessionPump] = {}
        self.get = self._sessions.get
        """The pump of a circle, or None."""
        self._wire = wire
        self._emit = emit
        self._clock_ms = clock_ms
        self._wake = wake
        self._rate_limits = rate_limits
        self._moderation_limits = moderation_limits
        self._rendezvous = rendezvous
        self.pins = KeyPins()
        self.dm_settings = DmSettings()  # read receipts and typing indicators: off

    # -- lookups -----------------------------------------------------------------------------
    def __iter__(self) -> Iterator[CircleSession]:
        return iter([pump.session for pump in self._sessions.values()])

    def pumps(self) -> list[SessionPump]:
        return list(self._sessions.values())

    def __contains__(self, circle_id: object) -> bool:
        return circle_id in self._sessions

    def __len__(self) -> int:
        return len(self._sessions)

    def session(self, circle_id: bytes) -> CircleSession:
        return self.pump(circle_id).session

    def pump(self, circle_id: bytes) -> SessionPump:
        found = self._sessions.get(circle_id)
        if found is None:
            raise NotFound("no such circle")
        return found

    def expect(self, circle_id: bytes, pseudonym: str) -> None:
        """A spoken code was approved: let its newcomer in when they link (no second ask)."""
        if circle_id in self._sessions:
            admission.expect(self._sessions[circle_id].session.rt, pseudonym, self._clock_ms())

    def decide(self, request: str, approve: bool, tasks: TaskSet) -> bool:
        """The moderator's answer to a newcomer who came with the link, acted on in ``tasks``
        (False: no such request here; a spoken code's, then)."""
        for pump in self._sessions.values():
            if request in pump.session.rt.requests:
                admission.decide(pump.session, request, approve)
                tasks.spawn(pump.drain(), "admission")
                return True
        return False

    def find(self, name_or_id: str) -> CircleView:
        """A circle by its id (hex, or a prefix of it) or its name (ignoring case)."""
        wanted = name_or_id.strip().lower()
        views = [s.rt.view() for s in self]
        for view in views:
            if view.name.lower() == wanted:
                return view
        matches = [v for v in views if v.id.hex().startswith(wanted)]
        if wanted and len(matches) == 1:
            return matches[0]
        raise NotFound(f"no circle called {name_or_id!r}")

    def rounds_running(self) -> int:
        """Anonymous rounds this peer is in the middle of, over all its circles."""
        return sum(p.session.anon.in_round or p.sending_later for p in self._sessions.values())

    def clear(self) -> None:
        for pump in self._sessions.values():
            pump.close()
        self._sessions.clear()

    def drop(self, circle_id: bytes) -> None:
        pump = self._sessions.pop(circle_id, None)
        if pump is not None:
            pump.close()

    async def set_dm_settings(self, *, read_receipts: bool, typing_indicators: bool) -> None:
        """Read receipts and typing indicators, for every circle (on its database thread)."""
        settings = replace(
            self.dm_settings, read_receipts=read_receipts, typing_indicators=typing_indicators
        )
        self.dm_settings = settings
        for session in self:
            session.set_dm_settings(settings)
        for pump in self.pumps():
            await pump.drain()

    # -- making ------------------------------------------------------------------------------
    async def load(self, store: AsyncStore) -> list[bytes]:
        """The circles the profile keeps; returns the ids of lobby leftovers to forget."""
        self.pins = await persist.load_pins(store)
        memberships = {m.circle_id: m for m in await store.memberships()}
        leftovers = []
        for record in await store.circles(include_left=False):
            mrec = memberships.get(record.id)
            if mrec is None:
                continue
            circle = Circle.from_dict(msgpack.unpackb(record.record, raw=False))
            if circle.is_lobby:  # left over from a session that did not end cleanly
                leftovers.append(record.id)
                continue
            membership = Membership.from_dict(msgpack.unpackb(mrec.record, raw=False))
            pump = await self.make(store, circle, membership)
            await persist.load_extras(store, pump.session.rt)
        return leftovers

    async def make(self, store: AsyncStore, circle: Circle, membership: Membership) -> SessionPump:
        """A session for ``circle``: its engines built (the conversation engine over its post
        log's index, on the loop), direct messages still waiting queued again, unanswered
        requests held again."""
        age = circle.settings.retention.max_age_seconds
        cutoff = keep_for(None if age is None else age * 1000)
        mod, personal = await persist.load_moderation(
            store, circle, membership, self._moderation_limits
        )
        made: list[CircleRuntime] = []

        def dm_allowed(peer: bytes) -> bool:
            return made[0].dm_allowed(peer) if made else False

        stored = await store.get_setting(dm_history.accepted_key(circle.circle_id), [])
        accepted = [k for k in stored if isinstance(k, bytes)] if isinstance(stored, list) else []

        storage = await EngineStorage.open(store, circle.circle_id)
        engine = CircleSync(
            circle.circle_id,
            membership.member_key,
            storage.index,
            is_member=mod.is_member,
            retention_cutoff=cutoff,
            rate_limits=self._rate_limits,
            dm_allowed=dm_allowed,
            dm_declined=personal.blocked,
            dm_accepted=accepted,
            dm_settings=self.dm_settings,
            dm_already_received=storage.dm_kept,
        )
        now = self._clock_ms()
        cid = circle.circle_id
        waiting, threads = await store.run(
            lambda s: (dm_history.waiting(s, cid), dm_history.threads(s, cid))
        )
        for message in waiting:
            engine.send_dm(message, now)
        unanswered = [
            peer
            for peer, _ in threads
            if peer not in engine.dms.accepted and not personal.is_blocked(peer)
        ]
        for message in await store.run(lambda s: dm_history.held(s, cid, unanswered)):
            engine.dms.hold(message)  # requests nobody answered before the restart
        rt = CircleRuntime(mod.circle, membership, engine, Roster(circle.circle_id), mod, personal)
        rt.clock_ms = self._clock_ms
        rt.rendezvous = self._rendezvous
        made.append(rt)
        session = CircleSession(rt, storage=storage, pins=self.pins, clock_ms=self._clock_ms)
        if self._anonymous is not None:
            session.anon.configure(self._anonymous)
        pump = SessionPump(session, store=store, wire=self._wire, emit=self._emit, wake=self._wake)
        self._sessions[circle.circle_id] = pump
        return pump


def settings_from_view(view: CircleSettingsView) -> CircleSettings:
    if view.retention is Retention.SESSION:
        retention = RetentionPolicy.session()
    elif view.retention is Retention.HOURS:
        retention = RetentionPolicy.hours(max(1, view.retention_amount))
    elif view.retention is Retention.DAYS:
        retention = RetentionPolicy.days(max(1, view.retention_amount))
    else:
        retention = RetentionPolicy.forever()
    dms = {
        DmPolicy.EVERYONE: DirectMessages.ANYONE,
        DmPolicy.MODERATORS: DirectMessages.MODERATORS,
    }.get(view.dm_policy, DirectMessages.NOBODY)
    return CircleSettings(
        retention=retention,
        direct_messages=dms,
        slow_mode_seconds=view.slow_mode_seconds,
        anonymous_posting=view.anonymous_posting,
        auto_approve=view.auto_approve,
    )
