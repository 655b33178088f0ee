"""Letting newcomers in: the certificate (an ADMIT moderation event) each member needs.

Anyone with the invite link holds the circle's secret and can link, but a link from an identity
no ADMIT names is *pending* (:mod:`messenger.moderation.engine`): nothing flows on it. A host or
co-moderator who sees such a link admits it at once when the circle lets people in without
asking (``auto_approve``) or when it is the person whose spoken code they just approved
(the code was consent); otherwise it becomes a ``join_request`` for them to accept or decline
(``Messenger.approve`` / ``deny``). Once the ADMIT spreads, every member promotes the newcomer's
links (:func:`admitted`), and the newcomer learns the log and everyone it names.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Protocol

from network.node import PeerKey

from . import pseudonym as pseudonyms
from .conversation import ConversationEvent, Outgoing
from .events import CirclesChanged, Event, Info, JoinRequestEvent
from .moderation import Effect, MemberAdmitted, NotPermitted
from .runtime import CircleRuntime, LinkedPeer

log = logging.getLogger(__name__)

EXPECT_MS = 10 * 60_000
"""How long after a spoken code was approved its newcomer is let in without asking again."""
REQUEST_PREFIX = "link-"


class Session(Protocol):
    """What admission needs of the circle's :class:`~messenger.session.CircleSession`."""

    @property
    def rt(self) -> CircleRuntime: ...
    def emit(self, event: Event) -> None: ...
    def now_ms(self) -> int: ...
    def disconnect_member(self, member: bytes) -> None: ...
    def run_moderation(self, result: tuple[list[Outgoing], list[Effect]]) -> None: ...
    def link_up(self, peer: PeerKey, linked: LinkedPeer) -> None: ...
    def step(
        self, fn: Callable[[], tuple[list[Outgoing], list[ConversationEvent]]]
    ) -> list[ConversationEvent]: ...


def expect(rt: CircleRuntime, pseudonym: str, now_ms: int) -> None:
    """(Host.) The newcomer whose spoken code was just approved will link under this name."""
    rt.expected[pseudonyms.comparison_key(pseudonym)] = now_ms + EXPECT_MS


def newcomer(session: Session, linked: LinkedPeer) -> None:
    """A pending link came up: as a moderator, admit or ask; as a member, wait."""
    rt = session.rt
    member, name = linked.identity.member_key, linked.identity.pseudonym
    if not rt.is_moderator:
        return
    if member in rt.denied:
        session.disconnect_member(member)
        return
    now = session.now_ms()
    wanted = pseudonyms.comparison_key(name)
    expected = rt.expected.get(wanted, 0) > now
    if rt.circle.settings.auto_approve or expected:
        rt.expected.pop(wanted, None)
        _admit(session, member, name)
        return
    if any(key == member for key, _ in rt.requests.values()):
        return
    request = REQUEST_PREFIX + secrets.token_hex(8)
    rt.requests[request] = (member, name)
    session.emit(JoinRequestEvent(rt.id, request, name))


def decide(session: Session, request: str, approve: bool) -> None:
    """The moderator accepted or declined a newcomer who came with the link."""
    rt = session.rt
    member, name = rt.requests.pop(request)
    if approve:
        _admit(session, member, name)
        session.emit(Info(f"{name} was let in"))
    else:
        rt.denied.add(member)
        session.disconnect_member(member)
        session.emit(Info(f"{name} was not let in"))


def _admit(session: Session, member: bytes, name: str) -> None:
    rt = session.rt
    if rt.mod.state.is_certified(member):
        return
    try:
        session.run_moderation(rt.mod.admit(member, name, session.now_ms()))
    except NotPermitted as exc:
        log.info("could not let a newcomer in: %s", exc.reason.value)


def admitted(session: Session, effect: MemberAdmitted) -> None:
    """An ADMIT took effect here: the member's waiting links carry the conversation now; if it
    is me, I greet my links again (what I sent before was dropped while I was pending)."""
    rt = session.rt
    for request, (key, _) in list(rt.requests.items()):
        if key == effect.member:
            del rt.requests[request]  # another moderator let them in
    if effect.is_me:
        now = session.now_ms()
        for member in set(rt.links.values()):
            session.step(_greet(rt, member, now))
        session.emit(Info(f"you were let in to {rt.circle.name}"))
        session.emit(CirclesChanged())
    for peer, linked in list(rt.waiting.items()):
        if linked.identity.member_key == effect.member and rt.mod.carries_conversation(
            effect.member
        ):
            del rt.waiting[peer]
            if peer in rt.old_links:
                session.link_up(peer, linked)


def _greet(
    rt: CircleRuntime, member: bytes, now: int
) -> Callable[[], tuple[list[Outgoing], list[ConversationEvent]]]:
    return lambda: rt.engine.peer_connected(member, now)
