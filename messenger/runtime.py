"""One circle while the peer runs: its model, my membership in it, who is linked, its engines.

Besides the conversation engine, each circle has its moderation engine (``mod``: removals,
rotations, reports, flood cool-downs) and my personal settings in it (``personal``: block, mute,
boundaries). After a secret rotation the circle may be bound at more than one epoch: the current
one under the tag ``circle_id``, old ones (not announced, hand-overs only) under
``circle_id + epoch``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from network.node import CircleBinding, PeerKey
from network.noise import KeyPair

from .circle import Circle
from .conversation import CircleSync
from .errors import HearthError
from .identity import IdentityError, IdentityProblem, Membership, VerifiedIdentity, verify
from .invite_link import InviteLink
from .keyschedule import CIRCLE_ID_SIZE, CircleKeys
from .moderation import CircleModeration, PersonalSettings
from .roster import Roster, RosterAsks, RosterEntry
from .safety import SafetyError, circle_code, pair_code
from .views import CircleSettingsView, CircleView, DmPolicy, MemberView, Role


class LinkRefused(HearthError):
    """The handshake's peer is a member we do not link with now (removed, cooling down, or at an
    old epoch without a hand-over to collect)."""

    code = "link_refused"


def _wall_ms() -> int:
    return int(time.time() * 1000)


def epoch_tag(circle_id: bytes, epoch: int, current: bool) -> bytes:
    """The node tag of one epoch's binding: the circle id for the current epoch."""
    return circle_id if current else circle_id + epoch.to_bytes(4, "big")


def circle_of_tag(tag: bytes) -> bytes:
    return tag[:CIRCLE_ID_SIZE]


@dataclass(frozen=True)
class LinkedPeer:
    """What the node's verifier returns for a member: who they are, and their statement."""

    identity: VerifiedIdentity
    statement: bytes
    epoch: int = 0  # the epoch of the circle's secret the link was made with


@dataclass
class CircleRuntime:
    circle: Circle
    membership: Membership
    engine: CircleSync  # on the event loop; its storage is an output (engine_storage.py)
    roster: Roster
    mod: CircleModeration  # on the event loop only (the engine reads ``is_member`` from it)
    personal: PersonalSettings = field(default_factory=PersonalSettings)
    links: dict[PeerKey, bytes] = field(default_factory=dict)  # current-epoch link -> member
    old_links: dict[PeerKey, bytes] = field(default_factory=dict)  # hand-over-only links
    link_epochs: dict[PeerKey, int] = field(default_factory=dict)
    rendezvous: str | None = None
    unread: int = 0
    info: bytes | None = None  # the host's signed CircleInfo we hold
    info_revision: int = 0
    rules_accepted_revision: int = 0
    key_changed: set[bytes] = field(default_factory=set)  # members whose pinned key changed
    last_post_ms: int | None = None  # when I last posted here (slow mode)
    waiting: dict[PeerKey, LinkedPeer] = field(default_factory=dict)  # links not admitted yet
    requests: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # id -> key, name
    denied: set[bytes] = field(default_factory=set)  # newcomers a moderator turned away
    roster_asks: RosterAsks = field(default_factory=RosterAsks)  # entries asked for, when
    expected: dict[str, int] = field(default_factory=dict)  # code joins let in: name -> until
    clock_ms: Callable[[], int] = field(default=_wall_ms, repr=False)
    _bindings: dict[int, tuple[object, CircleBinding]] = field(default_factory=dict, repr=False)

    @property
    def id(self) -> bytes:
        return self.circle.circle_id

    @property
    def me(self) -> bytes:
        return self.membership.member_key

    @property
    def role(self) -> Role:
        return self.mod.role(self.membership.member_key)

    @property
    def is_moderator(self) -> bool:
        return self.mod.state.is_moderator(self.membership.member_key)

    @property
    def removed_me(self) -> bool:
        """I was removed from this circle: no more links, no more posts."""
        return self.mod.state.is_removed(self.membership.member_key)

    def dm_allowed(self, peer: bytes) -> bool:
        """The circle's direct-message policy, between me and ``peer`` (either direction)."""
        state = self.mod.state
        return state.is_member(peer) and self.circle.settings.direct_messages.allows(
            sender_is_moderator=state.is_moderator(peer),
            recipient_is_moderator=state.is_moderator(self.me),
        )

    def bindings(self) -> list[CircleBinding]:
        """How the node serves this circle: one binding per epoch the moderation engine keeps
        (none once I was removed). Each is the same object while nothing it depends on changed,
        so that the node keeps this circle's links when another circle changes."""
        if self.removed_me:
            self._bindings.clear()
            return []
        out: dict[int, tuple[object, CircleBinding]] = {}
        for epoch in self.mod.bindings(self.clock_ms()):
            rendezvous = self.rendezvous if epoch.current else None
            basis = (self.membership, epoch.keys, epoch.current, epoch.announce, rendezvous)
            cached = self._bindings.get(epoch.epoch)
            if cached is None or cached[0] != basis:
                made = self._make_binding(epoch.epoch, epoch.keys, epoch.current, epoch.announce)
                cached = (basis, made)
            out[epoch.epoch] = cached
        self._bindings = out
        return [b for _, b in out.values()]

    def binding(self) -> CircleBinding:
        """The current epoch's binding."""
        return self.bindings()[0]

    def _make_binding(
        self, epoch: int, keys: CircleKeys, current: bool, announce: bool
    ) -> CircleBinding:
        circle_id = self.circle.circle_id

        def check(payload: bytes, remote_static: bytes) -> LinkedPeer:
            identity = verify(payload, remote_static, circle_id)
            if identity.member_key == self.membership.member_key:
                raise IdentityError(IdentityProblem.MALFORMED, "a link to ourselves")
            decision = self.mod.link_decision(identity.member_key, epoch, self.clock_ms())
            if not decision.accepted:
                reason = decision.reason.value if decision.reason else "refused"
                raise LinkRefused(f"not linking with that member now: {reason}")
            return LinkedPeer(identity, payload, epoch)

        lobby = self.circle.is_lobby
        return CircleBinding(
            tag=epoch_tag(circle_id, epoch, current),
            discovery_key=keys.discovery_key,
            static=KeyPair.from_private(self.membership.noise_private),
            payload=self.membership.statement(),
            verify=check,
            psk=None if lobby else keys.noise_psk,
            rendezvous=None if lobby or not current else self.rendezvous,
            rendezvous_tag_key=keys.rendezvous_tag_key,
            announce=announce,
        )

    def me_entry(self) -> RosterEntry:
        m = self.membership
        statement = m.statement()
        return RosterEntry(m.member_key, m.pseudonym, m.noise_public, statement)

    def link_for(self, member_key: bytes) -> PeerKey | None:
        """The member's current-epoch link (the one that carries the conversation)."""
        for peer, key in self.links.items():
            if key == member_key:
                return peer
        return None

    def any_link_for(self, member_key: bytes) -> PeerKey | None:
        """The member's link for the moderation lane: current epoch first, else an old one."""
        found = self.link_for(member_key)
        if found is not None:
            return found
        for peer, key in self.old_links.items():
            if key == member_key:
                return peer
        return None

    def links_of(self, member_key: bytes) -> list[PeerKey]:
        return [p for p, k in (*self.links.items(), *self.old_links.items()) if k == member_key]

    def ring(self) -> list[bytes]:
        """Who an anonymous post may come from and who takes part in anonymous rounds: me and
        every member of the roster not removed (the one place to switch to certified members)."""
        keys = {e.member_key for e in self.roster.entries() if self.mod.is_member(e.member_key)}
        return sorted(keys | {self.me})

    def present(self) -> set[bytes]:
        return set(self.links.values())

    def member_views(self) -> list[MemberView]:
        """Me, and every member not removed (``present``: linked now)."""
        me, circle_id = self.membership, self.id
        present = self.present()
        views = [MemberView(circle_id, me.member_key, me.pseudonym, self.role, True, is_me=True)]
        for entry in self.roster.entries():
            key = entry.member_key
            if not self.mod.is_member(key):
                continue  # removed
            views.append(
                MemberView(
                    circle_id,
                    key,
                    entry.pseudonym,
                    self.mod.role(key),
                    key in present,
                    blocked=self.personal.is_blocked(key),
                    muted=self.personal.is_muted(key),
                    key_changed=key in self.key_changed,
                    safety_number=str(pair_code(circle_id, me.member_key, key)),
                )
            )
        return views

    def name_of(self, member_key: bytes) -> str:
        if member_key == self.membership.member_key:
            return self.membership.pseudonym
        return self.roster.pseudonym(member_key) or f"member {member_key[:3].hex()}"

    def roster_code(self) -> str:
        """The circle code over me and every member I know: read it aloud in the room; the
        same code means everyone sees the same members."""
        keys = [self.membership.member_key, *(e.member_key for e in self.roster.entries())]
        try:
            return str(circle_code(self.circle.circle_id, keys))
        except SafetyError:
            return ""

    def invite_link(self) -> str:
        """The circle's invite link ("" for the open lobby, which needs none)."""
        if self.circle.is_lobby:
            return ""
        return InviteLink.for_circle(self.circle, rendezvous=self.rendezvous).to_text()

    def view(self) -> CircleView:
        s = self.circle.settings
        policy = {"anyone": DmPolicy.EVERYONE, "moderators": DmPolicy.MODERATORS}.get(
            s.direct_messages.value, DmPolicy.NOBODY
        )
        return CircleView(
            id=self.id,
            name=self.circle.name,
            description=self.circle.description,
            rules=self.circle.rules,
            role=self.role,
            my_pseudonym=self.membership.pseudonym,
            my_key=self.membership.member_key,
            settings=CircleSettingsView(
                retention=s.retention.kind,
                retention_amount=s.retention.amount,
                dm_policy=policy,
                slow_mode_seconds=self.mod.state.slow_mode,
                anonymous_posting=s.anonymous_posting,
                auto_approve=s.auto_approve,
            ),
            unread=self.unread,
            members_present=len(self.present()) + 1,  # me, and every member linked now
            members=len(self.ring()),
            invite_link="" if self.removed_me else self.invite_link(),
            rules_revision=self.info_revision,
            roster_code=self.roster_code(),
            rules_accepted=self.rules_accepted,
            removed=self.removed_me,
            waiting=not self.removed_me and not self.mod.state.is_certified(self.me),
        )

    @property
    def rules_accepted(self) -> bool:
        """Rules need consent when there are any and this revision was not accepted yet."""
        if self.role is Role.HOST or not self.circle.rules:
            return True
        return self.rules_accepted_revision >= self.info_revision
