"""What a moderation event does: one action, with its arguments.

Each action is a frozen dataclass with a stable numeric ``kind`` and a plain argument list for
the envelope (:mod:`.envelope`)::

    REMOVE     [member_key (32), upto, term] remove a member: posts hidden, links refused
    APPOINT    [member_key (32), since]     make a member a co-moderator (host only)
    DISMISS    [member_key (32), upto, term] end a co-moderator's term (host only)
    HIDE       [post_id (32)]               hide a post for everyone
    SLOW_MODE  [seconds]                    members may post at most once per ``seconds``
    CLOSE      []                           the circle is closed for good (host only)
    ROTATE     [epoch, [member_key, ...]]   the secret moved to ``epoch``; who got it
    ADMIT      [member_key (32), pseudonym] the member's certificate: let in at join

**Certificates.** Only members an ADMIT (by the host or a co-moderator in their term) names
count: only their roster entries are accepted, only they receive a rotation's secret, only
their posts are taken. The host needs none.

``since`` and ``upto`` bound a co-moderator's term in *their own* event numbering (see
:mod:`.derive`): the host's client fills them in from the events it holds, so whoever applies
the events, in whatever order they arrive, agrees on which of a co-moderator's events count.
For a member who is not a co-moderator ``upto`` is 0 and means nothing.

``term`` *names* the events of the term being closed: the concatenated
:data:`FINGERPRINT_LEN`-byte fingerprints (:func:`fingerprint`, the start of the event id) of the
co-moderator's events the closing client counted, in seq order. Only those count from a closed
term: an ex-co-moderator cannot slip in an event later, in a gap or in place of a genuine one
(same slot, lower id). Empty: nothing from that term counts (and for a member who was never a
co-moderator).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any, ClassVar

from . import codec
from .codec import Bad, fail
from .errors import Reason

KEY_LEN = 32
POST_ID_LEN = 32
MAX_SEQ = 2**31 - 1
MAX_SLOW_MODE_SECONDS = 3600  # as Circle's settings
MAX_EPOCH = 2**31 - 1
MAX_RECIPIENTS = 256  # as the roster
FINGERPRINT_LEN = 8
MAX_TERM_EVENTS = 4096
"""The most events a closing names (32 KiB of fingerprints): a term with more keeps its last."""


def fingerprint(event_id: bytes) -> bytes:
    """An event's name in a closing's ``term`` (forging another event with the same one takes
    some 2**64 signatures)."""
    return event_id[:FINGERPRINT_LEN]


def named(term: bytes) -> frozenset[bytes]:
    """The fingerprints a closing's ``term`` names."""
    return frozenset(term[i : i + FINGERPRINT_LEN] for i in range(0, len(term), FINGERPRINT_LEN))


class ActionKind(IntEnum):
    REMOVE = 1
    APPOINT = 2
    DISMISS = 3
    HIDE = 4
    SLOW_MODE = 5
    # 6 was RULES, never produced: a circle's rules travel in its signed circle info
    # (messenger/circle_info.py). Kept unused, so an old number never means something new.
    CLOSE = 7
    ROTATE = 8
    ADMIT = 9


HOST_ONLY = frozenset({ActionKind.APPOINT, ActionKind.DISMISS, ActionKind.CLOSE})
"""What only the host may do; co-moderators may REMOVE (ordinary members), HIDE, SLOW_MODE,
ADMIT and ROTATE (after their own removal, when the host is away)."""
MAX_PSEUDONYM_BYTES = 256


@dataclass(frozen=True)
class Remove:
    kind: ClassVar[ActionKind] = ActionKind.REMOVE
    member: bytes
    upto: int = 0
    term: bytes = b""  # the closed term's events, named (see the module docstring)

    def args(self) -> list[Any]:
        return [self.member, self.upto, self.term]


@dataclass(frozen=True)
class Appoint:
    kind: ClassVar[ActionKind] = ActionKind.APPOINT
    member: bytes
    since: int = 1

    def args(self) -> list[Any]:
        return [self.member, self.since]


@dataclass(frozen=True)
class Dismiss:
    kind: ClassVar[ActionKind] = ActionKind.DISMISS
    member: bytes
    upto: int = 0
    term: bytes = b""  # the closed term's events, named (see the module docstring)

    def args(self) -> list[Any]:
        return [self.member, self.upto, self.term]


@dataclass(frozen=True)
class Hide:
    kind: ClassVar[ActionKind] = ActionKind.HIDE
    post_id: bytes

    def args(self) -> list[Any]:
        return [self.post_id]


@dataclass(frozen=True)
class SlowMode:
    kind: ClassVar[ActionKind] = ActionKind.SLOW_MODE
    seconds: int

    def args(self) -> list[Any]:
        return [self.seconds]


@dataclass(frozen=True)
class Close:
    kind: ClassVar[ActionKind] = ActionKind.CLOSE

    def args(self) -> list[Any]:
        return []


@dataclass(frozen=True)
class Rotate:
    kind: ClassVar[ActionKind] = ActionKind.ROTATE
    epoch: int
    recipients: tuple[bytes, ...]

    def args(self) -> list[Any]:
        return [self.epoch, list(self.recipients)]


@dataclass(frozen=True)
class Admit:
    kind: ClassVar[ActionKind] = ActionKind.ADMIT
    member: bytes
    pseudonym: str = ""

    def args(self) -> list[Any]:
        return [self.member, self.pseudonym]


Action = Remove | Appoint | Dismiss | Hide | SlowMode | Close | Rotate | Admit


def action_from_args(kind_value: object, args: object) -> Action:
    """The action for a kind code and its argument list; raises ``Bad`` (inside ``strict``)."""
    kind_code = codec.need_int(kind_value, Bad, "action kind", 1, 255)
    try:
        kind = ActionKind(kind_code)
    except ValueError:
        fail(Reason.UNKNOWN_TYPE, f"action {kind_code}")
    items = codec.need_list(args, Bad, "arguments", MAX_RECIPIENTS + 2)
    expected = {
        ActionKind.REMOVE: 3,
        ActionKind.APPOINT: 2,
        ActionKind.DISMISS: 3,
        ActionKind.HIDE: 1,
        ActionKind.SLOW_MODE: 1,
        ActionKind.CLOSE: 0,
        ActionKind.ROTATE: 2,
        ActionKind.ADMIT: 2,
    }[kind]
    if len(items) != expected:
        fail(Reason.BAD_FIELDS, f"{kind.name.lower()} takes {expected} arguments")
    if kind is ActionKind.REMOVE:
        return Remove(_key(items[0]), _upto(items[1]), _term(items[2]))
    if kind is ActionKind.APPOINT:
        return Appoint(_key(items[0]), codec.need_int(items[1], Bad, "since", 1, MAX_SEQ))
    if kind is ActionKind.DISMISS:
        return Dismiss(_key(items[0]), _upto(items[1]), _term(items[2]))
    if kind is ActionKind.HIDE:
        return Hide(codec.need_bytes(items[0], Bad, "post id", POST_ID_LEN))
    if kind is ActionKind.SLOW_MODE:
        return SlowMode(codec.need_int(items[0], Bad, "seconds", 0, MAX_SLOW_MODE_SECONDS))
    if kind is ActionKind.CLOSE:
        return Close()
    if kind is ActionKind.ADMIT:
        name = items[1]
        if not isinstance(name, str) or len(name.encode()) > MAX_PSEUDONYM_BYTES:
            fail(Reason.BAD_VALUE, "pseudonym")
        return Admit(_key(items[0]), name)
    epoch = codec.need_int(items[0], Bad, "epoch", 1, MAX_EPOCH)
    keys = codec.need_list(items[1], Bad, "recipients", MAX_RECIPIENTS)
    recipients = tuple(_key(k) for k in keys)
    if len(set(recipients)) != len(recipients):
        fail(Reason.BAD_VALUE, "a recipient twice")
    return Rotate(epoch, recipients)


def check_action(action: Action) -> None:
    """Raise ``Bad`` (inside ``strict``) if ``action`` could not be decoded back."""
    action_from_args(int(action.kind), codec.unpack(codec.pack(action.args()), 2**20, Bad))


def _key(value: object) -> bytes:
    return codec.need_bytes(value, Bad, "member key", KEY_LEN)


def _upto(value: object) -> int:
    return codec.need_int(value, Bad, "upto", 0, MAX_SEQ)


def _term(value: object) -> bytes:
    term = codec.need_bytes(value, Bad, "term", 0, FINGERPRINT_LEN * MAX_TERM_EVENTS)
    if len(term) % FINGERPRINT_LEN:
        fail(Reason.BAD_VALUE, "term is not whole fingerprints")
    if len(named(term)) * FINGERPRINT_LEN != len(term):
        fail(Reason.BAD_VALUE, "an event named twice in a term")
    return term
