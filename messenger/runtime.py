"""One circle while the peer runs: its model, my membership in it, who is linked, its engine."""

from __future__ import annotations

from dataclasses import dataclass, field

from network.node import CircleBinding, PeerKey
from network.noise import KeyPair

from .circle import Circle
from .conversation import CircleSync
from .identity import IdentityError, IdentityProblem, Membership, VerifiedIdentity, verify
from .invite_link import InviteLink
from .roster import Roster, RosterEntry
from .views import CircleSettingsView, CircleView, DmPolicy, Retention, Role


@dataclass(frozen=True)
class LinkedPeer:
    """What the node's verifier returns for a member: who they are, and their statement."""

    identity: VerifiedIdentity
    statement: bytes


@dataclass
class CircleRuntime:
    circle: Circle
    membership: Membership
    engine: CircleSync  # touched only on the database thread (see Messenger._engine)
    roster: Roster
    links: dict[PeerKey, bytes] = field(default_factory=dict)  # link -> member key
    rendezvous: str | None = None
    unread: int = 0
    info: bytes | None = None  # the host's signed CircleInfo we hold
    info_revision: int = 0
    rules_accepted_revision: int = 0
    key_changed: set[bytes] = field(default_factory=set)  # members whose pinned key changed
    _binding: tuple[object, CircleBinding] | None = field(default=None, repr=False)

    @property
    def id(self) -> bytes:
        return self.circle.circle_id

    @property
    def role(self) -> Role:
        return Role.HOST if self.circle.is_host(self.membership.member_key) else Role.MEMBER

    def binding(self) -> CircleBinding:
        """How the node serves this circle. The same object while nothing it depends on
        changed, so that the node keeps this circle's links when another circle changes."""
        basis = (self.membership, self.circle.secret, self.circle.epoch, self.rendezvous)
        if self._binding is None or self._binding[0] != basis:
            self._binding = (basis, self._make_binding())
        return self._binding[1]

    def _make_binding(self) -> CircleBinding:
        circle_id = self.circle.circle_id

        def check(payload: bytes, remote_static: bytes) -> LinkedPeer:
            identity = verify(payload, remote_static, circle_id)
            if identity.member_key == self.membership.member_key:
                raise IdentityError(IdentityProblem.MALFORMED, "a link to ourselves")
            return LinkedPeer(identity, payload)

        keys = self.circle.keys
        return CircleBinding(
            tag=circle_id,
            discovery_key=keys.discovery_key,
            static=KeyPair.from_private(self.membership.noise_private),
            payload=self.membership.statement(),
            verify=check,
            psk=None if self.circle.is_lobby else keys.noise_psk,
            rendezvous=None if self.circle.is_lobby else self.rendezvous,
            rendezvous_tag_key=keys.rendezvous_tag_key,
        )

    def me_entry(self) -> RosterEntry:
        m = self.membership
        statement = m.statement()
        return RosterEntry(m.member_key, m.pseudonym, m.noise_public, statement)

    def link_for(self, member_key: bytes) -> PeerKey | None:
        for peer, key in self.links.items():
            if key == member_key:
                return peer
        return None

    def present(self) -> set[bytes]:
        return set(self.links.values())

    def name_of(self, member_key: bytes) -> str:
        if member_key == self.membership.member_key:
            return self.membership.pseudonym
        return self.roster.pseudonym(member_key) or f"member {member_key[:3].hex()}"

    def invite_link(self) -> str:
        return InviteLink.for_circle(self.circle, rendezvous=self.rendezvous).to_text()

    def view(self) -> CircleView:
        s = self.circle.settings
        kind = s.retention.kind.value
        retention = Retention(kind) if kind in {r.value for r in Retention} else Retention.DAYS
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
                retention=retention,
                retention_amount=s.retention.amount,
                dm_policy=policy,
                slow_mode_seconds=s.slow_mode_seconds,
                anonymous_posting=s.anonymous_posting,
            ),
            unread=self.unread,
            members_present=len(self.present()),
            invite_link=self.invite_link(),
            rules_revision=self.info_revision,
            rules_accepted=self.rules_accepted,
        )

    @property
    def rules_accepted(self) -> bool:
        """Rules need consent when there are any and this revision was not accepted yet."""
        if self.role is Role.HOST or not self.circle.rules:
            return True
        return self.rules_accepted_revision >= self.info_revision
