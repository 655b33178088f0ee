"""One circle's moderation state: the checked events it holds, and what they add up to.

:class:`ModerationState` stores every verified event that could count (the host's, and those of
members who were ever appointed co-moderators), derives the state from them (:mod:`.derive`)
and reports what changed as effects. Sans-IO: the clock is passed in (ms since the epoch).

Refusals (:class:`~.errors.EventRejected`): the open lobby has no moderation (``no_host``); an
event for another circle (``wrong_circle``); one we hold already (``duplicate`` — a replay);
one dated more than :attr:`ModerationLimits.max_clock_skew_ms` ahead (``future``: not stored,
it comes back with the next exchange); one its signer may not take (:mod:`.permissions`); and
past the log's bounds (``log_full``). An event a co-moderator signed outside their term is
stored but changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..circle import Circle
from ..views import Role
from .actions import MAX_TERM_EVENTS, Action, Appoint, Dismiss, Remove, fingerprint
from .derive import Derived, derive
from .effects import Effect, changes
from .envelope import SignedEvent, decode_event
from .errors import EventError, EventRejected, NotPermitted, Reason, StateError
from .permissions import check_permitted, check_signer

STATE_FORMAT = 1


@dataclass(frozen=True)
class ModerationLimits:
    max_host_events: int = 4096
    max_moderator_events: int = 1024  # per co-moderator
    max_clock_skew_ms: int = 10 * 60_000


@dataclass(frozen=True)
class Applied:
    """What :meth:`ModerationState.apply_many` did with a batch of events."""

    effects: tuple[Effect, ...] = ()
    accepted: tuple[SignedEvent, ...] = ()  # newly stored (forward these to other members)
    rejected: tuple[tuple[SignedEvent, EventRejected], ...] = field(default=())


class ModerationState:
    def __init__(
        self,
        circle_id: bytes,
        host_key: bytes | None,
        *,
        me: bytes | None = None,
        base_slow_mode: int = 0,
        limits: ModerationLimits | None = None,
        events: Iterable[SignedEvent] = (),
    ) -> None:
        """``events``: a log we checked before (a stored one), held as it is."""
        self.circle_id = circle_id
        self.host_key = host_key
        self.me = me
        self.base_slow_mode = base_slow_mode
        self.limits = limits or ModerationLimits()
        self._events: dict[bytes, SignedEvent] = {}
        self._per_actor: dict[bytes, int] = {}
        self._high: dict[bytes, int] = {}
        for event in events:
            if event.id not in self._events:
                self._store(event)
        self._derived = Derived()
        if host_key is not None and self._events:
            self._derived = derive(host_key, self._events.values())
        self._digest: bytes | None = None

    @classmethod
    def for_circle(
        cls, circle: Circle, *, me: bytes | None = None, limits: ModerationLimits | None = None
    ) -> ModerationState:
        return cls(
            circle.circle_id,
            circle.host_key,
            me=me,
            base_slow_mode=circle.settings.slow_mode_seconds,
            limits=limits,
        )

    # -- what the events add up to --------------------------------------------------------
    @property
    def derived(self) -> Derived:
        return self._derived

    def is_host(self, key: bytes) -> bool:
        return self.host_key is not None and key == self.host_key

    def is_co_moderator(self, key: bytes) -> bool:
        return key in self._derived.moderators

    def is_moderator(self, key: bytes) -> bool:
        """The host or a co-moderator: who reports go to, who may moderate."""
        return self.is_host(key) or self.is_co_moderator(key)

    def moderators(self) -> frozenset[bytes]:
        """The host and the co-moderators (empty for the open lobby)."""
        hosts = frozenset() if self.host_key is None else frozenset({self.host_key})
        return hosts | self._derived.moderators

    def is_member(self, key: bytes) -> bool:
        """A certified member not removed: only they post, get direct messages and the
        secret. False for removed members (refuse their links, posts and direct messages) and
        for identities no moderator let in (see :meth:`is_certified`)."""
        return key not in self._derived.removed and self.is_certified(key)

    def is_certified(self, key: bytes) -> bool:
        """The host, or a member an ADMIT names (in the open lobby, which has no moderation,
        everybody)."""
        return self.host_key is None or key == self.host_key or key in self._derived.admitted

    def certified(self) -> frozenset[bytes]:
        """Every certified member not removed (the host included)."""
        keys = set(self._derived.admitted) - set(self._derived.removed)
        if self.host_key is not None:
            keys.add(self.host_key)
        return frozenset(keys)

    @property
    def rotator(self) -> bytes | None:
        """Who made the rotation that counts (the host or a co-moderator)."""
        return self._derived.rotator

    def is_removed(self, key: bytes) -> bool:
        return key in self._derived.removed

    @property
    def removed(self) -> frozenset[bytes]:
        return frozenset(self._derived.removed)

    def is_hidden(self, post_id: bytes) -> bool:
        return post_id in self._derived.hidden

    @property
    def hidden(self) -> frozenset[bytes]:
        return self._derived.hidden

    @property
    def slow_mode(self) -> int:
        value = self._derived.slow_mode
        return self.base_slow_mode if value is None else value

    @property
    def closed(self) -> bool:
        return self._derived.closed

    @property
    def epoch(self) -> int:
        """The highest epoch a ROTATE announced (the hand-over may still be on its way)."""
        return self._derived.epoch

    @property
    def rotation_recipients(self) -> frozenset[bytes]:
        return self._derived.recipients

    @property
    def rotation_due(self) -> bool:
        return self._derived.rotation_due

    def role(self, key: bytes) -> Role:
        if self.is_host(key):
            return Role.HOST
        return Role.MODERATOR if self.is_co_moderator(key) else Role.MEMBER

    # -- the events -----------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._events)

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._events

    def events(self) -> list[SignedEvent]:
        """Every stored event: the host's first, each actor's in seq order."""
        return sorted(
            self._events.values(), key=lambda e: (e.actor != self.host_key, e.actor, e.seq, e.id)
        )

    def digest(self) -> bytes:
        """A summary of the events held: two members with the same digest hold the same set."""
        if self._digest is None:
            h = hashlib.blake2b(digest_size=32, person=b"hearth-mod-set")
            for event_id in sorted(self._events):
                h.update(event_id)
            self._digest = h.digest()
        return self._digest

    def high_seq(self, actor: bytes) -> int:
        """The highest event number we hold from ``actor`` (0: none)."""
        return self._high.get(actor, 0)

    def next_seq(self, actor: bytes) -> int:
        """The number ``actor``'s next event must carry (past its events and its term's start)."""
        start = max((t.since for t in self._derived.terms.get(actor, ())), default=1)
        return max(self.high_seq(actor) + 1, start)

    # -- changes --------------------------------------------------------------------------
    def receive(self, data: bytes, now: int) -> tuple[Effect, ...]:
        """Decode, verify and apply one event (raises :class:`EventError` or
        :class:`EventRejected`)."""
        return self.apply(decode_event(data), now)

    def apply(self, event: SignedEvent, now: int) -> tuple[Effect, ...]:
        """Store one verified event and return what changed; raise :class:`EventRejected`."""
        applied = self.apply_many([event], now)
        if applied.rejected:
            raise applied.rejected[0][1]
        return applied.effects

    def apply_many(self, events: Iterable[SignedEvent], now: int) -> Applied:
        """Store a batch (the host's events first, so an appointment in the batch counts for
        the co-moderator's events in it) and return what changed, once."""
        batch = list(events)
        before = self._derived
        accepted: list[SignedEvent] = []
        rejected: list[tuple[SignedEvent, EventRejected]] = []
        host_first = sorted(batch, key=lambda e: e.actor != self.host_key)
        rederived = False
        for event in host_first:
            if not rederived and event.actor != self.host_key and accepted:
                self._derived = derive(self._host(), self._events.values())
                rederived = True
            try:
                self._admit(event, now)
            except EventRejected as exc:
                rejected.append((event, exc))
                continue
            accepted.append(event)
        if accepted:
            self._digest = None
            self._derived = derive(self._host(), self._events.values())
        return Applied(
            effects=changes(before, self._derived, me=self.me, base_slow_mode=self.base_slow_mode),
            accepted=tuple(accepted),
            rejected=tuple(rejected),
        )

    def _host(self) -> bytes:
        assert self.host_key is not None
        return self.host_key

    def _admit(self, event: SignedEvent, now: int) -> None:
        host = self.host_key
        if host is None:
            raise EventRejected(Reason.NO_HOST, "nobody moderates the open lobby")
        if event.circle_id != self.circle_id:
            raise EventRejected(Reason.WRONG_CIRCLE)
        if event.id in self._events:
            raise EventRejected(Reason.DUPLICATE)
        if event.ts > now + self.limits.max_clock_skew_ms:
            raise EventRejected(Reason.FUTURE)
        check_signer(host, self._derived, event)
        if event.actor == host:
            limit = self.limits.max_host_events
        else:
            limit = self.limits.max_moderator_events
        if self._per_actor.get(event.actor, 0) >= limit:
            raise EventRejected(Reason.LOG_FULL)
        self._store(event)

    def _store(self, event: SignedEvent) -> None:
        self._events[event.id] = event
        self._per_actor[event.actor] = self._per_actor.get(event.actor, 0) + 1
        self._high[event.actor] = max(self._high.get(event.actor, 0), event.seq)

    # -- our own actions ------------------------------------------------------------------
    def complete(self, action: Action) -> Action:
        """Fill in what the actor's client decides for an action: a co-moderator's term bounds
        (from the events held)."""
        if isinstance(action, Appoint):
            return Appoint(action.member, self.high_seq(action.member) + 1)
        if isinstance(action, Dismiss):
            return Dismiss(action.member, self.high_seq(action.member), self._term_names(action))
        if isinstance(action, Remove):
            upto = self.high_seq(action.member) if action.member in self._derived.terms else 0
            return Remove(action.member, upto, self._term_names(action))
        return action

    def _term_names(self, action: Dismiss | Remove) -> bytes:
        """The fingerprints of the events that count in ``action.member``'s open term (the
        latest :data:`MAX_TERM_EVENTS`), in seq order: all that will count of it once closed."""
        terms = self._derived.terms.get(action.member, ())
        term = next((t for t in terms if t.upto is None), None)
        if term is None:
            return b""
        counted = self._derived.counted
        mine = [
            e
            for e in self._events.values()
            if e.actor == action.member and e.id in counted and term.covers(e.seq)
        ]
        mine.sort(key=lambda e: e.seq)
        return b"".join(fingerprint(e.id) for e in mine[-MAX_TERM_EVENTS:])

    def check_permitted(self, actor: bytes, action: Action) -> None:
        """Raise :class:`~.errors.NotPermitted` unless ``actor`` may take ``action`` now."""
        check_permitted(self.host_key, self._derived, actor, action)

    def check_may_post(self, member: bytes, last_post: int | None, now: int) -> None:
        """Raise :class:`NotPermitted` if ``member`` may not post now: removed, the circle
        closed, or slow mode (``last_post``: when they last posted, ms; ``detail`` says how
        many seconds to wait). Moderators are not slowed down."""
        if self.is_removed(member):
            raise NotPermitted(Reason.REMOVED, "you were removed from this circle")
        if self.closed:
            raise NotPermitted(Reason.CLOSED, "the host closed this circle")
        if not self.is_certified(member):
            raise NotPermitted(Reason.NOT_ADMITTED, "waiting for the host to let you in")
        seconds = self.slow_mode
        if seconds and last_post is not None and not self.is_moderator(member):
            wait_ms = last_post + seconds * 1000 - now
            if wait_ms > 0:
                raise NotPermitted(Reason.SLOW_MODE, str(-(-wait_ms // 1000)))

    # -- storage --------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """A msgpack-able dict: the events (re-derived on load)."""
        return {
            "format": STATE_FORMAT,
            "circle": self.circle_id,
            "host": self.host_key,
            "events": [e.signed for e in self.events()],
        }

    @classmethod
    def from_dict(
        cls,
        data: object,
        *,
        me: bytes | None = None,
        base_slow_mode: int = 0,
        limits: ModerationLimits | None = None,
    ) -> ModerationState:
        """Load what :meth:`to_dict` stored (our own encrypted store: signatures not re-checked;
        raises :class:`StateError`)."""
        if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
            raise StateError(Reason.UNKNOWN_VERSION, "stored moderation state")
        circle, host, events = data.get("circle"), data.get("host"), data.get("events")
        if not isinstance(circle, bytes) or not (host is None or isinstance(host, bytes)):
            raise StateError(Reason.MALFORMED, "stored moderation state keys")
        if not isinstance(events, list):
            raise StateError(Reason.MALFORMED, "stored moderation events")
        held: list[SignedEvent] = []
        for raw in events:
            if not isinstance(raw, bytes):
                raise StateError(Reason.MALFORMED, "a stored moderation event")
            try:
                event = decode_event(raw, verify=False)
            except EventError as exc:
                raise StateError(exc.reason, "a stored moderation event") from None
            if event.circle_id != circle:
                raise StateError(Reason.WRONG_CIRCLE, "a stored moderation event")
            held.append(event)
        return cls(circle, host, me=me, base_slow_mode=base_slow_mode, limits=limits, events=held)
