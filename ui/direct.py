"""Direct messages shown in the conversation pane: each becomes a PostView row of the model."""

from __future__ import annotations

from messenger.views import DirectMessageView, PostView


def post_from_direct(message: DirectMessageView, my_key: bytes = b"") -> PostView:
    """A :class:`PostView` for the bubble delegate; ``seq`` 0, the time orders the rows."""
    return PostView(
        circle_id=message.circle_id,
        id=message.id,
        author_key=my_key if message.outgoing else message.peer_key,
        author=message.peer if not message.outgoing else "",
        seq=0,
        ts=message.ts,
        body=message.body,
        mine=message.outgoing,
        state=message.state,
    )
