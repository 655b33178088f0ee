"""Posts of one circle, through its :class:`~messenger.pump.SessionPump`: publishing mine (signed,
stored, sent, then shown) and reading pages of history."""

from __future__ import annotations

import asyncio

from . import acting, presenting
from .conversation import sign_post
from .conversation.records import post_from_record
from .events import PostEvent
from .pump import SessionPump
from .views import PostView


async def publish(
    pump: SessionPump,
    body: str,
    now: int,
    *,
    reply_to: bytes | None = None,
    content_warning: str | None = None,
) -> PostView:
    """Sign, store and send a post; the screen learns of it through a ``post`` event once it
    is on its way."""
    session = pump.session
    rt = session.rt
    if rt.circle.settings.anonymous_posting:  # through the rounds; shown once released
        making = session.anon.making(
            body, now, reply_to=reply_to, content_warning=content_warning or None
        )
        made = await asyncio.to_thread(making)
        anonymous = session.anon.submit(made)
        await pump.drain()
        return anonymous
    key, circle_id = rt.membership.signing_key, rt.circle.circle_id

    signed = sign_post(  # and published at once: the seq is ours
        key,
        circle_id,
        rt.engine.next_seq(),
        body,
        now,
        reply_to=reply_to,
        content_warning=content_warning or None,
    )
    session.publish(signed, now)  # stored, then sent
    session.posted(now)
    view = presenting.post_view(rt, signed)
    if reply_to is not None:  # the answered post above it (a new post has no reactions yet)
        [view] = await acting.decorate_page(pump, [view])
    session.emit(PostEvent(view))
    await pump.drain()
    return view


async def history(pump: SessionPump, limit: int, before: PostView | None = None) -> list[PostView]:
    """The newest ``limit`` posts (older than ``before``), oldest first."""
    session = pump.session
    cursor = (int(before.ts * 1000), before.id) if before is not None else None
    records = await pump.store.newest_posts(session.id, limit, cursor)
    views = [session.post_view(post_from_record(r), hidden=r.hidden) for r in reversed(records)]
    return await acting.decorate_page(pump, views)
