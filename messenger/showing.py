"""What a step's settled events show on the front ends: posts, direct messages and their
states, requests, typing, goodbyes (events emitted after the step, by the circle's session)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from network.node import PeerKey

from . import acts, presenting
from .conversation import (
    CoolDown,
    DmReceived,
    DmRequest,
    DmStateChanged,
    PeerGoodbye,
    PeerTyping,
    PostReceived,
)
from .events import (
    DmEvent,
    DmRequestEvent,
    DmStateEvent,
    Event,
    Info,
    MemberLeftEvent,
    PostEvent,
    TypingEvent,
)
from .runtime import CircleRuntime

log = logging.getLogger(__name__)


def show(
    rt: CircleRuntime,
    settled: acts.Settled,
    emit: Callable[[Event], None],
    disconnect: Callable[[PeerKey], None],
) -> None:
    """Emit what ``settled`` shows; a member told to cool down is disconnected."""
    for event in settled.shown:
        if isinstance(event, PostReceived):
            view = acts.decorate(rt, presenting.post_view(rt, event.post), settled)
            rt.unread += 0 if view.hidden else 1
            emit(PostEvent(view))
        elif isinstance(event, DmReceived):
            sender = event.message.envelope.sender_key
            emit(DmEvent(presenting.dm_view(rt, sender, event.message, outgoing=False)))
        elif isinstance(event, DmRequest):
            sender = event.message.envelope.sender_key
            emit(DmRequestEvent(rt.id, rt.name_of(sender), sender))
        elif isinstance(event, PeerTyping):
            emit(TypingEvent(rt.id, rt.name_of(event.peer), event.peer, event.typing))
        elif isinstance(event, DmStateChanged):
            emit(DmStateEvent(rt.id, event.message_id, event.state))
        elif isinstance(event, PeerGoodbye):
            text = f": {event.text}" if event.text else ""
            emit(Info(f"{rt.name_of(event.peer)} left {rt.circle.name}{text}"))
            emit(MemberLeftEvent(rt.id, rt.name_of(event.peer), event.peer, event.text or ""))
        elif isinstance(event, CoolDown):
            peer = rt.link_for(event.peer)
            if peer is not None:
                disconnect(peer)
        else:
            log.debug("conversation event %s", type(event).__name__)
