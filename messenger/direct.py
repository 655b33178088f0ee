"""Direct messages of one circle, on its :class:`~messenger.session.CircleSession`: sending,
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
from .runtime import CircleRuntime
from .session import CircleSession
from .storage import Store
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
        session: Callable[[bytes], CircleSession],
        may_dm: Callable[[CircleRuntime, bytes], None],
    ) -> None:
        self._session = session
        self._may_dm = may_dm

    async def send_dm(self, circle_id: bytes, who: str | bytes, body: str) -> DirectMessageView:
        session = self._session(circle_id)
        peer = peer_of(session, who)
        self._may_dm(session.rt, peer)
        return await send(session, peer, body)

    async def accept_dm(self, circle_id: bytes, who: str | bytes) -> None:
        session = self._session(circle_id)
        await accept(session, peer_of(session, who))

    async def decline_dm(self, circle_id: bytes, who: str | bytes) -> None:
        session = self._session(circle_id)
        await decline(session, peer_of(session, who))


async def send(session: CircleSession, peer: bytes, body: str) -> DirectMessageView:
    """Sign, keep, queue (or send) a message; the screen learns of it through a
    :class:`DmSentEvent` once it is on its way, like any post."""
    rt = session.rt
    now = session.now_ms()
    message = sign_dm(rt.membership.signing_key, rt.id, peer, body, now)
    await session.store.run(dm_history.record_sent, message)
    await remember_accepted(session, peer)
    await session.step(lambda: rt.engine.send_dm(message, now))
    view = session.dm_view(peer, message, outgoing=True)
    state = await session.engine(lambda: rt.engine.dms.state(message.id))
    if state is not None:
        view = dataclasses.replace(view, state=state)
    session.emit(DmSentEvent(view))
    return view


async def accept(session: CircleSession, peer: bytes) -> None:
    await remember_accepted(session, peer)
    await session.step(lambda: session.rt.engine.accept_dm(peer))


async def decline(session: CircleSession, peer: bytes) -> None:
    await session.engine(lambda: session.rt.engine.decline_dm(peer))


async def remember_accepted(session: CircleSession, peer: bytes) -> None:
    """Who we talk with privately, kept so their messages are no requests after a restart."""
    key = dm_history.accepted_key(session.id)
    known = await session.store.get_setting(key, [])
    peers = [k for k in known if isinstance(k, bytes)] if isinstance(known, list) else []
    if peer not in peers:
        await session.store.set_setting(key, [*peers, peer])


async def forget_accepted(session: CircleSession, peer: bytes) -> None:
    """A member I blocked: after a restart their messages are no conversation either."""
    key = dm_history.accepted_key(session.id)
    known = await session.store.get_setting(key, [])
    if isinstance(known, list) and peer in known:
        await session.store.set_setting(key, [k for k in known if k != peer])


async def reconsider(session: CircleSession, peer: bytes) -> None:
    """A member I unblocked: what they wrote meanwhile (kept, never shown) is a request."""
    engine = session.rt.engine

    def reopen(s: Store) -> bool:
        engine.reconsider_dm(peer)
        firsts = [engine.dms.hold(m) for m in dm_history.held(s, session.id, [peer])]
        return any(firsts)

    if await session.store.run(reopen):
        session.emit(DmRequestEvent(session.id, session.name_of(peer), peer))


async def threads(session: CircleSession) -> list[DirectThreadView]:
    """The circle's private conversations, latest first, requests included (never with a
    member I blocked)."""
    rt = session.rt
    rows = await session.store.run(dm_history.threads, rt.id)
    accepted = await session.engine(lambda: set(rt.engine.dms.accepted))
    return [
        DirectThreadView(rt.id, peer, rt.name_of(peer), ts / 1000, peer not in accepted)
        for peer, ts in rows
        if not rt.personal.is_blocked(peer)
    ]


async def page(session: CircleSession, peer: bytes, limit: int) -> list[DirectMessageView]:
    """The newest ``limit`` messages with one member, oldest first."""
    rows = await session.store.run(dm_history.page, session.id, peer, limit)
    return [
        dataclasses.replace(session.dm_view(peer, message, outgoing=ours), state=state)
        for message, state, ours in rows
    ]


async def typing(session: CircleSession, peer: bytes) -> None:
    """I am writing to this member (sent at most every few seconds, when allowed)."""
    now = session.now_ms()
    await session.deliver(
        await session.engine(lambda: session.rt.engine.set_typing(peer, True, now))
    )


async def mark_read(session: CircleSession, peer: bytes, ids: Sequence[bytes]) -> None:
    """I have read these messages from this member (tells them only with receipts on)."""
    await session.deliver(await session.engine(lambda: session.rt.engine.mark_read(peer, ids)))
