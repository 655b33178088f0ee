"""The :class:`Messenger` facade: the one object the desktop app and the headless peer drive.

It owns the profile's store, the network node and one :class:`CircleRuntime` per circle. Node
events are handled one at a time, in order, by one task; each circle's conversation engine runs
on the store's database thread (its post log is the SQLCipher store), so the event loop, which
is Qt's in the desktop app, never waits on SQL.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

import msgpack

from network.errors import NetworkError
from network.node import (
    CircleBinding,
    Node,
    NodeConfig,
    NodeEvent,
    PeerKey,
)
from network.tasks import TaskSet

from . import dm_history, persist
from . import pseudonym as pseudonyms
from .circle import (
    Circle,
    CircleSettings,
    DirectMessages,
    RetentionPolicy,
    create_circle,
    lobby,
)
from .circle import Retention as RetentionKind
from .circle_info import sign_info
from .conversation import (
    CircleSync,
    DirectMessage,
    DmSettings,
    Outgoing,
    RateLimits,
    SignedPost,
    sign_dm,
    sign_post,
)
from .conversation.records import StorePostLog, post_from_record
from .errors import HearthError
from .events import (
    CircleEvent,
    CirclesChanged,
    Event,
    PostEvent,
)
from .identity import Membership
from .inbound import LinkHandling
from .invite_link import parse as parse_link
from .joining import Joining
from .keyschedule import LOBBY_ID
from .moderating import Moderation, present_post
from .moderation import EngineLimits
from .mux import Lane
from .options import LaunchOptions
from .pinning import KeyPins
from .profile_open import open_store
from .roster import Roster
from .runtime import CircleRuntime
from .safety import pair_code
from .storage import AsyncStore, CircleRecord, KdfParams, MembershipRecord, wipe_profile_async
from .verification import Verification
from .views import (
    CircleSettingsView,
    CircleView,
    DeliveryState,
    DirectMessageView,
    DmPolicy,
    JoinCodeView,
    MemberView,
    PostView,
    Retention,
    Role,
)

log = logging.getLogger(__name__)

Subscriber = Callable[[Event], None]
T = TypeVar("T")
TICK_SECONDS = 1.0
PURGE_EVERY_TICKS = 60


class StartError(HearthError):
    code = "start_failed"


class NotFound(HearthError):
    code = "not_found"


class NotRunning(HearthError):
    code = "not_running"


class NotAllowed(HearthError):
    code = "not_allowed"


class Messenger(LinkHandling):
    """Owns the profile, the circles and the network node for one running peer."""

    def __init__(
        self,
        options: LaunchOptions,
        *,
        node_config: NodeConfig | None = None,
        kdf: KdfParams | None = None,
        clock: Callable[[], float] = time.time,
        rate_limits: RateLimits | None = None,
        moderation_limits: EngineLimits | None = None,
    ) -> None:
        self.options = options
        self._node_config = node_config or NodeConfig(interfaces=options.interfaces)
        self._kdf = kdf
        self._rate_limits = rate_limits
        self._dm_settings = DmSettings()  # read receipts and typing indicators: off
        self._moderation_limits = moderation_limits
        self._clock = clock
        self._subscribers: list[Subscriber] = []
        self._tasks = TaskSet(self._task_failed)
        self._inbox: asyncio.Queue[NodeEvent] = asyncio.Queue()
        self._store: AsyncStore | None = None
        self._node: Node | None = None
        self._joining: Joining | None = None
        self._circles: dict[bytes, CircleRuntime] = {}
        self._pins = KeyPins()
        self._started = False
        self.moderation = Moderation(self)
        """Remove, block, mute, report, hide, slow mode, the moderation queue (moderating.py)."""
        self.verification = Verification(self)
        """Safety numbers compared in person, kept in the profile (verification.py)."""

    # -- events ---------------------------------------------------------------------------
    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback`` with every event from now on; returns a function that unsubscribes."""
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback)

    def emit(self, event: Event) -> None:
        for callback in list(self._subscribers):
            callback(event)

    # -- life cycle -----------------------------------------------------------------------
    @property
    def profile_label(self) -> str:
        return "ephemeral" if self.options.ephemeral else str(self.options.profile)

    @property
    def listen_addresses(self) -> list[str]:
        return [str(a) for a in self._node.listen_addresses] if self._node else []

    @property
    def running(self) -> bool:
        return self._started

    async def start(self, passphrase: str | None = None) -> None:
        """Open the profile (Argon2id off the loop), load its circles, start the node."""
        self._store = await open_store(self.options, passphrase, kdf=self._kdf)
        try:
            self._node = Node(self._inbox.put_nowait, self._node_config)
            self._joining = Joining(self._node, self.emit, self._clock)
            await self._load_circles()
            await self.verification.load()
            await self._node.set_circles(self._bindings())
            await self._node.start()
        except (NetworkError, OSError) as exc:
            await self.close()
            raise StartError(f"cannot start the network: {exc}") from exc
        except BaseException:
            await self.close()
            raise
        await self.enforce_retention(ending_session=True)  # left over from a crash
        await self.enforce_retention()
        self._tasks.spawn(self._process_inbox(), "messenger-inbox")
        self._tasks.spawn(self._ticker(), "messenger-ticker")
        self._started = True
        log.info("peer started with %d circle(s)", len(self._circles))

    async def close(self) -> None:
        """Leave the network (mDNS goodbye, links closed), close the database."""
        self._started = False
        await self._tasks.close()
        await self._close_network()
        if self._store is not None and not self._store.closed:
            try:
                if LOBBY_ID in self._circles:
                    await self._forget_circle(LOBBY_ID)
                await self.enforce_retention(ending_session=True)
            except HearthError as exc:
                log.info("retention at exit failed: %s", exc.code)
        if self._store is not None:
            await self._store.close()
            self._store = None
        self._circles.clear()

    async def wipe(self) -> None:
        """Crypto-erase the whole profile now: keys gone, database deleted, nothing readable."""
        self._started = False
        await self._tasks.close()
        await self._close_network()
        store, self._store = self._store, None
        self._circles.clear()
        if store is None:
            return
        if store.ephemeral:
            await store.close()
        else:
            await wipe_profile_async(self.options.profile, store)

    async def _close_network(self) -> None:
        if self._joining is not None:
            await self._joining.close()
            self._joining = None
        if self._node is not None:
            await self._node.close()
            self._node = None

    def _db(self) -> AsyncStore:
        return self._require()[0]

    def _require(self) -> tuple[AsyncStore, Node]:
        if self._store is None or self._node is None:
            raise NotRunning("the peer is not running")
        return self._store, self._node

    def _now_ms(self) -> int:
        return int(self._clock() * 1000)

    # -- circles --------------------------------------------------------------------------
    async def _forget_circle(self, circle_id: bytes) -> None:
        store = self._store
        if store is not None:
            await store.delete_circle(circle_id)
            await persist.forget(store, circle_id)

    # -- the open lobby ---------------------------------------------------------------------
    @property
    def lobby_visible(self) -> bool:
        return LOBBY_ID in self._circles

    async def set_lobby_visible(self, visible: bool) -> CircleView | None:
        """Be findable in the open lobby (off by default), under a fresh pseudonym and keys
        each time, so nothing links the lobby to a circle or to an earlier visit; its history
        is never kept past the session."""
        present = self._circles.get(LOBBY_ID)
        if visible and present is None:
            circle = lobby()
            membership = Membership.generate(circle.circle_id, pseudonyms.generate())
            rt = await self._make_runtime(circle, membership)
            return await self._announce_new(rt)
        if not visible and present is not None:
            await self.leave(LOBBY_ID)
        return None

    async def _load_circles(self) -> None:
        store, _ = self._require()
        self._pins = await persist.load_pins(store)
        memberships = {m.circle_id: m for m in await store.memberships()}
        for record in await store.circles(include_left=False):
            mrec = memberships.get(record.id)
            if mrec is None:
                continue
            circle = Circle.from_dict(msgpack.unpackb(record.record, raw=False))
            if circle.is_lobby:  # left over from a session that did not end cleanly
                await self._forget_circle(record.id)
                continue
            membership = Membership.from_dict(msgpack.unpackb(mrec.record, raw=False))
            rt = await self._make_runtime(circle, membership)
            await persist.load_extras(store, rt)

    async def _make_runtime(self, circle: Circle, membership: Membership) -> CircleRuntime:
        store, _ = self._require()
        policy = circle.settings.retention

        def cutoff(now_ms: int) -> int | None:
            value = policy.cutoff(now_ms / 1000)
            return None if value is None else int(value * 1000)

        mod, personal = await persist.load_moderation(
            store, circle, membership, self._moderation_limits
        )
        made: list[CircleRuntime] = []

        def dm_allowed(peer: bytes) -> bool:
            return made[0].dm_allowed(peer) if made else False

        def build(s: object) -> CircleSync:
            return CircleSync(
                circle.circle_id,
                membership.member_key,
                StorePostLog(s, circle.circle_id),  # type: ignore[arg-type]
                is_member=mod.is_member,
                retention_cutoff=cutoff,
                rate_limits=self._rate_limits,
                dm_allowed=dm_allowed,
                dm_declined=personal.blocked,
                dm_accepted=accepted,
                dm_settings=self._dm_settings,
                dm_already_received=lambda message_id: s.get_dm(message_id) is not None,  # type: ignore[attr-defined]
            )

        stored = await store.get_setting(dm_history.accepted_key(circle.circle_id), [])
        accepted = [k for k in stored if isinstance(k, bytes)] if isinstance(stored, list) else []
        engine = await store.run(build)
        now = self._now_ms()

        def requeue(s: object) -> None:
            for message in dm_history.waiting(s, circle.circle_id):  # type: ignore[arg-type]
                engine.send_dm(message, now)

        await store.run(requeue)
        rt = CircleRuntime(mod.circle, membership, engine, Roster(circle.circle_id), mod, personal)
        rt.clock_ms = self._now_ms
        made.append(rt)
        rt.rendezvous = self.options.rendezvous
        self._circles[circle.circle_id] = rt
        return rt

    async def _save(self, rt: CircleRuntime) -> None:
        store, _ = self._require()
        await store.save_circle(
            CircleRecord(
                rt.id,
                rt.circle.name,
                self._now_ms(),
                bytes(msgpack.packb(rt.circle.to_dict(), use_bin_type=True)),
            )
        )
        await store.save_membership(
            MembershipRecord(
                rt.id, bytes(msgpack.packb(rt.membership.to_dict(), use_bin_type=True))
            )
        )

    def _bindings(self) -> list[CircleBinding]:
        return [b for rt in self._circles.values() for b in rt.bindings()]

    async def _rebind(self) -> None:
        _, node = self._require()
        await node.set_circles(self._bindings())

    async def _disconnect(self, peer: PeerKey) -> None:
        """Close a link in the background (what was sent on it before still goes first)."""
        if self._node is not None:
            self._tasks.spawn(self._node.disconnect(peer), "messenger-disconnect")

    def circles(self) -> list[CircleView]:
        return [rt.view() for rt in self._circles.values()]

    def circle(self, circle_id: bytes) -> CircleView:
        return self._runtime(circle_id).view()

    def _runtime(self, circle_id: bytes) -> CircleRuntime:
        rt = self._circles.get(circle_id)
        if rt is None:
            raise NotFound("no such circle")
        return rt

    def find_circle(self, name_or_id: str) -> CircleView:
        """A circle by its id (hex, or a prefix of it) or its name (ignoring case)."""
        wanted = name_or_id.strip().lower()
        for rt in self._circles.values():
            if rt.circle.name.lower() == wanted:
                return rt.view()
        matches = [rt for rt in self._circles.values() if rt.id.hex().startswith(wanted)]
        if wanted and len(matches) == 1:
            return matches[0].view()
        raise NotFound(f"no circle called {name_or_id!r}")

    async def create_circle(
        self,
        name: str,
        *,
        description: str = "",
        rules: str = "",
        settings: CircleSettingsView | None = None,
        pseudonym: str | None = None,
    ) -> CircleView:
        circle, membership = create_circle(
            name,
            pseudonym or pseudonyms.generate(),
            description=description,
            rules=rules,
            settings=_settings_from_view(settings) if settings else None,
        )
        rt = await self._make_runtime(circle, membership)
        info = sign_info(membership.signing_key, circle, 1)
        rt.info, rt.info_revision = info.signed, 1
        await persist.save_info(self._db(), rt)
        return await self._announce_new(rt)

    async def _announce_new(self, rt: CircleRuntime) -> CircleView:
        """A circle just created or joined: keep it, serve it on the network, tell the front
        ends."""
        await self._save(rt)
        await self._rebind()
        view = rt.view()
        self.emit(CirclesChanged())
        self.emit(CircleEvent(view))
        return view

    async def update_circle(
        self,
        circle_id: bytes,
        *,
        name: str | None = None,
        description: str | None = None,
        rules: str | None = None,
        settings: CircleSettingsView | None = None,
    ) -> CircleView:
        """(host) Change the circle's details; members receive them signed, and accept
        changed rules again."""
        rt = self._runtime(circle_id)
        if rt.role is not Role.HOST:
            raise NotAllowed("only the circle's host can change its details")
        circle = rt.circle.with_details(name=name, description=description, rules=rules)
        if settings is not None:
            circle = circle.with_settings(_settings_from_view(settings))
        info = sign_info(rt.membership.signing_key, circle, rt.info_revision + 1)
        rt.circle, rt.info, rt.info_revision = circle, info.signed, info.revision
        rt.mod.set_circle(circle)
        await self._save(rt)
        await persist.save_info(self._db(), rt)
        for peer in list(rt.links):
            await self._send(peer, Lane.CIRCLE_INFO, info.signed)
        self.emit(CirclesChanged())
        return rt.view()

    async def accept_rules(self, circle_id: bytes) -> CircleView:
        """This member accepts the circle's current rules."""
        rt = self._runtime(circle_id)
        rt.rules_accepted_revision = rt.info_revision
        await persist.save_rules_accepted(self._db(), rt)
        self.emit(CirclesChanged())
        return rt.view()

    async def save_ui_preferences(self, values: dict[str, object]) -> None:
        """The desktop app's own settings, kept in the profile (in memory when ephemeral)."""
        await self._db().set_setting("ui_preferences", values)

    async def ui_preferences(self) -> object:
        return await self._db().get_setting("ui_preferences")

    async def join_link(self, text: str, *, pseudonym: str | None = None) -> CircleView:
        """Join the circle of an invite link (a damaged or foreign link raises a clear error)."""
        link = parse_link(text)
        existing = self._circles.get(link.circle_id)
        if existing is not None:
            view = existing.view()
            self.emit(CircleEvent(view))
            return view
        circle = link.to_circle()
        membership = Membership.generate(circle.circle_id, pseudonym or pseudonyms.generate())
        rt = await self._make_runtime(circle, membership)
        rt.rendezvous = link.rendezvous or self.options.rendezvous
        return await self._announce_new(rt)

    def invite_link(self, circle_id: bytes) -> str:
        return self._runtime(circle_id).invite_link()

    async def dial(self, host: str, port: int, circle_id: bytes) -> None:
        """Connect to a member at ``host:port`` directly (no discovery needed)."""
        _, node = self._require()
        self._runtime(circle_id)
        try:
            await node.connect(host, port, circle_id)
        except NetworkError as exc:
            raise NotFound(f"could not reach that member: {exc}") from exc

    # -- spoken join codes ----------------------------------------------------------------
    def _joiner(self) -> Joining:
        if self._joining is None:
            raise NotRunning("the peer is not running")
        return self._joining

    async def open_join_code(self, circle_id: bytes, *, auto_approve: bool = False) -> JoinCodeView:
        """Open a spoken-code invitation (host only): read the code aloud; 10 minutes."""
        rt = self._runtime(circle_id)
        if rt.role is not Role.HOST:
            raise NotAllowed("only the circle's host can open a join code")
        event = await self._joiner().open(circle_id, rt.invite_link(), auto_approve=auto_approve)
        return JoinCodeView(circle_id, event.code, event.expires)

    def approve(self, request: str) -> None:
        self._joiner().approve(request)

    def deny(self, request: str, message: str | None = None) -> None:
        self._joiner().deny(request, message)

    async def join_code(self, text: str, *, pseudonym: str | None = None) -> CircleView:
        """Join with a code the host read aloud: find the host on the LAN, prove the code with
        SPAKE2, wait for the host's approval, then join with the link it sends."""
        name = pseudonym or pseudonyms.generate()
        link = await self._joiner().join(text, name)
        return await self.join_link(link, pseudonym=name)

    async def set_pseudonym(self, circle_id: bytes, name: str) -> CircleView:
        rt = self._runtime(circle_id)
        rt.membership = rt.membership.with_pseudonym(name)
        await self._save(rt)
        await self._rebind()  # links come back with the new signed statement
        self.emit(CirclesChanged())
        return rt.view()

    async def leave(self, circle_id: bytes, goodbye: str | None = None) -> None:
        """Say goodbye, then delete this circle's keys and history here."""
        store, _ = self._require()
        rt = self._runtime(circle_id)
        out = await self._engine(lambda: rt.engine.goodbye(goodbye))
        await self._deliver(rt, out)
        del self._circles[circle_id]
        await self._rebind()
        await store.delete_circle(circle_id)
        await persist.forget(store, circle_id)
        self.emit(CirclesChanged())

    def members(self, circle_id: bytes) -> list[MemberView]:
        rt = self._runtime(circle_id)
        me = rt.membership
        present = rt.present()
        views = [MemberView(circle_id, me.member_key, me.pseudonym, rt.role, True, is_me=True)]
        for entry in rt.roster.entries():
            if not rt.mod.is_member(entry.member_key):
                continue  # removed
            views.append(
                MemberView(
                    circle_id,
                    entry.member_key,
                    entry.pseudonym,
                    rt.mod.role(entry.member_key),
                    entry.member_key in present,
                    blocked=rt.personal.is_blocked(entry.member_key),
                    muted=rt.personal.is_muted(entry.member_key),
                    key_changed=entry.member_key in rt.key_changed,
                    safety_number=str(pair_code(circle_id, me.member_key, entry.member_key)),
                )
            )
        return self.verification.apply(views)

    def _member_key(self, rt: CircleRuntime, who: str) -> bytes:
        wanted = pseudonyms.comparison_key(who)
        for entry in rt.roster.entries():
            if pseudonyms.comparison_key(entry.pseudonym) == wanted:
                return entry.member_key
        for entry in rt.roster.entries():
            if entry.member_key.hex().startswith(who.lower()) and len(who) >= 6:
                return entry.member_key
        raise NotFound(f"no member called {who!r} in this circle")

    # -- posts ----------------------------------------------------------------------------
    async def post(
        self,
        circle_id: bytes,
        body: str,
        *,
        reply_to: bytes | None = None,
        content_warning: str | None = None,
    ) -> PostView:
        rt = self._runtime(circle_id)
        now = self._now_ms()
        self.moderation.check_may_post(rt, now)
        key = rt.membership.signing_key

        def publish() -> tuple[SignedPost, list[Outgoing]]:
            signed = sign_post(
                key,
                circle_id,
                rt.engine.next_seq(),
                body,
                now,
                reply_to=reply_to,
                content_warning=content_warning or None,
                anonymous=rt.circle.settings.anonymous_posting,
            )
            return signed, rt.engine.publish(signed, now)

        signed, out = await self._engine(publish)
        rt.last_post_ms = now
        view = self._post_view(rt, signed)
        self.emit(PostEvent(view))
        await self._deliver(rt, out)
        return view

    async def history(
        self, circle_id: bytes, limit: int = 50, before: PostView | None = None
    ) -> list[PostView]:
        """The newest ``limit`` posts (older than ``before``), oldest first."""
        store, _ = self._require()
        rt = self._runtime(circle_id)
        cursor = (int(before.ts * 1000), before.id) if before is not None else None
        records = await store.newest_posts(circle_id, limit, cursor)
        return [
            self._post_view(rt, post_from_record(r), hidden=r.hidden) for r in reversed(records)
        ]

    def _post_view(
        self, rt: CircleRuntime, post: SignedPost, *, hidden: bool = False, present: bool = True
    ) -> PostView:
        """The post as this person sees it (``present``: with their blocks, boundaries and the
        circle's moderation applied)."""
        env = post.envelope
        view = PostView(
            circle_id=env.circle_id,
            id=post.id,
            author_key=env.author_key,
            author="" if env.anonymous else rt.name_of(env.author_key),
            seq=env.seq,
            ts=env.ts / 1000,
            body=env.body,
            reply_to=env.reply_to,
            content_warning=env.content_warning,
            mine=env.author_key == rt.membership.member_key,
            hidden=hidden,
        )
        return present_post(rt, view) if present else view

    # -- direct messages ------------------------------------------------------------------
    async def send_dm(self, circle_id: bytes, who: str | bytes, body: str) -> DirectMessageView:
        rt = self._runtime(circle_id)
        peer = who if isinstance(who, bytes) else self._member_key(rt, who)
        self.moderation.check_may_dm(rt, peer)
        now = self._now_ms()
        message = sign_dm(rt.membership.signing_key, circle_id, peer, body, now)
        store, _ = self._require()
        await store.run(dm_history.record_sent, message)
        await self._remember_accepted(rt, peer)
        await self._step(rt, lambda: rt.engine.send_dm(message, now))
        return self._dm_view(rt, message.envelope.recipient_key, message, outgoing=True)

    async def accept_dm(self, circle_id: bytes, who: str | bytes) -> None:
        rt = self._runtime(circle_id)
        peer = who if isinstance(who, bytes) else self._member_key(rt, who)
        await self._remember_accepted(rt, peer)
        await self._step(rt, lambda: rt.engine.accept_dm(peer))

    async def set_dm_preferences(self, *, read_receipts: bool, typing_indicators: bool) -> None:
        """Read receipts and typing indicators (both off by default); each only works when
        both members turned it on."""
        self._dm_settings = dataclasses.replace(
            self._dm_settings, read_receipts=read_receipts, typing_indicators=typing_indicators
        )
        settings = self._dm_settings
        for rt in list(self._circles.values()):
            await self._engine(functools.partial(setattr, rt.engine.dms, "settings", settings))

    async def typing(self, circle_id: bytes, peer_key: bytes) -> None:
        """I am writing to this member (sent at most every few seconds, when allowed)."""
        rt = self._runtime(circle_id)
        now = self._now_ms()
        out = await self._engine(lambda: rt.engine.set_typing(peer_key, True, now))
        await self._deliver(rt, out)

    async def mark_read(self, circle_id: bytes, peer_key: bytes, ids: Sequence[bytes]) -> None:
        """I have read these messages from this member (tells them only with receipts on)."""
        rt = self._runtime(circle_id)
        out = await self._engine(lambda: rt.engine.mark_read(peer_key, ids))
        await self._deliver(rt, out)

    async def _remember_accepted(self, rt: CircleRuntime, peer: bytes) -> None:
        """Who we talk with privately, kept so their messages are no requests after a restart."""
        store, _ = self._require()
        key = dm_history.accepted_key(rt.id)
        known = await store.get_setting(key, [])
        peers = [k for k in known if isinstance(k, bytes)] if isinstance(known, list) else []
        if peer not in peers:
            await store.set_setting(key, [*peers, peer])

    async def direct_messages(
        self, circle_id: bytes, peer_key: bytes, limit: int = 50
    ) -> list[DirectMessageView]:
        """The newest ``limit`` direct messages with one member, oldest first."""
        store, _ = self._require()
        rt = self._runtime(circle_id)
        rows = await store.run(dm_history.page, circle_id, peer_key, limit)
        views = []
        for message, state, ours in rows:
            view = self._dm_view(rt, peer_key, message, outgoing=ours)
            views.append(dataclasses.replace(view, state=state))
        return views

    async def decline_dm(self, circle_id: bytes, who: str | bytes) -> None:
        rt = self._runtime(circle_id)
        peer = who if isinstance(who, bytes) else self._member_key(rt, who)
        await self._engine(lambda: rt.engine.decline_dm(peer))

    def _dm_view(
        self, rt: CircleRuntime, peer: bytes, message: DirectMessage, *, outgoing: bool
    ) -> DirectMessageView:
        env = message.envelope
        return DirectMessageView(
            circle_id=env.circle_id,
            id=message.id,
            peer_key=peer,
            peer=rt.name_of(peer),
            outgoing=outgoing,
            ts=env.ts / 1000,
            body=env.body,
            state=DeliveryState.QUEUED if outgoing else DeliveryState.DELIVERED,
        )

    # -- the engine and the wire ----------------------------------------------------------
    async def enforce_retention(self, *, ending_session: bool = False) -> int:
        """Delete posts older than each circle's retention (all of a this-session-only
        circle's posts when the session ends); returns how many went."""
        store = self._store
        if store is None:
            return 0
        removed = 0
        now = self._clock()
        for rt in list(self._circles.values()):
            policy = rt.circle.settings.retention
            if policy.kind is RetentionKind.SESSION:
                if not ending_session:
                    continue
                cutoff: float | None = now + 1
            else:
                cutoff = policy.cutoff(now)
            if cutoff is not None:
                result = await store.purge_older_than(rt.id, int(cutoff * 1000))
                removed += result.posts
        return removed

    async def _ticker(self) -> None:
        ticks = 0
        while True:
            await asyncio.sleep(TICK_SECONDS)
            ticks += 1
            if ticks % PURGE_EVERY_TICKS == 0:
                await self.enforce_retention()
            if self._joining is not None:
                await self._joining.expire()
            for rt in list(self._circles.values()):
                engine, now = rt.engine, self._now_ms()
                events = await self._step(rt, functools.partial(engine.tick, now))
                await self.moderation.observe(rt, events)
                await self.moderation.tick(rt)

    def _task_failed(self, task: asyncio.Task[object], exc: BaseException) -> None:
        log.error("background task %s failed", task.get_name(), exc_info=exc)


def _settings_from_view(view: CircleSettingsView) -> CircleSettings:
    if view.retention is Retention.SESSION:
        retention = RetentionPolicy.session()
    elif view.retention is Retention.HOURS:
        retention = RetentionPolicy.hours(max(1, view.retention_amount))
    elif view.retention is Retention.DAYS:
        retention = RetentionPolicy.days(max(1, view.retention_amount))
    else:
        retention = RetentionPolicy.forever()
    dms = {
        DmPolicy.EVERYONE: DirectMessages.ANYONE,
        DmPolicy.MODERATORS: DirectMessages.MODERATORS,
    }.get(view.dm_policy, DirectMessages.NOBODY)
    return CircleSettings(
        retention=retention,
        direct_messages=dms,
        slow_mode_seconds=view.slow_mode_seconds,
        anonymous_posting=view.anonymous_posting,
    )
