"""One circle's moderation, sans-IO: the object the facade drives beside the conversation engine.

Bytes in, bytes and effects out, the clock passed in (``now``: ms since the epoch). Peers are
members' Ed25519 keys, as the handshake authenticated them; each :class:`Outgoing` goes on
``Lane.MODERATION`` of the link to ``peer``. Nothing from the network raises: refused input is
counted in :attr:`CircleModeration.stats` and reported as :class:`~.effects.Dropped` (replays and
duplicates only counted).

What it does:

- **Events** (:mod:`.state`, :mod:`.wire`): DIGEST on connect, the whole log to a peer whose
  digest differs, and every newly accepted event passed on to every other linked member.
  :meth:`act` signs our own action (after checking we may take it) and sends it everywhere.
- **Rotation** (:mod:`.rotation`): :meth:`rotate` (the host, or a co-moderator after its own
  removal) makes the new secret, the ROTATE event and the hand-overs, sealed to the *certified*
  members only, and sends every hand-over to every linked remaining member, who keeps them
  to pass on; a member opens its own (:class:`~.effects.SecretRotated`); a member who links at
  an old epoch gets its hand-over and nothing else (:meth:`link_decision`).
- **Certificates**: a link from an identity no ADMIT names is *pending*: nothing flows on it
  (not even the log) until a moderator admits it (:meth:`admit`); then it is promoted and the
  two sides exchange their logs. While a removal's rotation is due, new identities are refused.
- **Reports** (:mod:`.reports`): :meth:`report` seals a report to the moderators and sends it only
  over links to them (anonymous ones after a random delay, so arrival time says less about who
  sent it); a moderator queues its copy and passes it on to the other moderators it is linked
  to; anybody else drops it.
- **Flooding** (:mod:`.flood`): per-peer limits on this lane; :meth:`observe` takes the
  conversation engine's events too and escalates to cool-downs with a notice for the host.
"""

from __future__ import annotations

import secrets
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from network.ratelimit import TokenBucket

from ..circle import Circle
from ..conversation.envelope import SignedPost
from ..conversation.events import ConversationEvent, Outgoing
from ..identity import Membership
from ..views import Role
from .actions import Action, Admit, Remove
from .effects import (
    BindingsChanged,
    Dropped,
    Effect,
    HostNotice,
    MemberAdmitted,
    ReportDelivered,
    ReportReceived,
    SecretRotated,
    StaleLink,
)
from .envelope import SignedEvent, decode_event, sign_event
from .errors import (
    EventError,
    ModerationError,
    NotPermitted,
    Reason,
    ReportError,
    RotationError,
    StateError,
    WireError,
)
from .flood import FloodGuard, FloodPolicy
from .report_queue import ReportQueue
from .reports import (
    ReportReason,
    SealedReport,
    decode_sealed,
    make_report,
    open_report,
)
from .rotation import (
    DEFAULT_GRACE_MS,
    EpochBinding,
    Handover,
    LinkDecision,
    LinkKind,
    RotationKeeper,
    decode_handover,
    open_handover,
    plan_rotation,
)
from .state import ModerationLimits, ModerationState
from .wire import PREFIX, Digest, Events, Handovers, Report, chunked, decode, encode, prefixes

Result = tuple[list[Outgoing], list[Effect]]
ENGINE_FORMAT = 1


@dataclass(frozen=True)
class EngineLimits:
    messages_per_window: int = 60  # moderation-lane messages a peer may send
    window_ms: int = 10_000
    burst: int = 60
    report_delay_ms: int = 60_000  # anonymous reports wait a random time up to this
    report_expiry_ms: int = 7 * 24 * 3_600_000  # undelivered reports are given up after this
    max_pending_reports: int = 50
    remember_reports: int = 4096  # report ids seen, to pass each on once


@dataclass
class _Peer:
    epoch: int
    handover_only: bool
    bucket: TokenBucket
    pending: bool = False  # an identity no moderator admitted yet: nothing flows
    carried: bool = False  # made at an older epoch, kept across a rotation (see _recheck)


@dataclass
class _Pending:
    report: SealedReport
    not_before: int
    expires: int
    delivered: set[bytes] = field(default_factory=set)


def _merged(first: list[Outgoing], second: list[Outgoing]) -> list[Outgoing]:
    """Two results' messages with each peer's EVENTS joined into one (a removal and its
    rotation arrive together, so no member sees the removal alone and rotates as well)."""
    events: dict[bytes, list[bytes]] = {}
    also: dict[bytes, set[bytes]] = {}
    rest: list[Outgoing] = []
    for item in [*first, *second]:
        msg = decode(item.data)
        if isinstance(msg, Events):
            events.setdefault(item.peer, []).extend(msg.events)
            also.setdefault(item.peer, set()).update(msg.also)
        else:
            rest.append(item)
    joined = [
        Outgoing(p, m)
        for p, blobs in events.items()
        for m in chunked(Events, blobs, sorted(also[p]))
    ]
    return joined + rest


def random_delay(limit_ms: int) -> int:
    return secrets.randbelow(limit_ms + 1) if limit_ms > 0 else 0


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
    ) -> None:
        if me.circle_id != circle.circle_id:
            raise ValueError("the membership is not in this circle")
        self.circle = circle
        self.me = me
        self.state = state or ModerationState.for_circle(
            circle, me=me.member_key, limits=state_limits
        )
        self.keeper = keeper or RotationKeeper(circle.circle_id, circle.host_key, grace_ms=grace_ms)
        self.queue = queue or ReportQueue(circle.circle_id)
        self.limits = limits or EngineLimits()
        self.flood = FloodGuard(flood)
        self.stats: Counter[Reason] = Counter()
        self.dirty = False  # something to save changed (see :meth:`to_dict`)
        self._delay = delay
        self._peers: dict[bytes, _Peer] = {}
        self._pending: list[_Pending] = []
        self._seen_reports: OrderedDict[bytes, None] = OrderedDict()

    # -- questions ------------------------------------------------------------------------
    @property
    def me_key(self) -> bytes:
        return self.me.member_key

    def is_member(self, key: bytes) -> bool:
        """For the sync engine: a certified member, not removed."""
        return self.state.is_member(key)

    def is_pending(self, key: bytes) -> bool:
        """A linked identity that waits for a moderator to let it in."""
        peer = self._peers.get(key)
        return peer is not None and peer.pending

    def role(self, key: bytes) -> Role:
        return self.state.role(key)

    def take_dirty(self) -> bool:
        """Whether the state changed since the last call: save :meth:`to_dict` if so."""
        dirty, self.dirty = self.dirty, False
        return dirty

    def link_decision(self, member: bytes, link_epoch: int, now: int) -> LinkDecision:
        """Whether to accept (or keep) a link to ``member`` made with the secret of
        ``link_epoch``: at the current epoch anyone not removed and not cooling down; at an old
        epoch only for a hand-over (see :mod:`.rotation`)."""
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
        self.circle = circle
        self.state.base_slow_mode = circle.settings.slow_mode_seconds

    def check_may_post(self, last_post: int | None, now: int) -> None:
        """Raise :class:`~.errors.NotPermitted` if we may not post now: removed, the circle
        closed, or slow mode (``last_post``: when we last posted, ms; ``detail`` says how many
        seconds to wait). Moderators are not slowed down."""
        me = self.me_key
        if self.state.is_removed(me):
            raise NotPermitted(Reason.REMOVED, "you were removed from this circle")
        if self.state.closed:
            raise NotPermitted(Reason.CLOSED, "the host closed this circle")
        if not self.state.is_certified(me):
            raise NotPermitted(Reason.NOT_ADMITTED, "waiting for the host to let you in")
        seconds = self.state.slow_mode
        if seconds and last_post is not None and not self.state.is_moderator(me):
            wait_ms = last_post + seconds * 1000 - now
            if wait_ms > 0:
                raise NotPermitted(Reason.SLOW_MODE, str(-(-wait_ms // 1000)))

    def carries_conversation(self, member: bytes) -> bool:
        """Whether the link to ``member`` carries posts and direct messages (current epoch)."""
        peer = self._peers.get(member)
        return peer is not None and not peer.handover_only

    # -- links ----------------------------------------------------------------------------
    def peer_connected(self, member: bytes, now: int, *, epoch: int | None = None) -> Result:
        """A link to ``member`` came up at ``epoch`` (default: the current one). Call only for
        links :meth:`link_decision` accepted."""
        link_epoch = self.circle.epoch if epoch is None else epoch
        decision = self.link_decision(member, link_epoch, now)
        if not decision.accepted:
            reason = decision.reason or Reason.WRONG_PEER
            return [], [self._drop(member, reason, "link")]
        pending = not self.state.is_certified(member)
        handover_only = decision.kind is LinkKind.HANDOVER_ONLY or pending
        if decision.kind is LinkKind.HANDOVER_ONLY and self.carries_conversation(member):
            # A second link at an old epoch (dialed there for a hand-over) to a member whose
            # live link was carried over: that one keeps carrying; this one needs nothing.
            return [], []
        self._peers[member] = _Peer(
            link_epoch,
            handover_only,
            TokenBucket.per_window(
                self.limits.burst, self.limits.messages_per_window, self.limits.window_ms, now
            ),
            pending,
        )
        if pending:
            return [], []  # nothing, not even the log, until a moderator admits them
        out = [Outgoing(member, encode(Digest(self.state.digest(), len(self.state))))]
        if handover_only:
            handover = self.keeper.handover_for(member)
            if handover is not None:
                out.append(Outgoing(member, encode(Handovers((handover.signed,)))))
        effects: list[Effect] = []
        if not handover_only:
            self.keeper.seen_current(member)
            more_out, effects = self._flush_reports(now)
            out += more_out
        if self.keeper.expire(now):
            self.dirty = True
            effects.append(BindingsChanged())
        return out, effects

    def peer_lost(self, member: bytes, *, epoch: int | None = None) -> None:
        """The link to ``member`` (at ``epoch``, if given: another link may have replaced it)
        closed."""
        peer = self._peers.get(member)
        if peer is not None and (epoch is None or peer.epoch == epoch):
            del self._peers[member]

    @property
    def connected(self) -> list[bytes]:
        return list(self._peers)

    # -- input ----------------------------------------------------------------------------
    def receive(self, member: bytes, data: bytes, now: int) -> Result:
        """One moderation-lane message from ``member``'s link."""
        peer = self._peers.get(member)
        if peer is None:
            return [], [self._drop(member, Reason.WRONG_PEER, "message")]
        if self.state.is_removed(member):
            return [], [self._drop(member, Reason.REMOVED, "message")]
        if peer.pending and self.state.is_member(self.me_key):
            return [], [self._drop(member, Reason.NOT_ADMITTED, "message")]
        if not peer.bucket.take(now):
            return [], [self._drop(member, Reason.RATE_LIMITED, "message")]
        try:
            msg = decode(data)
        except WireError as exc:
            return [], [self._drop(member, exc.reason, "message")]
        if peer.pending and not isinstance(msg, Events):
            # A newcomer not yet let in takes signed events from anyone it reached (each
            # carries its own authority: a co-moderator's ADMIT counts once the host's
            # appointment is in the same log), and nothing else.
            return [], [self._drop(member, Reason.NOT_ADMITTED, "message")]
        match msg:
            case Digest():
                if msg.digest == self.state.digest():
                    return [], []
                blobs = [e.signed for e in self.state.events()]
                return [Outgoing(member, m) for m in chunked(Events, blobs)], []
            case Events():
                return self._on_events(member, msg.events, now, msg.also)
            case Handovers():
                return self._on_handovers(member, msg.handovers, now)
            case Report():
                if peer.handover_only:
                    return [], [self._drop(member, Reason.STALE_EPOCH, "report")]
                return self._on_report(member, msg.data, now)
        return [], []  # pragma: no cover - every message type is handled above

    def _on_events(
        self, member: bytes, blobs: Sequence[bytes], now: int, also: Sequence[bytes] = ()
    ) -> Result:
        effects: list[Effect] = []
        events: list[SignedEvent] = []
        for blob in blobs:
            try:
                event = decode_event(blob)
            except EventError as exc:
                effects.append(self._drop(member, exc.reason, "event"))
                continue
            if event.id in self.state:
                self.stats[Reason.DUPLICATE] += 1
                continue
            events.append(event)
        return self._apply(events, now, effects, exclude=member, also=also)

    def _apply(
        self,
        events: list[SignedEvent],
        now: int,
        effects: list[Effect],
        *,
        exclude: bytes | None,
        also: Sequence[bytes] = (),
    ) -> Result:
        """Apply ``events`` (from ``exclude``'s link, which named ``also``) and pass the ones
        accepted on to every linked member nobody named, naming them, myself and the sender."""
        named = set(also)
        targets = [
            k
            for k, p in self._peers.items()
            if k != exclude and not p.pending and k[:PREFIX] not in named
        ]
        applied = self.state.apply_many(events, now)
        for event, error in applied.rejected:
            if error.reason is Reason.DUPLICATE:
                self.stats[Reason.DUPLICATE] += 1
            else:
                effects.append(self._drop(exclude or event.actor, error.reason, "event"))
        if applied.accepted:
            self.dirty = True
        effects += applied.effects
        blobs = [e.signed for e in applied.accepted]
        out: list[Outgoing] = []
        if blobs and targets:
            senders = [self.me_key, *([exclude] if exclude is not None else [])]
            names = sorted(named | set(prefixes([*targets, *senders])))
            out = [Outgoing(p, m) for m in chunked(Events, blobs, names) for p in targets]
        return out + self._promote(applied.effects), effects + self._recheck()

    def _promote(self, effects: Iterable[Effect]) -> list[Outgoing]:
        """Links of members just admitted stop pending: they carry the conversation (at the
        current epoch). A member who was in already sends the newcomer the whole log (the
        newcomer could not take anything before); a newcomer just admitted itself, whose
        pending links were to members already in, sends a DIGEST (they answer with the log only
        if theirs differs), not its whole log to each of them."""
        out: list[Outgoing] = []
        newcomer = any(isinstance(e, MemberAdmitted) and e.is_me for e in effects)
        blobs = [] if newcomer else [e.signed for e in self.state.events()]
        for effect in effects:
            if not isinstance(effect, MemberAdmitted):
                continue
            peer = self._peers.get(effect.member)
            if peer is None or not peer.pending:
                continue
            peer.pending = False
            peer.handover_only = peer.epoch != self.circle.epoch
            out += [Outgoing(effect.member, m) for m in chunked(Events, blobs)]
            out.append(
                Outgoing(effect.member, encode(Digest(self.state.digest(), len(self.state))))
            )
        return out

    def _on_handovers(self, member: bytes, blobs: Sequence[bytes], now: int) -> Result:
        out: list[Outgoing] = []
        effects: list[Effect] = []
        others: list[Handover] = []
        promoted: set[bytes] = set()
        for blob in blobs:
            try:
                handover = decode_handover(blob, self._signers())
                if handover.circle_id != self.circle.circle_id:
                    raise RotationError(Reason.WRONG_CIRCLE)
            except RotationError as exc:
                effects.append(self._drop(member, exc.reason, "handover"))
                continue
            if handover.recipient == self.me_key:
                same = handover.epoch == self.circle.epoch and handover.signer == self.state.rotator
                if handover.epoch < self.circle.epoch or (
                    handover.epoch == self.circle.epoch and not same
                ):
                    self.stats[Reason.STALE_EPOCH] += 1
                    continue
                try:
                    base = replace(self.circle, epoch=handover.epoch - 1) if same else self.circle
                    rotated = open_handover(handover, self.me, base)
                except RotationError as exc:
                    effects.append(self._drop(member, exc.reason, "handover"))
                    continue
                if rotated.secret == self.circle.secret:
                    continue  # the rotation that counts is the one we hold
                if not same:
                    self.keeper.advance(self.circle, now)
                self.circle = rotated
                self.dirty = True
                effects.append(SecretRotated(rotated))
                promoted |= self._carry_over(rotated.epoch)
            elif self.state.is_member(handover.recipient):
                others.append(handover)
        if self.state.is_member(self.me_key):
            held = self.keeper.hold(others)
            if held:
                self.dirty = True
        out += self._pass_handovers(exclude=member, also=promoted)
        if any(isinstance(e, SecretRotated) for e in effects):
            self.keeper.expire(now)
            effects.append(BindingsChanged())
        return out, effects + self._recheck()

    def _carry_over(self, epoch: int) -> set[bytes]:
        """We moved to ``epoch``: live links to members who are still members keep carrying
        the conversation (they were authenticated by their keys; the secret only guards new
        handshakes), now counted at ``epoch``; any other link at an older epoch is for
        hand-overs only. Returns the members whose links were carried over."""
        carried = set()
        for key, peer in self._peers.items():
            if peer.epoch >= epoch:
                continue
            if peer.handover_only or not self.state.is_member(key):
                peer.handover_only = True
            else:
                peer.epoch = epoch
                peer.carried = True
                carried.add(key)
        return carried

    def _recheck(self) -> list[Effect]:
        """Links carried over a rotation keep the conversation only for members the rotation
        that counts was sealed to (or its maker): a link carried before we knew whom it was
        sealed to (say, an identity we let in while away, after a removal we had not heard
        of) is cut here."""
        if self.state.epoch != self.circle.epoch or self.state.rotator is None:
            return []
        allowed = self.state.rotation_recipients | {self.state.rotator}
        out: list[Effect] = []
        for key, peer in self._peers.items():
            if peer.carried and not peer.handover_only and key not in allowed:
                peer.handover_only = True
                out.append(StaleLink(key))
        return out

    def _signers(self) -> set[bytes]:
        """Who may sign a hand-over: the host and whoever was ever a co-moderator."""
        host = self.circle.host_key
        return set() if host is None else {host, *self.state.derived.terms}

    def link_epoch(self, member: bytes) -> int | None:
        """The epoch the link to ``member`` counts at now (None: not linked)."""
        peer = self._peers.get(member)
        return None if peer is None else peer.epoch

    def _pass_handovers(
        self, *, exclude: bytes | None, also: Iterable[bytes] = ()
    ) -> list[Outgoing]:
        """Each linked member still at an old epoch (or carried over to the new one, in
        ``also``) gets its own hand-over, if we hold it."""
        out = []
        carried = set(also)
        for key, peer in self._peers.items():
            if key == exclude or (peer.epoch >= self.circle.epoch and key not in carried):
                continue
            handover = self.keeper.handover_for(key)
            if handover is not None and handover.epoch == self.circle.epoch:
                out.append(Outgoing(key, encode(Handovers((handover.signed,)))))
        return out

    def _on_report(self, member: bytes, data: bytes, now: int) -> Result:
        if not self.state.is_moderator(self.me_key):
            # An ordinary member: nothing to open, nothing to pass on.
            return [], [self._drop(member, Reason.NOT_ADDRESSED, "report")]
        try:
            sealed = decode_sealed(data)
        except ReportError as exc:
            return [], [self._drop(member, exc.reason, "report")]
        if sealed.circle_id != self.circle.circle_id:
            return [], [self._drop(member, Reason.WRONG_CIRCLE, "report")]
        if sealed.id in self._seen_reports or sealed.id in self.queue:
            self.stats[Reason.DUPLICATE] += 1
            return [], []
        self._remember_report(sealed.id)
        out = [
            Outgoing(p, encode(Report(data)))
            for p in self._moderator_links(sealed.recipients)
            if p != member
        ]
        try:
            report = open_report(data, self.me)
        except ReportError as exc:
            return out, [self._drop(member, exc.reason, "report")]
        # The link it came over is deliberately not kept: a report names no reporter but its own.
        if self.queue.add(report, now) is not None:
            self.dirty = True
        return out, [ReportReceived(report)]

    def released_report(self, data: bytes, now: int) -> Result:
        """A sealed report an anonymous round released (docs/ANONYMITY.md): from nobody's link;
        every moderator present had it from the same round, so it is not passed on."""
        if not self.state.is_moderator(self.me_key):
            return [], []
        _out, effects = self._on_report(b"", data, now)
        return [], effects

    def _remember_report(self, report_id: bytes) -> None:
        self._seen_reports[report_id] = None
        while len(self._seen_reports) > self.limits.remember_reports:
            self._seen_reports.popitem(last=False)

    def _moderator_links(self, recipients: Iterable[bytes]) -> list[bytes]:
        wanted = set(recipients) & self.state.moderators()
        return [
            key
            for key, peer in self._peers.items()
            if key in wanted and key != self.me_key and not peer.handover_only
        ]

    # -- our own actions ------------------------------------------------------------------
    def act(self, action: Action, now: int) -> Result:
        """Sign and apply our moderation ``action`` and send it to every linked member.

        Raises :class:`~.errors.NotPermitted` if our role does not allow it (the UI shows why).
        """
        self.state.check_permitted(self.me_key, action)
        complete = self.state.complete(action)
        event = sign_event(self.me, self.state.next_seq(self.me_key), now, complete)
        targets = [k for k, p in self._peers.items() if not p.pending]
        applied = self.state.apply_many([event], now)
        if applied.rejected:
            error = applied.rejected[0][1]
            raise NotPermitted(error.reason, error.detail)
        self.dirty = True
        names = prefixes([self.me_key, *targets])
        out = [Outgoing(p, encode(Events((event.signed,), names))) for p in targets]
        return out + self._promote(applied.effects), list(applied.effects)

    def admit(self, member: bytes, pseudonym: str, now: int) -> Result:
        """(Host or co-moderator.) Certify ``member``: their links carry the conversation."""
        return self.act(Admit(member, pseudonym), now)

    def remove(self, member: bytes, now: int, *, rotate: bool = True) -> Result:
        """Remove ``member`` and, as the host or a co-moderator, rotate the secret right away
        (sealed to the certified members who remain), both events in one message."""
        out, effects = self.act(Remove(member), now)
        if rotate and self.state.is_moderator(self.me_key) and self.state.rotation_due:
            more_out, more = self.rotate(now)
            out = _merged(out, more_out)
            effects += more
        return out, effects

    def rotate(self, now: int, *, new_secret: bytes | None = None) -> Result:
        """(Host or co-moderator.) Give the circle a new secret and hand it to each certified
        member not removed (never to an identity only the roster names). Save the new circle
        (:class:`SecretRotated`) and :meth:`to_dict` *before* sending anything."""
        if not self.state.is_moderator(self.me_key):
            raise NotPermitted(Reason.NOT_PERMITTED, "only moderators rotate the secret")
        recipients = sorted(self.state.certified())
        try:
            rotation = plan_rotation(
                self.me,
                self.circle,
                recipients=recipients,
                seq=self.state.next_seq(self.me_key),
                now=now,
                min_epoch=self.state.epoch,
                new_secret=new_secret,
            )
        except RotationError as exc:
            raise NotPermitted(exc.reason, exc.detail) from None
        applied = self.state.apply_many([rotation.event], now)
        if applied.rejected:
            error = applied.rejected[0][1]
            raise NotPermitted(error.reason, error.detail)
        self.keeper.advance(self.circle, now)
        self.keeper.hold(rotation.handovers)
        self.circle = rotation.circle
        self.dirty = True
        out: list[Outgoing] = []
        blobs = [h.signed for h in rotation.handovers]
        told = [key for key in self._peers if self.state.is_member(key)]
        names = prefixes([self.me_key, *told])
        for key in told:
            out.append(Outgoing(key, encode(Events((rotation.event.signed,), names))))
            out += [Outgoing(key, m) for m in chunked(Handovers, blobs)]
        self._carry_over(rotation.circle.epoch)
        return out, [SecretRotated(rotation.circle), *applied.effects, BindingsChanged()]

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
        sealed = make_report(
            self.circle.circle_id,
            member,
            reason,
            details,
            moderators=self.state.moderators(),
            now=now,
            evidence=evidence,
            reporter=None if anonymous else self.me,
        )
        delay = self._delay(self.limits.report_delay_ms) if anonymous else 0
        return sealed, self._queue_report(sealed, now, now + delay)

    def notify_moderators(self, notice: HostNotice, now: int) -> Result:
        """Tell the moderators that our client cut ``notice.peer`` off for flooding (a signed
        report; ignored in circles without moderators)."""
        if self.state.host_key is None or notice.peer == self.state.host_key:
            return [], []
        try:
            sealed = make_report(
                self.circle.circle_id,
                notice.peer,
                ReportReason.FLOOD,
                "",
                moderators=self.state.moderators(),
                now=now,
                reporter=self.me,
            )
        except ReportError:
            return [], []
        return self._queue_report(sealed, now, now)

    def _queue_report(self, sealed: SealedReport, now: int, not_before: int) -> Result:
        effects: list[Effect] = []
        self._remember_report(sealed.id)
        if self.me_key in sealed.recipients:
            try:
                own = open_report(sealed.data, self.me)
            except ReportError:  # pragma: no cover - we sealed it ourselves
                own = None
            if own is not None and self.queue.add(own, now) is not None:
                effects.append(ReportReceived(own))
        if set(sealed.recipients) - {self.me_key}:
            if len(self._pending) >= self.limits.max_pending_reports:
                raise ReportError(Reason.TOO_MANY, "too many reports waiting for a moderator")
            expires = now + self.limits.report_expiry_ms
            self._pending.append(_Pending(sealed, not_before, expires))
        self.dirty = True
        out, more = self._flush_reports(now)
        return out, effects + more

    def _flush_reports(self, now: int) -> Result:
        """Send due reports over links to the moderators they are sealed to."""
        out: list[Outgoing] = []
        effects: list[Effect] = []
        keep: list[_Pending] = []
        for item in self._pending:
            if item.expires <= now:
                self.dirty = True
                continue
            if item.not_before <= now:
                first = not item.delivered
                for key in self._moderator_links(item.report.recipients):
                    if key not in item.delivered:
                        item.delivered.add(key)
                        out.append(Outgoing(key, encode(Report(item.report.data))))
                        self.dirty = True
                if first and item.delivered:
                    effects.append(ReportDelivered(item.report.id))
            if set(item.report.recipients) - {self.me_key} - item.delivered:
                keep.append(item)
        self._pending = keep
        return out, effects

    def pending_reports(self) -> list[SealedReport]:
        """Our reports still on their way to some moderator."""
        return [p.report for p in self._pending]

    # -- time and flooding ----------------------------------------------------------------
    def tick(self, now: int) -> Result:
        """At :meth:`next_deadline`: due reports go out, old epochs expire."""
        out, effects = self._flush_reports(now)
        if self.keeper.expire(now):
            self.dirty = True
            effects.append(BindingsChanged())
        return out, effects

    def next_deadline(self, now: int) -> int | None:
        """When :meth:`tick` next has work: a report whose delay ends or that expires, an old
        epoch whose grace ends (at once when no hand-over is pending); None when nothing
        waits on time. Reports waiting for a moderator also go when one links."""
        due = [p.not_before if p.not_before > now else p.expires for p in self._pending]
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

    def _drop(self, peer: bytes, reason: Reason, what: str) -> Dropped:
        self.stats[reason] += 1
        return Dropped(peer, reason, what)

    # -- storage --------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Everything to save, msgpack-able. Holds old secrets: the encrypted database only."""
        return {
            "format": ENGINE_FORMAT,
            "state": self.state.to_dict(),
            "keeper": self.keeper.to_dict(),
            "queue": self.queue.to_dict(),
            "pending": [
                [p.report.data, p.not_before, p.expires, sorted(p.delivered)] for p in self._pending
            ],
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
        engine = cls(circle, me, state=state, keeper=keeper, queue=queue, **options)
        pending = data.get("pending")
        if not isinstance(pending, list):
            raise StateError(Reason.MALFORMED, "stored pending reports")
        for item in pending:
            try:
                raw, not_before, expires, delivered = item
                sealed = decode_sealed(raw)
            except (ValueError, TypeError, ModerationError):
                raise StateError(Reason.MALFORMED, "a stored pending report") from None
            if not (isinstance(not_before, int) and isinstance(expires, int)):
                raise StateError(Reason.MALFORMED, "a stored pending report")
            engine._pending.append(
                _Pending(
                    sealed, not_before, expires, {k for k in delivered if isinstance(k, bytes)}
                )
            )
            engine._remember_report(sealed.id)
        return engine
