"""Direct messages of one circle, through its :class:`~messenger.pump.SessionPump`: sending,
consent (accept, decline, what a block and an unblock change), the list of conversations and
their pages. The engine decides (:mod:`messenger.conversation.dm`); :mod:`messenger.dm_history`
keeps; this is the glue the facade calls (:class:`DirectMessaging`: to a member a front end
names, in a circle given by id).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from . import dm_history
from .anonymous_posts import named
from .conversation import sign_dm
from .events import DmRequestEvent, DmSentEvent
from .pump import SessionPump
from .runtime import CircleRuntime
from .session import CircleSession
from .views import DirectMessageView, DirectThreadView


def peer_of(session: CircleSession, who: str | bytes) -> bytes:
    """The member a front end means: a key (never "the author of an anonymous post",
    :func:`~messenger.anonymous_posts.named`) or a pseudonym in the circle."""
    return named(who) if isinstance(who, bytes) else session.find_member(who)


class DirectMessaging:
    """Direct messages with a member a front end names (:func:`peer_of`) in a circle given by
    id; a message I send is first checked against who may write to whom (``may_dm``:
    :meth:`~messenger.moderating.Moderation.check_may_dm`)."""

    def __init__(
        self,
        pump: Callable[[bytes], SessionPump],
        may_dm: Callable[[CircleRuntime, bytes], None],
    ) -> None:
        self._pump = pump
        self._may_dm = may_dm

    async def send_dm(self, circle_id: bytes, who: str | bytes, body: str) -> DirectMessageView:
        pump = self._pump(circle_id)
        peer = peer_of(pump.session, who)
        self._may_dm(pump.session.rt, peer)
        return await send(pump, peer, body)

    async def accept_dm(self, circle_id: bytes, who: str | bytes) -> None:
        pump = self._pump(circle_id)
        await accept(pump, peer_of(pump.session, who))

    async def decline_dm(self, circle_id: bytes, who: str | bytes) -> None:
        pump = self._pump(circle_id)
        pump.session.engine(lambda: pump.session.rt.engine.decline_dm(peer_of(pump.session, who)))
        await pump.drain()


async def send(pump: SessionPump, peer: bytes, body: str) -> DirectMessageView:
    """Sign, keep, queue (or send) a message; the screen learns of it through a
    :class:`DmSentEvent` once it is on its way, like any post."""
    session = pump.session
    rt = session.rt
    now = session.now_ms()
    message = sign_dm(rt.membership.signing_key, rt.id, peer, body, now)
    await pump.store.run(dm_history.record_sent, message)
    await remember_accepted(pump, peer)
    session.step(lambda: rt.engine.send_dm(message, now))
    view = session.dm_view(peer, message, outgoing=True)
    state = rt.engine.dms.state(message.id)
    if state is not None:
        view = dataclasses.replace(view, state=state)
    session.emit(DmSentEvent(view))
    await pump.drain()
    return view


async def accept(pump: SessionPump, peer: bytes) -> None:
    await remember_accepted(pump, peer)
    pump.session.step(lambda: pump.session.rt.engine.accept_dm(peer))
    await pump.drain()


async def remember_accepted(pump: SessionPump, peer: bytes) -> None:
    """Who we talk with privately, kept so their messages are no requests after a restart."""
    key = dm_history.accepted_key(pump.session.id)
    known = await pump.store.get_setting(key, [])
    peers = [k for k in known if isinstance(k, bytes)] if isinstance(known, list) else []
    if peer not in peers:
        await pump.store.set_setting(key, [*peers, peer])


async def forget_accepted(pump: SessionPump, peer: bytes) -> None:
    """A member I blocked: after a restart their messages are no conversation either."""
    key = dm_history.accepted_key(pump.session.id)
    known = await pump.store.get_setting(key, [])
    if isinstance(known, list) and peer in known:
        await pump.store.set_setting(key, [k for k in known if k != peer])


async def reconsider(pump: SessionPump, peer: bytes) -> None:
    """A member I unblocked: what they wrote meanwhile (kept, never shown) is a request."""
    session = pump.session
    held = await pump.store.run(lambda s: dm_history.held(s, session.id, [peer]))
    engine = session.rt.engine
    engine.reconsider_dm(peer)
    if any([engine.dms.hold(m) for m in held]):
        session.emit(DmRequestEvent(session.id, session.name_of(peer), peer))
    await pump.drain()


async def threads(pump: SessionPump) -> list[DirectThreadView]:
    """The circle's private conversations, latest first, requests included (never with a
    member I blocked)."""
    rt = pump.session.rt
    rows = await pump.store.run(dm_history.threads, rt.id)
    accepted = set(rt.engine.dms.accepted)
    return [
        DirectThreadView(rt.id, peer, rt.name_of(peer), ts / 1000, peer not in accepted)
        for peer, ts in rows
        if not rt.personal.is_blocked(peer)
    ]


async def page(pump: SessionPump, peer: bytes, limit: int) -> list[DirectMessageView]:
    """The newest ``limit`` messages with one member, oldest first."""
    session = pump.session
    rows = await pump.store.run(dm_history.page, session.id, peer, limit)
    return [
        dataclasses.replace(session.dm_view(peer, message, outgoing=ours), state=state)
        for message, state, ours in rows
    ]


async def typing(pump: SessionPump, peer: bytes) -> None:
    """I am writing to this member (sent at most every few seconds, when allowed)."""
    session = pump.session
    now = session.now_ms()
    session.deliver(session.engine(lambda: session.rt.engine.set_typing(peer, True, now)))
    await pump.drain()


async def mark_read(pump: SessionPump, peer: bytes, ids: Sequence[bytes]) -> None:
    """I have read these messages from this member (tells them only with receipts on)."""
    session = pump.session
    session.deliver(session.engine(lambda: session.rt.engine.mark_read(peer, ids)))
    await pump.drain()
