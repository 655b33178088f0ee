"""Posts of one circle, on its :class:`~messenger.session.CircleSession`: publishing mine (signed,
stored and sent in one step on the database thread, then shown) and reading pages of history."""

from __future__ import annotations

from . import acting, presenting
from .conversation import sign_post
from .conversation.records import post_from_record
from .events import PostEvent
from .session import CircleSession
from .views import PostView


async def publish(
    session: CircleSession,
    body: str,
    now: int,
    *,
    reply_to: bytes | None = None,
    content_warning: str | None = None,
) -> PostView:
    """Sign, store and send a post; the screen learns of it through a ``post`` event once it
    is on its way."""
    rt = session.rt
    if rt.circle.settings.anonymous_posting:  # through the rounds; shown once released
        return await session.anon.post(
            body, now, reply_to=reply_to, content_warning=content_warning or None
        )
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
    out = rt.engine.publish(signed, now)
    await session.storage.commit()  # stored, then sent
    session.posted(now)
    await session.deliver(out)
    [view] = await acting.decorate_page(session, [presenting.post_view(rt, signed)])
    session.emit(PostEvent(view))
    return view


async def history(
    session: CircleSession, limit: int, before: PostView | None = None
) -> list[PostView]:
    """The newest ``limit`` posts (older than ``before``), oldest first."""
    cursor = (int(before.ts * 1000), before.id) if before is not None else None
    records = await session.store.newest_posts(session.id, limit, cursor)
    views = [session.post_view(post_from_record(r), hidden=r.hidden) for r in reversed(records)]
    return await acting.decorate_page(session, views)
