"""What a circle's posts and direct messages look like to this person: views built from the
circle's runtime (names from its roster; blocks, boundaries and the circle's moderation
applied)."""

from __future__ import annotations

from dataclasses import replace

from .conversation import DirectMessage, SignedPost
from .moderation import Shown, should_show
from .runtime import CircleRuntime
from .views import DeliveryState, DirectMessageView, PostView


def post_view(
    rt: CircleRuntime, post: SignedPost, *, hidden: bool = False, present: bool = True
) -> PostView:
    """The post as this person sees it (``present``: with their blocks, boundaries and the
    circle's moderation applied)."""
    env = post.envelope
    view = PostView(  # an anonymous post names nobody: no key, no seq, no pseudonym
        circle_id=env.circle_id,
        id=post.id,
        author_key=b"" if env.anonymous else env.author_key,
        author="" if env.anonymous else rt.name_of(env.author_key),
        seq=0 if env.anonymous else env.seq,
        ts=env.ts / 1000,
        body=env.body,
        reply_to=env.reply_to,
        content_warning=env.content_warning,
        mine=env.author_key == rt.membership.member_key,
        hidden=hidden,
        anonymous=env.anonymous,
    )
    if not present:
        return view
    # As this person sees it: hidden by moderation or a block, collapsed behind a notice for
    # a boundary (the notice becomes the content warning the reader clicks through).
    shown = should_show(view, rt.personal, rt.mod.state, me=rt.membership.member_key)
    if shown.hidden:
        return view if view.hidden else replace(view, hidden=True)
    if shown.kind is Shown.COLLAPSED_BOUNDARY:
        notice = "mentions " + ", ".join(shown.matched)
        if view.content_warning:
            notice += f" ({view.content_warning})"
        return replace(view, content_warning=notice)
    return view


def dm_view(
    rt: CircleRuntime, peer: bytes, message: DirectMessage, *, outgoing: bool
) -> DirectMessageView:
    env = message.envelope
    return DirectMessageView(
        circle_id=env.circle_id,
        id=message.id,
        peer_key=peer,
        peer=rt.name_of(peer),
        outgoing=outgoing,
        ts=env.ts / 1000,
        body=env.body,
        state=DeliveryState.QUEUED if outgoing else DeliveryState.DELIVERED,
    )
