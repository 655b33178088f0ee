"""The grace period after a rotation: old epochs kept for the members who were away.

A member who missed the rotation (:mod:`.rotation`) still holds only the old secret, so it can
reach nobody at the new epoch. So, for a grace period (:data:`DEFAULT_GRACE_MS`), members who
hold hand-overs for others keep the old epoch bound as well, with these rules
(:meth:`RotationKeeper.decide`):

- at the current epoch: any member who is not removed (new joiners included);
- at an old epoch: only a member for whom we hold a hand-over — a member the host knew and did
  not remove, authenticated by the handshake (Noise static key + signed identity statement) —
  and the link carries the moderation lane only (events and the hand-over), no posts and no
  direct messages; the member then binds the new epoch and reconnects;
- a removed member is refused at every epoch. The removed member holds the old secret and could
  sign a fresh identity with it, but that key is in no hand-over, so it is refused too.

Old epochs are not announced on discovery (:class:`EpochBinding` ``announce=False``): members only
answer (and dial) there, so the removed member's copy discovers nobody. An old epoch is dropped when
its grace period ends or when every member we hold a hand-over for has been seen at the new one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from ..circle import Circle
from ..keyschedule import SECRET_SIZE, CircleKeys
from .actions import MAX_RECIPIENTS
from .errors import Reason, RotationError, StateError
from .rotation import Handover, decode_handover

DEFAULT_GRACE_MS = 7 * 24 * 3600 * 1000
MAX_OLD_EPOCHS = 2
KEEPER_FORMAT = 1


class LinkKind(Enum):
    ACCEPT = "accept"  # the current epoch: everything flows
    HANDOVER_ONLY = "handover_only"  # an old epoch: the moderation lane only
    REFUSE = "refuse"


@dataclass(frozen=True)
class LinkDecision:
    kind: LinkKind
    reason: Reason | None = None

    @property
    def accepted(self) -> bool:
        return self.kind is not LinkKind.REFUSE


@dataclass(frozen=True, repr=False)
class EpochBinding:
    """One epoch to bind the circle at: its keys, whether to announce it on discovery."""

    epoch: int
    keys: CircleKeys
    current: bool
    announce: bool

    def __repr__(self) -> str:
        return f"EpochBinding(epoch={self.epoch}, current={self.current})"


@dataclass(frozen=True, repr=False)
class OldEpoch:
    epoch: int
    secret: bytes
    until: int  # ms

    @property
    def keys(self) -> CircleKeys:
        return CircleKeys.from_secret(self.secret, self.epoch)


class RotationKeeper:
    """Old epochs kept for a grace period, and hand-overs held to pass on (one circle)."""

    def __init__(
        self, circle_id: bytes, host_key: bytes | None, *, grace_ms: int = DEFAULT_GRACE_MS
    ) -> None:
        self.circle_id = circle_id
        self.host_key = host_key
        self.grace_ms = grace_ms
        self.old: dict[int, OldEpoch] = {}
        self._handovers: dict[bytes, Handover] = {}  # the newest epoch's, by recipient
        self._handover_epoch = 0
        self._seen: set[bytes] = set()  # recipients seen at the current epoch

    # -- hand-overs -----------------------------------------------------------------------
    @property
    def handover_epoch(self) -> int:
        return self._handover_epoch

    def hold(self, handovers: Iterable[Handover]) -> list[Handover]:
        """Keep checked hand-overs of the newest epoch to pass on; returns the ones newly held."""
        kept: list[Handover] = []
        for handover in handovers:
            if handover.circle_id != self.circle_id or handover.epoch < self._handover_epoch:
                continue
            if handover.epoch > self._handover_epoch:
                self._handovers.clear()
                self._seen.clear()
                self._handover_epoch = handover.epoch
            held = self._handovers.get(handover.recipient)
            if held == handover:
                continue
            if held is None and len(self._handovers) >= MAX_RECIPIENTS:
                continue
            self._handovers[handover.recipient] = handover
            kept.append(handover)
        return kept

    def handover_for(self, member: bytes) -> Handover | None:
        return self._handovers.get(member)

    def handovers(self) -> list[Handover]:
        return list(self._handovers.values())

    # -- epochs ---------------------------------------------------------------------------
    def advance(self, old_circle: Circle, now: int) -> None:
        """We moved past ``old_circle``'s epoch: keep its secret for the grace period."""
        self.old[old_circle.epoch] = OldEpoch(
            old_circle.epoch, old_circle.secret, now + self.grace_ms
        )
        while len(self.old) > MAX_OLD_EPOCHS:
            del self.old[min(self.old)]

    def seen_current(self, member: bytes) -> None:
        """A member linked at the current epoch: they need no hand-over any more."""
        if member in self._handovers:
            self._seen.add(member)

    def pending(self) -> set[bytes]:
        """Members we hold a hand-over for and have not seen at the current epoch."""
        return set(self._handovers) - self._seen

    def expire(self, now: int) -> bool:
        """Drop old epochs past their grace, or all of them once nobody is pending."""
        before = len(self.old)
        if not self.pending():
            self.old.clear()
        else:
            self.old = {e: o for e, o in self.old.items() if o.until > now}
        return len(self.old) != before

    def decide(
        self, member: bytes, link_epoch: int, current_epoch: int, now: int, *, is_member: bool
    ) -> LinkDecision:
        """Whether to keep a link to ``member`` made at ``link_epoch`` (see the module doc)."""
        if not is_member:
            return LinkDecision(LinkKind.REFUSE, Reason.REMOVED)
        if link_epoch == current_epoch:
            return LinkDecision(LinkKind.ACCEPT)
        old = self.old.get(link_epoch)
        if old is None or old.until <= now or link_epoch > current_epoch:
            return LinkDecision(LinkKind.REFUSE, Reason.STALE_EPOCH)
        handover = self._handovers.get(member)
        if handover is None or handover.epoch != current_epoch:
            return LinkDecision(LinkKind.REFUSE, Reason.NOT_ADDRESSED)
        return LinkDecision(LinkKind.HANDOVER_ONLY)

    def bindings(self, circle: Circle, now: int) -> list[EpochBinding]:
        """The epochs to bind ``circle`` at now: the current one (announced), and old ones kept
        for members who were away (not announced)."""
        out = [EpochBinding(circle.epoch, circle.keys, current=True, announce=True)]
        if self.pending():
            for epoch in sorted(self.old, reverse=True):
                old = self.old[epoch]
                if old.until > now and epoch < circle.epoch:
                    out.append(EpochBinding(epoch, old.keys, current=False, announce=False))
        return out

    # -- storage (holds secrets: keep it in the encrypted database only) -------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "format": KEEPER_FORMAT,
            "circle": self.circle_id,
            "old": [[o.epoch, o.secret, o.until] for o in self.old.values()],
            "handovers": [h.signed for h in self._handovers.values()],
            "seen": sorted(self._seen),
        }

    @classmethod
    def from_dict(
        cls,
        data: object,
        host_key: bytes | None,
        *,
        grace_ms: int = DEFAULT_GRACE_MS,
        signers: Iterable[bytes] = (),
    ) -> RotationKeeper:
        if not isinstance(data, dict) or data.get("format") != KEEPER_FORMAT:
            raise StateError(Reason.UNKNOWN_VERSION, "stored rotation state")
        circle = data.get("circle")
        old, handovers, seen = data.get("old"), data.get("handovers"), data.get("seen")
        if not isinstance(circle, bytes):
            raise StateError(Reason.MALFORMED, "stored rotation state")
        if not (isinstance(old, list) and isinstance(handovers, list) and isinstance(seen, list)):
            raise StateError(Reason.MALFORMED, "stored rotation state")
        keeper = cls(circle, host_key, grace_ms=grace_ms)
        for item in old:
            if not (isinstance(item, list) and len(item) == 3):
                raise StateError(Reason.MALFORMED, "a stored old epoch")
            epoch, secret, until = item
            if not (
                isinstance(epoch, int) and isinstance(secret, bytes) and isinstance(until, int)
            ):
                raise StateError(Reason.MALFORMED, "a stored old epoch")
            if len(secret) != SECRET_SIZE:
                raise StateError(Reason.MALFORMED, "a stored old epoch")
            keeper.old[epoch] = OldEpoch(epoch, secret, until)
        try:
            keys = None if host_key is None else {host_key, *signers}
            keeper.hold(decode_handover(h, keys) for h in handovers)
        except (RotationError, TypeError) as exc:
            raise StateError(Reason.MALFORMED, f"a stored hand-over: {exc}") from None
        for key in seen:
            if isinstance(key, bytes):
                keeper.seen_current(key)  # kept only for members we hold a hand-over for
        return keeper
