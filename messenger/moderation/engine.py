"""One circle's moderation, sans-IO: the object the facade drives beside the conversation engine.

Bytes in, bytes and effects out, the clock passed in (``now``: ms since the epoch). Peers are
members' Ed25519 keys, as the handshake authenticated them; each :class:`Outgoing` goes on
``Lane.MODERATION`` of the link to ``peer``. Nothing from the network raises: refused input is
counted in :attr:`CircleModeration.stats` and reported as :class:`~.effects.Dropped` (replays and
duplicates only counted).

What it does, each part on the shared :class:`~.context.Context`:

- **Events** (:mod:`.event_sync`): the moderation log exchanged with every linked member, and
  :meth:`act`, our own actions signed and sent everywhere.
- **Rotation** (:mod:`.rotating`): :meth:`rotate` makes the new secret and the hand-overs; a
  member opens its own, and one who links at an old epoch gets its hand-over and nothing else
  (:meth:`link_decision`).
- **Certificates**: a link from an identity no ADMIT names is *pending*: nothing flows on it
  (not even the log) until a moderator admits it (:meth:`admit`); then it is promoted and the
  two sides exchange their logs. While a removal's rotation is due, new identities are refused.
- **Reports** (:mod:`.report_relay`): :meth:`report` seals a report to the moderators and sends
  it only over links to them; a moderator queues its copy and passes it on.
- **Flooding** (:mod:`.flood`): per-peer limits on this lane; :meth:`observe` takes the
  conversation engine's events too and escalates to cool-downs with a notice for the host.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from network.ratelimit import TokenBucket

from ..circle import Circle
from ..conversation.envelope import SignedPost
from ..conversation.events import ConversationEvent, Outgoing
from ..identity import Membership
from ..views import Role
from . import event_sync, rotating
from .actions import Action, Admit, Remove
from .context import Context, EngineLimits, Link, Result
from .effects import BindingsChanged, Effect, HostNotice
from .errors import Reason, StateError, WireError
from .flood import FloodGuard, FloodPolicy
from .grace import DEFAULT_GRACE_MS, EpochBinding, LinkDecision, LinkKind, RotationKeeper
from .report_queue import ReportQueue
from .report_relay import PendingReport, ReportRelay, load_pending, random_delay
from .reports import ReportReason, SealedReport
from .state import ModerationLimits, ModerationState
from .wire import Digest, Events, Handovers, Report, decode, encode

ENGINE_FORMAT = 1


class CircleModeration:
    """Moderation, rotation, reports and flood escalation of one circle, for one member."""

    def __init__(
        self,
        circle: Circle,
        me: Membership,
        *,
        state: ModerationState | None = None,
        keeper: RotationKeeper | None = None,
        queue: ReportQueue | None = None,
        limits: EngineLimits | None = None,
        state_limits: ModerationLimits | None = None,
        flood: FloodPolicy | None = None,
        grace_ms: int = DEFAULT_GRACE_MS,
        delay: Callable[[int], int] = random_delay,
        pending: Iterable[PendingReport] = (),
    ) -> None:
        """``pending``: our reports still on their way, as stored (see :meth:`from_dict`)."""
        if me.circle_id != circle.circle_id:
            raise ValueError("the membership is not in this circle")
        self.me = me
        self.state = state or ModerationState.for_circle(
            circle, me=me.member_key, limits=state_limits
        )
        self.keeper = keeper or RotationKeeper(circle.circle_id, circle.host_key, grace_ms=grace_ms)
        self.stats: Counter[Reason] = Counter()
        self._ctx = Context(circle, me, self.state, self.keeper, stats=self.stats)
        self.queue = queue or ReportQueue(circle.circle_id)
        self.limits = limits or EngineLimits()
        self.flood = FloodGuard(flood)
        self._reports = ReportRelay(
            self._ctx, self.queue, self.limits, delay=delay, pending=pending
        )

    @property
    def circle(self) -> Circle:
        """The circle as we hold it now (its epoch and secret change with a rotation)."""
        return self._ctx.circle

    # -- questions ------------------------------------------------------------------------
    @property
    def me_key(self) -> bytes:
        return self.me.member_key

    def is_member(self, key: bytes) -> bool:
        """For the sync engine: a certified member, not removed."""
        return self.state.is_member(key)

    def is_pending(self, key: bytes) -> bool:
        """A linked identity that waits for a moderator to let it in."""
        link = self._ctx.links.get(key)
        return link is not None and link.pending

    def role(self, key: bytes) -> Role:
        return self.state.role(key)

    def take_dirty(self) -> bool:
        """Whether the state changed since the last call: save :meth:`to_dict` if so."""
        dirty, self._ctx.dirty = self._ctx.dirty, False
        return dirty

    def link_decision(self, member: bytes, link_epoch: int, now: int) -> LinkDecision:
        """Whether to accept (or keep) a link to ``member`` made with the secret of
        ``link_epoch``: at the current epoch anyone not removed and not cooling down; at an old
        epoch only for a hand-over (see :mod:`.grace`)."""
        if self.flood.refuses(member, now):
            return LinkDecision(LinkKind.REFUSE, Reason.COOLING_DOWN)
        if not self.state.is_certified(member) and self.state.rotation_due:
            # someone was removed and still holds the secret: no new identity until it changes
            return LinkDecision(LinkKind.REFUSE, Reason.NOT_ADMITTED)
        return self.keeper.decide(
            member,
            link_epoch,
            self.circle.epoch,
            now,
            is_member=not self.state.is_removed(member),
        )

    def bindings(self, now: int) -> list[EpochBinding]:
        """The epochs to bind this circle at (current first; old ones are not announced)."""
        return self.keeper.bindings(self.circle, now)

    def set_circle(self, circle: Circle) -> None:
        """The facade changed the circle (rules, settings): the same circle at the same epoch."""
        if (circle.circle_id, circle.host_key, circle.epoch, circle.secret) != (
            self.circle.circle_id,
            self.circle.host_key,
            self.circle.epoch,
            self.circle.secret,
        ):
            raise ValueError("not the same circle at the same epoch")
        self._ctx.circle = circle
        self.state.base_slow_mode = circle.settings.slow_mode_seconds

    def check_may_post(self, last_post: int | None, now: int) -> None:
        """Raise :class:`~.errors.NotPermitted` if we may not post now: removed, the circle
        closed, or slow mode (``last_post``: when we last posted, ms; ``detail`` says how many
        seconds to wait). Moderators are not slowed down."""
        self.state.check_may_post(self.me_key, last_post, now)

    def carries_conversation(self, member: bytes) -> bool:
        """Whether the link to ``member`` carries posts and direct messages (current epoch)."""
        link = self._ctx.links.get(member)
        return link is not None and not link.handover_only

    def link_epoch(self, member: bytes) -> int | None:
        """The epoch the link to ``member`` counts at now (None: not linked)."""
        link = self._ctx.links.get(member)
        return None if link is None else link.epoch

    # -- links ----------------------------------------------------------------------------
    def peer_connected(self, member: bytes, now: int, *, epoch: int | None = None) -> Result:
        """A link to ``member`` came up at ``epoch`` (default: the current one). Call only for
        links :meth:`link_decision` accepted."""
        link_epoch = self.circle.epoch if epoch is None else epoch
        decision = self.link_decision(member, link_epoch, now)
        if not decision.accepted:
            reason = decision.reason or Reason.WRONG_PEER
            return [], [self._ctx.drop(member, reason, "link")]
        pending = not self.state.is_certified(member)
        handover_only = decision.kind is LinkKind.HANDOVER_ONLY or pending
        if decision.kind is LinkKind.HANDOVER_ONLY and self.carries_conversation(member):
            # A second link at an old epoch (dialed there for a hand-over) to a member whose
            # live link was carried over: that one keeps carrying; this one needs nothing.
            return [], []
        self._ctx.links[member] = Link(
            link_epoch,
            handover_only,
            TokenBucket.per_window(
                self.limits.burst, self.limits.messages_per_window, self.limits.window_ms, now
            ),
            pending,
        )
        if pending:
            return [], []  # nothing, not even the log, until a moderator admits them
        out = [Outgoing(member, event_sync.digest_message(self.state))]
        if handover_only:
            handover = self.keeper.handover_for(member)
            if handover is not None:
                out.append(Outgoing(member, encode(Handovers((handover.signed,)))))
        effects: list[Effect] = []
        if not handover_only:
            self.keeper.seen_current(member)
            more_out, effects = self._reports.flush(now)
            out += more_out
        if self.keeper.expire(now):
            self._ctx.dirty = True
            effects.append(BindingsChanged())
        return out, effects

    def peer_lost(self, member: bytes, *, epoch: int | None = None) -> None:
        """The link to ``member`` (at ``epoch``, if given: another link may have replaced it)
        closed."""
        link = self._ctx.links.get(member)
        if link is not None and (epoch is None or link.epoch == epoch):
            del self._ctx.links[member]

    @property
    def connected(self) -> list[bytes]:
        return list(self._ctx.links)

    # -- input ----------------------------------------------------------------------------
    def receive(self, member: bytes, data: bytes, now: int) -> Result:
        """One moderation-lane message from ``member``'s link."""
        drop = self._ctx.drop
        link = self._ctx.links.get(member)
        if link is None:
            return [], [drop(member, Reason.WRONG_PEER, "message")]
        if self.state.is_removed(member):
            return [], [drop(member, Reason.REMOVED, "message")]
        if link.pending and self.state.is_member(self.me_key):
            return [], [drop(member, Reason.NOT_ADMITTED, "message")]
        if not link.bucket.take(now):
            return [], [drop(member, Reason.RATE_LIMITED, "message")]
        try:
            msg = decode(data)
        except WireError as exc:
            return [], [drop(member, exc.reason, "message")]
        if link.pending and isinstance(msg, Digest):
            # A newcomer not yet let in, told of a log it lacks by a member who promoted it,
            # answers with its DIGEST only: that member then sends the log (see promote()).
            return event_sync.ask_for_log(self._ctx, member, msg.digest, msg.count), []
        if link.pending and not isinstance(msg, Events):
            # A newcomer not yet let in takes signed events from anyone it reached (each
            # carries its own authority: a co-moderator's ADMIT counts once the host's
            # appointment is in the same log), and nothing else.
            return [], [drop(member, Reason.NOT_ADMITTED, "message")]
        match msg:
            case Digest():
                return event_sync.answer_digest(self._ctx, member, msg.digest), []
            case Events():
                return event_sync.take_events(self._ctx, member, msg.events, now, msg.also)
            case Handovers():
                return rotating.take_handovers(self._ctx, member, msg.handovers, now)
            case Report():
                if link.handover_only:
                    return [], [drop(member, Reason.STALE_EPOCH, "report")]
                return self._reports.receive(member, msg.data, now)
        return [], []  # pragma: no cover - every message type is handled above

    def released_report(self, data: bytes, now: int) -> Result:
        """A sealed report an anonymous round released (docs/ANONYMITY.md): from nobody's link;
        every moderator present had it from the same round, so it is not passed on."""
        return self._reports.released(data, now)

    # -- our own actions ------------------------------------------------------------------
    def act(self, action: Action, now: int) -> Result:
        """Sign and apply our moderation ``action`` and send it to every linked member.

        Raises :class:`~.errors.NotPermitted` if our role does not allow it (the UI shows why).
        """
        return event_sync.act(self._ctx, action, now)

    def admit(self, member: bytes, pseudonym: str, now: int) -> Result:
        """(Host or co-moderator.) Certify ``member``: their links carry the conversation."""
        return self.act(Admit(member, pseudonym), now)

    def remove(self, member: bytes, now: int, *, rotate: bool = True) -> Result:
        """Remove ``member`` and, as the host or a co-moderator, rotate the secret right away
        (sealed to the certified members who remain), both events in one message."""
        out, effects = self.act(Remove(member), now)
        if rotate and self.state.is_moderator(self.me_key) and self.state.rotation_due:
            more_out, more = self.rotate(now)
            out = rotating.merged(out, more_out)
            effects += more
        return out, effects

    def rotate(self, now: int, *, new_secret: bytes | None = None) -> Result:
        """(Host or co-moderator.) Give the circle a new secret and hand it to each certified
        member not removed (never to an identity only the roster names). Save the new circle
        (:class:`SecretRotated`) and :meth:`to_dict` *before* sending anything."""
        return rotating.rotate(self._ctx, now, new_secret)

    # -- reports --------------------------------------------------------------------------
    def report(
        self,
        member: bytes,
        reason: ReportReason,
        details: str,
        now: int,
        *,
        evidence: SignedPost | None = None,
        anonymous: bool = True,
    ) -> tuple[SealedReport, Result]:
        """Report ``member`` (and ``evidence``, their post) to the host and co-moderators.

        Anonymous reports carry nothing that names us and leave after a random delay; a
        signed one tells the moderators who reported. Raises :class:`ReportError` (no
        moderator, details too long, evidence by someone else)."""
        return self._reports.report(
            member, reason, details, now, evidence=evidence, anonymous=anonymous
        )

    def notify_moderators(self, notice: HostNotice, now: int) -> Result:
        """Tell the moderators that our client cut ``notice.peer`` off for flooding (a signed
        report; ignored in circles without moderators)."""
        return self._reports.notify(notice, now)

    def pending_reports(self) -> list[SealedReport]:
        """Our reports still on their way to some moderator."""
        return self._reports.pending_reports()

    # -- time and flooding ----------------------------------------------------------------
    def tick(self, now: int) -> Result:
        """At :meth:`next_deadline`: due reports go out, old epochs expire."""
        out, effects = self._reports.flush(now)
        if self.keeper.expire(now):
            self._ctx.dirty = True
            effects.append(BindingsChanged())
        return out, effects

    def next_deadline(self, now: int) -> int | None:
        """When :meth:`tick` next has work: a report whose delay ends or that expires, an old
        epoch whose grace ends (at once when no hand-over is pending); None when nothing
        waits on time. Reports waiting for a moderator also go when one links."""
        due = self._reports.deadlines(now)
        if self.keeper.old:
            pending = self.keeper.pending()
            due += [o.until for o in self.keeper.old.values()] if pending else [now]
        return min(due, default=None)

    def observe(self, events: Iterable[ConversationEvent | Effect], now: int) -> list[Effect]:
        """Feed the conversation engine's events (and our own effects) to the flood guard:
        returns :class:`~.effects.FloodDisconnect` and :class:`~.effects.HostNotice`."""
        effects: list[Effect] = []
        for event in events:
            effects += self.flood.observe(event, now)
        return effects

    # -- storage --------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Everything to save, msgpack-able. Holds old secrets: the encrypted database only."""
        return {
            "format": ENGINE_FORMAT,
            "state": self.state.to_dict(),
            "keeper": self.keeper.to_dict(),
            "queue": self.queue.to_dict(),
            "pending": self._reports.to_list(),
        }

    @classmethod
    def from_dict(
        cls, data: object, circle: Circle, me: Membership, **options: Any
    ) -> CircleModeration:
        """Load what :meth:`to_dict` saved, for ``circle`` as now stored (raises
        :class:`StateError`)."""
        if not isinstance(data, dict) or data.get("format") != ENGINE_FORMAT:
            raise StateError(Reason.UNKNOWN_VERSION, "stored moderation")
        state = ModerationState.from_dict(
            data.get("state"),
            me=me.member_key,
            base_slow_mode=circle.settings.slow_mode_seconds,
            limits=options.pop("state_limits", None),
        )
        if state.circle_id != circle.circle_id or state.host_key != circle.host_key:
            raise StateError(Reason.WRONG_CIRCLE, "stored moderation")
        keeper = RotationKeeper.from_dict(
            data.get("keeper"),
            circle.host_key,
            grace_ms=options.pop("grace_ms", DEFAULT_GRACE_MS),
            signers=state.derived.terms,
        )
        queue = ReportQueue.from_dict(data.get("queue"))
        pending = load_pending(data.get("pending"))
        return cls(circle, me, state=state, keeper=keeper, queue=queue, pending=pending, **options)
