"""A circle's life in this profile: created, joined (by link; a code ends in a link), its
details changed by the host, its rules accepted, my pseudonym in it changed, left. Each ends by
keeping the circle, serving it on the network and telling the front ends. The open lobby is
forgotten when the peer stops."""

from __future__ import annotations

from collections.abc import Callable

from . import pseudonym as pseudonyms
from .circle import create_circle, lobby
from .circle_info import sign_info
from .circles import CircleTable, settings_from_view
from .errors import HearthError
from .events import CircleEvent, CirclesChanged, Event
from .identity import Membership
from .invite_link import InviteLink
from .keyschedule import LOBBY_ID
from .network_port import NodeWire
from .profile import Profile
from .pump import SessionPump
from .storage import AsyncStore
from .views import CircleSettingsView, CircleView, Role


class NotAllowed(HearthError):
    code = "not_allowed"


class CircleLife:
    def __init__(
        self,
        circles: CircleTable,
        *,
        store: Callable[[], AsyncStore],
        profile: Profile,
        wire: NodeWire,
        emit: Callable[[Event], None],
        rendezvous: str | None,
    ) -> None:
        self._circles = circles
        self._store = store
        self._profile = profile
        self._wire = wire
        self._emit = emit
        self._rendezvous = rendezvous

    async def announce(self, pump: SessionPump) -> CircleView:
        """A circle just created or joined: keep it, serve it, tell the front ends."""
        pump.session.save()
        await pump.drain()
        await self._wire.rebind()
        view = pump.session.rt.view()
        self._emit(CirclesChanged())
        self._emit(CircleEvent(view))
        return view

    async def create(
        self,
        name: str,
        description: str,
        rules: str,
        settings: CircleSettingsView | None,
        pseudonym: str | None,
    ) -> CircleView:
        circle, membership = create_circle(
            name,
            pseudonym or pseudonyms.generate(),
            description=description,
            rules=rules,
            settings=settings_from_view(settings) if settings else None,
        )
        pump = await self._circles.make(self._store(), circle, membership)
        pump.session.set_details(circle, sign_info(membership.signing_key, circle, 1).signed, 1)
        return await self.announce(pump)

    async def join(self, link: InviteLink, pseudonym: str | None) -> CircleView:
        found = self._circles.get(link.circle_id)
        existing = None if found is None else found.session
        if existing is not None and existing.rt.removed_me:
            if link.epoch <= existing.rt.circle.epoch:
                raise NotAllowed(
                    "You were removed from this circle, so this invitation no longer works. "
                    "The host can let you back in with a new one."
                )
            await self.drop(existing.id)  # let back in: join afresh, as someone new
            existing = None
        if existing is not None:
            view = existing.rt.view()
            self._emit(CircleEvent(view))
            return view
        circle = link.to_circle()
        membership = Membership.generate(circle.circle_id, pseudonym or pseudonyms.generate())
        pump = await self._circles.make(self._store(), circle, membership)
        pump.session.set_rendezvous(link.rendezvous or self._rendezvous)
        return await self.announce(pump)

    async def set_lobby(self, visible: bool) -> CircleView | None:
        present = LOBBY_ID in self._circles
        if visible and not present:
            circle = lobby()
            membership = Membership.generate(circle.circle_id, pseudonyms.generate())
            return await self.announce(await self._circles.make(self._store(), circle, membership))
        if not visible and present:
            await self.leave(LOBBY_ID, None)
        return None

    async def update(
        self,
        circle_id: bytes,
        name: str | None,
        description: str | None,
        rules: str | None,
        settings: CircleSettingsView | None,
    ) -> CircleView:
        pump = self._circles.pump(circle_id)
        session = pump.session
        rt = session.rt
        if rt.role is not Role.HOST:
            raise NotAllowed("only the circle's host can change its details")
        circle = rt.circle.with_details(name=name, description=description, rules=rules)
        if settings is not None:
            circle = circle.with_settings(settings_from_view(settings))
        info = sign_info(rt.membership.signing_key, circle, rt.info_revision + 1)
        session.set_details(circle, info.signed, info.revision)
        session.send_details()
        await pump.drain()
        self._emit(CirclesChanged())
        return rt.view()

    async def accept_rules(self, circle_id: bytes) -> CircleView:
        pump = self._circles.pump(circle_id)
        pump.session.accept_rules()
        await pump.drain()
        self._emit(CirclesChanged())
        return pump.session.rt.view()

    async def set_pseudonym(self, circle_id: bytes, name: str) -> CircleView:
        pump = self._circles.pump(circle_id)
        session = pump.session
        session.set_membership(session.rt.membership.with_pseudonym(name))
        await pump.drain()
        await self._wire.rebind()  # links come back with the new signed statement
        self._emit(CirclesChanged())
        return session.rt.view()

    async def leave(self, circle_id: bytes, goodbye: str | None) -> None:
        pump = self._circles.pump(circle_id)
        session = pump.session
        session.deliver(session.engine(lambda: session.rt.engine.goodbye(goodbye)))
        await pump.drain()
        await self.drop(circle_id)
        self._emit(CirclesChanged())

    async def drop(self, circle_id: bytes) -> None:
        """Stop serving a circle and delete its keys and history here."""
        self._store()
        self._circles.drop(circle_id)
        await self._wire.rebind()
        await self._profile.forget_circle(circle_id)

    async def forget_lobby(self) -> None:
        """The peer stops (its network already closed): the open lobby's keys and history are
        never kept past the session."""
        if LOBBY_ID in self._circles and self._profile.is_open:
            self._circles.drop(LOBBY_ID)
            await self._profile.forget_circle(LOBBY_ID)
