"""What the parts of one circle's moderation engine share: :mod:`.engine` drives them,
:mod:`.event_sync`, :mod:`.rotating` and :mod:`.report_relay` do their work on it.

That is the circle as we hold it now (its epoch and secret change when a rotation reaches us),
the moderation state, the rotation keeper, the links to members and what each may carry, the
count of refused input, and whether anything to save changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from network.ratelimit import TokenBucket

from ..circle import Circle
from ..conversation.events import Outgoing
from ..identity import Membership
from .effects import Dropped, Effect
from .errors import Reason
from .grace import RotationKeeper
from .state import ModerationState

Result = tuple[list[Outgoing], list[Effect]]


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
class Link:
    """The link to one member, as the engine counts it."""

    epoch: int
    handover_only: bool  # the moderation lane only: no posts, no direct messages
    bucket: TokenBucket
    pending: bool = False  # an identity no moderator admitted yet: nothing flows
    carried: bool = False  # made at an older epoch, kept across a rotation (see rotating.recheck)


@dataclass
class Context:
    """One circle's moderation as the engine's parts see it (one member's view)."""

    circle: Circle
    me: Membership
    state: ModerationState
    keeper: RotationKeeper
    links: dict[bytes, Link] = field(default_factory=dict)  # by member key
    stats: Counter[Reason] = field(default_factory=Counter)
    dirty: bool = False  # something to save changed (see CircleModeration.to_dict)

    @property
    def me_key(self) -> bytes:
        return self.me.member_key

    def drop(self, peer: bytes, reason: Reason, what: str) -> Dropped:
        """Count input from ``peer`` refused for ``reason``, and say so."""
        self.stats[reason] += 1
        return Dropped(peer, reason, what)

    def moderator_links(self, recipients: Iterable[bytes]) -> list[bytes]:
        """The moderators among ``recipients`` (not us) linked at the current epoch."""
        wanted = set(recipients) & self.state.moderators()
        return [
            key
            for key, link in self.links.items()
            if key in wanted and key != self.me_key and not link.handover_only
        ]
