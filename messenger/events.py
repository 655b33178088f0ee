"""Events the core emits to its front ends. Frozen dataclasses; ``name`` is the JSON event name.

:meth:`Event.fields` gives the JSON fields of ../shared/HEADLESS.md (bytes as hex); the desktop
app reads the attributes (views from :mod:`messenger.views`) instead.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import Enum
from typing import Any, ClassVar

from .views import (
    CircleView,
    DeliveryState,
    DirectMessageView,
    PostView,
    QuoteView,
    ReactionView,
    ReportView,
)


def _plain(value: object) -> object:
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, Enum):
        return value.value
    return value


@dataclass(frozen=True)
class Event:
    name: ClassVar[str] = "event"

    def fields(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}


@dataclass(frozen=True)
class Ready(Event):
    """The peer is up: listening on ``listen`` with the profile ``profile``."""

    name: ClassVar[str] = "ready"
    listen: str
    profile: str


@dataclass(frozen=True)
class ErrorEvent(Event):
    """Something went wrong; ``code`` is stable, ``message`` is for people."""

    name: ClassVar[str] = "error"
    code: str
    message: str


@dataclass(frozen=True)
class Info(Event):
    """A line of information for the person at the terminal (help text, confirmations)."""

    name: ClassVar[str] = "info"
    message: str


@dataclass(frozen=True)
class CircleEvent(Event):
    """A circle was created, joined, or its invite asked for."""

    name: ClassVar[str] = "circle"
    circle: CircleView

    def fields(self) -> dict[str, Any]:
        c = self.circle
        approval = "auto" if c.settings.auto_approve else "ask"
        return {
            "id": c.id.hex(),
            "name": c.name,
            "invite": c.invite_link,
            "role": c.role.value,
            "approval": approval,
        }


@dataclass(frozen=True)
class CirclesChanged(Event):
    """The list of circles changed (joined, left, renamed); front ends refresh."""

    name: ClassVar[str] = "circles_changed"


@dataclass(frozen=True)
class PeerConnectedEvent(Event):
    name: ClassVar[str] = "peer_connected"
    circle: bytes
    member: str
    key: bytes


@dataclass(frozen=True)
class PeerLostEvent(Event):
    name: ClassVar[str] = "peer_lost"
    circle: bytes
    member: str
    key: bytes


@dataclass(frozen=True)
class PostEvent(Event):
    """A post to show: once per post, live or synced, ours included."""

    name: ClassVar[str] = "post"
    post: PostView

    def fields(self) -> dict[str, Any]:
        p = self.post
        return {
            "circle": p.circle_id.hex(),
            "id": p.id.hex(),
            "author": p.author,
            "author_key": p.author_key.hex(),
            "seq": p.seq,
            "ts": p.ts,
            "body": p.body,
            **({"content_warning": p.content_warning} if p.content_warning else {}),
            **({"reply_to": p.reply_to.hex()} if p.reply_to else {}),
            **({"reactions": _reactions(p.reactions)} if p.reactions else {}),
            **({"quote": _quote(p.quote)} if p.quote else {}),
        }


def _quote(quote: QuoteView) -> dict[str, Any]:
    """The answered post (no author key: it may be anonymous)."""
    return {
        "id": quote.id.hex(),
        "author": quote.author,
        "body": quote.body,
        "deleted": quote.deleted,
        "hidden": quote.hidden,
    }


def _reactions(reactions: tuple[ReactionView, ...]) -> dict[str, int]:
    return {r.name: r.count for r in reactions}


@dataclass(frozen=True)
class ReactionsEvent(Event):
    """The reactions on a post changed (someone reacted, or took a reaction back)."""

    name: ClassVar[str] = "reactions"
    circle: bytes
    id: bytes
    reactions: tuple[ReactionView, ...]

    def fields(self) -> dict[str, Any]:
        mine = [r.name for r in self.reactions if r.mine]
        return {
            "circle": self.circle.hex(),
            "id": self.id.hex(),
            "reactions": _reactions(self.reactions),
            "mine": mine,
        }


@dataclass(frozen=True)
class PostRetractedEvent(Event):
    """Its author deleted a post for everyone: its text is gone from this device."""

    name: ClassVar[str] = "post_deleted"
    circle: bytes
    id: bytes

    def fields(self) -> dict[str, Any]:
        return {"circle": self.circle.hex(), "id": self.id.hex()}


@dataclass(frozen=True)
class DmEvent(Event):
    """A direct message arrived (or, with ``outgoing``, one of ours changed state)."""

    name: ClassVar[str] = "dm"
    message: DirectMessageView

    def fields(self) -> dict[str, Any]:
        m = self.message
        return {
            "circle": m.circle_id.hex(),
            "from": m.peer,
            "from_key": m.peer_key.hex(),
            "id": m.id.hex(),
            "ts": m.ts,
            "body": m.body,
        }


@dataclass(frozen=True)
class DmSentEvent(Event):
    """One of my direct messages is on its way (queued, or sent): show it, as posts are shown
    through :class:`PostEvent`; its state then changes through :class:`DmStateEvent`."""

    name: ClassVar[str] = "dm_sent"
    message: DirectMessageView

    def fields(self) -> dict[str, Any]:
        m = self.message
        return {
            "circle": m.circle_id.hex(),
            "to": m.peer,
            "to_key": m.peer_key.hex(),
            "id": m.id.hex(),
            "ts": m.ts,
            "body": m.body,
            "state": m.state.value,
        }


@dataclass(frozen=True)
class DmRequestEvent(Event):
    """Someone asks to talk privately; accept (``/accept NAME``) or ignore."""

    name: ClassVar[str] = "dm_request"
    circle: bytes
    member: str
    key: bytes


@dataclass(frozen=True)
class TypingEvent(Event):
    """A member is (or stopped) writing to us privately; only when both sides turned it on."""

    name: ClassVar[str] = "typing"
    circle: bytes
    member: str
    key: bytes
    typing: bool


@dataclass(frozen=True)
class DmStateEvent(Event):
    name: ClassVar[str] = "dm_state"
    circle: bytes
    id: bytes
    state: DeliveryState  # a str enum: compares equal to "delivered" etc.


@dataclass(frozen=True)
class RulesEvent(Event):
    """The host's rules for a circle arrived or changed: show them; the member accepts them."""

    name: ClassVar[str] = "rules"
    circle: bytes
    rules: str
    revision: int


@dataclass(frozen=True)
class KeyChangedEvent(Event):
    """A pseudonym we pinned to one key now comes with another: possibly someone else."""

    name: ClassVar[str] = "key_changed"
    circle: bytes
    member: str
    key: bytes
    pinned: bytes


@dataclass(frozen=True)
class CodeEvent(Event):
    """A spoken-code invitation is open: read ``code`` aloud; it stops working at ``expires``."""

    name: ClassVar[str] = "code"
    circle: bytes
    code: str
    expires: float


@dataclass(frozen=True)
class WrongCodeEvent(ErrorEvent):
    """Someone typed a wrong spoken code for ``circle`` (``code`` "wrong_code_attempt");
    ``attempts_left`` more wrong tries close it."""

    circle: bytes
    attempts_left: int


@dataclass(frozen=True)
class CodeClosedEvent(ErrorEvent):
    """The spoken code of ``circle`` closed for good after three wrong guesses (``code``
    "invitation_closed"); opening a code again makes a new one."""

    circle: bytes


@dataclass(frozen=True)
class JoinRequestEvent(Event):
    """A newcomer typed the right code: ``/approve REQUEST`` or ``/deny REQUEST``."""

    name: ClassVar[str] = "join_request"
    circle: bytes
    request: str
    member: str


@dataclass(frozen=True)
class MemberRemovedEvent(Event):
    name: ClassVar[str] = "member_removed"
    circle: bytes
    member: str
    key: bytes


@dataclass(frozen=True)
class MemberLeftEvent(Event):
    """A member said goodbye and left the circle (``text``: their goodbye line, if any)."""

    name: ClassVar[str] = "member_left"
    circle: bytes
    member: str
    key: bytes
    text: str = ""


@dataclass(frozen=True)
class Listing(Event):
    """An answer to a question from the terminal: ``/circles``, ``/members``, ``/history``."""

    name: ClassVar[str] = "list"
    what: str
    items: tuple[dict[str, Any], ...]

    def fields(self) -> dict[str, Any]:
        return {"what": self.what, "items": list(self.items)}


@dataclass(frozen=True)
class Bye(Event):
    """The last event before the peer exits."""

    name: ClassVar[str] = "bye"


@dataclass(frozen=True)
class ReportEvent(Event):
    """(Moderators.) A report arrived for the moderation queue."""

    name: ClassVar[str] = "report"
    report: ReportView

    def fields(self) -> dict[str, Any]:
        return self.report.fields()


@dataclass(frozen=True)
class PostHiddenEvent(Event):
    """A moderator hid a post for everyone (``hidden`` False: a hide no longer holds)."""

    name: ClassVar[str] = "post_hidden"
    circle: bytes
    id: bytes
    hidden: bool = True
