"""The :class:`Messenger` facade: the one object the desktop app and the headless peer drive.

It composes the store, one :class:`~messenger.session.CircleSession` per circle, the link
router, the node and spoken codes; a subscriber that fails is logged and never stops the core.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable, Sequence

from network.errors import NetworkError
from network.node import CircleBinding, Node, NodeConfig
from network.tasks import TaskSet

from . import direct, posting
from . import pseudonym as pseudonyms
from .acting import Acts
from .circle_life import CircleLife, NotAllowed
from .circles import CircleTable, NotFound
from .config import MessengerConfig
from .conversation import RateLimits
from .errors import HearthError
from .events import Event
from .invite_link import parse as parse_link
from .joining import Joining
from .keyschedule import LOBBY_ID
from .moderating import Moderation
from .moderation import EngineLimits
from .network_port import NodeWire
from .newcomers import Newcomers
from .options import LaunchOptions
from .profile import NotRunning, Profile
from .router import LinkRouter
from .schedule import Scheduler
from .storage import AsyncStore, KdfParams
from .verification import Verification
from .views import (
    CircleSettingsView,
    CircleView,
    DirectMessageView,
    DirectThreadView,
    JoinCodeView,
    MemberView,
    PostView,
)

log = logging.getLogger(__name__)

Subscriber = Callable[[Event], None]

__all__ = ["Messenger", "NotAllowed", "NotFound", "NotRunning", "StartError"]


class StartError(HearthError):
    code = "start_failed"


class Messenger:
    """Owns the profile, the circles and the network node for one running peer."""

    def __init__(
        self,
        options: LaunchOptions,
        *,
        node_config: NodeConfig | None = None,
        kdf: KdfParams | None = None,
        clock: Callable[[], float] | None = None,
        rate_limits: RateLimits | None = None,
        moderation_limits: EngineLimits | None = None,
        config: MessengerConfig | None = None,
    ) -> None:
        """``config`` holds every timing and limit; the other keywords override its fields."""
        self.options = options
        config = config or MessengerConfig()
        self.config = config = dataclasses.replace(
            config,
            clock=clock or config.clock,
            node=node_config or config.node or NodeConfig(interfaces=options.interfaces),
            moderation=moderation_limits or config.moderation,
            rate_limits=rate_limits or config.rate_limits,
        )
        self._node_config = config.node or NodeConfig(interfaces=options.interfaces)
        self._subscribers: list[Subscriber] = []
        self._tasks = TaskSet(self._task_failed)
        self._profile = Profile(options, kdf, self.config.clock)
        self._wire = NodeWire(self._tasks, self._bindings)
        self._scheduler = Scheduler(
            config,
            lambda: self._circles.pumps(),
            lambda: self._wire.joining,
            self.enforce_retention,
        )
        self._circles = CircleTable(
            wire=self._wire,
            emit=self.emit,
            clock_ms=self.config.now_ms,
            wake=self._scheduler.wake,
            limits=config,
            rendezvous=options.rendezvous,
        )
        self._session = self._circles.session
        self._now_ms = self.config.now_ms
        self._router = LinkRouter(self._circles.get)
        self._life = CircleLife(
            self._circles,
            store=self._db,
            profile=self._profile,
            wire=self._wire,
            emit=self.emit,
            rendezvous=options.rendezvous,
        )
        self._newcomers = Newcomers(self._circles, self._wire, self._tasks, self._scheduler.wake)
        self._started = False
        self.moderation = Moderation(self._circles.pump)
        """Remove, block, mute, report, hide, slow mode, the moderation queue (moderating.py)."""
        self._dms = direct.DirectMessaging(self._circles.pump, self.moderation.check_may_dm)
        self.acts = Acts(self._circles.pump, self._now_ms)  # react, delete mine, search (acting.py)
        self.verification = Verification(lambda c: self._session(c).rt.member_views(), self._db)
        """Safety numbers compared in person, kept in the profile (verification.py)."""

    # -- events -------------------------------------------------------------------------------
    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback`` with every event from now on; returns a function that unsubscribes."""
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback)

    def emit(self, event: Event) -> None:
        for callback in list(self._subscribers):
            try:
                callback(event)
            except Exception:  # a front end's failure never stops the core
                log.exception("a subscriber failed on a %s event", event.name)

    # -- life cycle ---------------------------------------------------------------------------
    @property
    def profile_label(self) -> str:
        return "ephemeral" if self.options.ephemeral else str(self.options.profile)

    @property
    def listen_addresses(self) -> list[str]:
        return self._wire.listen_addresses

    @property
    def running(self) -> bool:
        return self._started

    def activity(self) -> dict[str, int]:
        """Counters: messages and bytes sent by lane, due work, purges, anonymous rounds running."""
        s, busy = self._scheduler, self._circles.rounds_running()
        more = {"due work rounds": s.rounds, "purges": s.purges, "anonymous rounds running": busy}
        return {**self._wire.sent, **more}

    async def start(self, passphrase: str | None = None) -> None:
        """Open the profile (Argon2id off the loop), load its circles, start the node."""
        store = await self._profile.open(passphrase)
        try:
            node = Node(self._router.put, self._node_config)
            joining = Joining(
                node, self.emit, self.config.clock, self.config.find_code_host, self._circles.expect
            )
            self._wire.attach(node, joining)
            for leftover in await self._circles.load(store):
                await self._profile.forget_circle(leftover)
            await self.verification.load()
            await node.set_circles(self._bindings())
            await node.start()
        except (NetworkError, OSError) as exc:
            await self.close()
            raise StartError(f"cannot start the network: {exc}") from exc
        except BaseException:
            await self.close()
            raise
        await self.enforce_retention(ending_session=True)  # left over from a crash
        await self.enforce_retention()
        self._tasks.spawn(self._router.run(), "messenger-inbox")
        self._tasks.spawn(self._scheduler.run(), "messenger-scheduler")
        self._started = True
        log.info("peer started with %d circle(s)", len(self._circles))

    async def close(self) -> None:
        """Leave the network (mDNS goodbye, links closed), close the database."""
        self._started = False
        await self._tasks.close()
        await self._wire.detach()
        for pump in self._circles.pumps():  # what they queued is written before the close
            await pump.drain()
        await self._life.forget_lobby()
        await self._profile.close(self._circles)
        self._circles.clear()

    async def wipe(self) -> None:
        """Crypto-erase the whole profile now: keys gone, database deleted, nothing readable."""
        self._started = False
        await self._tasks.close()
        await self._wire.detach()
        self._circles.clear()
        await self._profile.wipe()

    def _db(self) -> AsyncStore:
        if self._wire.node is None:
            raise NotRunning("the peer is not running")
        return self._profile.store

    def _bindings(self) -> list[CircleBinding]:
        return [b for s in self._circles for b in s.rt.bindings()]

    # -- circles ------------------------------------------------------------------------------
    def circles(self) -> list[CircleView]:
        return [s.rt.view() for s in self._circles]

    def circle(self, circle_id: bytes) -> CircleView:
        return self._session(circle_id).rt.view()

    def find_circle(self, name_or_id: str) -> CircleView:
        """A circle by its id (hex, or a prefix of it) or its name (ignoring case)."""
        return self._circles.find(name_or_id)

    @property
    def lobby_visible(self) -> bool:
        return LOBBY_ID in self._circles

    async def set_lobby_visible(self, visible: bool) -> CircleView | None:
        """Be findable in the open lobby (off by default), under a fresh pseudonym and keys
        each time, so nothing links the lobby to a circle or to an earlier visit; its history
        is never kept past the session."""
        return await self._life.set_lobby(visible)

    async def create_circle(
        self,
        name: str,
        *,
        description: str = "",
        rules: str = "",
        settings: CircleSettingsView | None = None,
        pseudonym: str | None = None,
    ) -> CircleView:
        return await self._life.create(name, description, rules, settings, pseudonym)

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
        return await self._life.update(circle_id, name, description, rules, settings)

    async def accept_rules(self, circle_id: bytes) -> CircleView:
        """This member accepts the circle's current rules."""
        return await self._life.accept_rules(circle_id)

    async def save_ui_preferences(self, values: dict[str, object]) -> None:
        """The desktop app's own settings, kept in the profile (in memory when ephemeral)."""
        self._db()
        await self._profile.save_ui_preferences(values)

    async def ui_preferences(self) -> object:
        self._db()
        return await self._profile.ui_preferences()

    async def join_link(self, text: str, *, pseudonym: str | None = None) -> CircleView:
        """Join the circle of an invite link (a damaged or foreign link raises a clear error)."""
        return await self._life.join(parse_link(text), pseudonym)

    def invite_link(self, circle_id: bytes) -> str:
        return self._session(circle_id).rt.invite_link()

    async def dial(self, host: str, port: int, circle_id: bytes) -> None:
        """Connect to a member at ``host:port`` directly (no discovery needed)."""
        self._db()
        self._session(circle_id)
        assert self._wire.node is not None
        try:
            await self._wire.node.connect(host, port, circle_id)
        except NetworkError as exc:
            raise NotFound(f"could not reach that member: {exc}") from exc

    async def set_pseudonym(self, circle_id: bytes, name: str) -> CircleView:
        return await self._life.set_pseudonym(circle_id, name)

    async def leave(self, circle_id: bytes, goodbye: str | None = None) -> None:
        """Say goodbye, then delete this circle's keys and history here."""
        await self._life.leave(circle_id, goodbye)

    def members(self, circle_id: bytes) -> list[MemberView]:
        """Me, and every member not removed (``present``: linked now), verified or not."""
        return self.verification.apply(self._session(circle_id).rt.member_views())

    # -- spoken join codes --------------------------------------------------------------------
    async def open_join_code(
        self, circle_id: bytes, *, auto_approve: bool = False, reuse: bool = False
    ) -> JoinCodeView:
        """Open a spoken-code invitation (host only): read the code aloud; 10 minutes. With
        ``reuse``, the circle's code that still works, if there is one, rather than a new one
        (a code someone may be typing is never replaced behind their back)."""
        return await self._newcomers.open_code(circle_id, auto_approve=auto_approve, reuse=reuse)

    def approve(self, request: str) -> None:
        """Let a newcomer in: one who typed a spoken code, or came with the link."""
        self._newcomers.approve(request)

    def deny(self, request: str, message: str | None = None) -> None:
        self._newcomers.deny(request, message)

    async def join_code(self, text: str, *, pseudonym: str | None = None) -> CircleView:
        """Join with a code the host read aloud: find the host on the LAN, prove the code with
        SPAKE2, wait for the host's approval, then join with the link it sends."""
        name = pseudonym or pseudonyms.generate()
        return await self.join_link(await self._newcomers.join_code(text, name), pseudonym=name)

    # -- posts --------------------------------------------------------------------------------
    async def post(
        self,
        circle_id: bytes,
        body: str,
        *,
        reply_to: bytes | None = None,
        content_warning: str | None = None,
    ) -> PostView:
        """Sign, store and send a post; the screen learns of it through a ``post`` event once
        it is on its way."""
        pump = self._circles.pump(circle_id)
        now = self._now_ms()
        self.moderation.check_may_post(pump.session.rt, now)
        return await posting.publish(
            pump, body, now, reply_to=reply_to, content_warning=content_warning
        )

    async def history(
        self, circle_id: bytes, limit: int = 50, before: PostView | None = None
    ) -> list[PostView]:
        """The newest ``limit`` posts (older than ``before``), oldest first."""
        self._db()
        return await posting.history(self._circles.pump(circle_id), limit, before)

    # -- direct messages (messenger/direct.py) ------------------------------------------------
    async def send_dm(self, circle_id: bytes, who: str | bytes, body: str) -> DirectMessageView:
        return await self._dms.send_dm(circle_id, who, body)

    async def accept_dm(self, circle_id: bytes, who: str | bytes) -> None:
        await self._dms.accept_dm(circle_id, who)

    async def decline_dm(self, circle_id: bytes, who: str | bytes) -> None:
        await self._dms.decline_dm(circle_id, who)

    async def direct_messages(
        self, circle_id: bytes, peer_key: bytes, limit: int = 50
    ) -> list[DirectMessageView]:
        """The newest ``limit`` direct messages with one member, oldest first."""
        return await direct.page(self._circles.pump(circle_id), peer_key, limit)

    async def direct_threads(self, circle_id: bytes) -> list[DirectThreadView]:
        """The circle's private conversations, latest first, requests flagged."""
        return await direct.threads(self._circles.pump(circle_id))

    async def set_dm_preferences(self, *, read_receipts: bool, typing_indicators: bool) -> None:
        """Read receipts and typing indicators (both off by default); each only works when
        both members turned it on."""
        await self._circles.set_dm_settings(
            read_receipts=read_receipts, typing_indicators=typing_indicators
        )

    async def typing(self, circle_id: bytes, peer_key: bytes) -> None:
        """I am writing to this member (sent at most every few seconds, when allowed)."""
        await direct.typing(self._circles.pump(circle_id), peer_key)

    async def mark_read(self, circle_id: bytes, peer_key: bytes, ids: Sequence[bytes]) -> None:
        """I have read these messages from this member (tells them only with receipts on)."""
        await direct.mark_read(self._circles.pump(circle_id), peer_key, ids)

    # -- time ---------------------------------------------------------------------------------
    async def enforce_retention(self, *, ending_session: bool = False) -> int:
        """Delete posts past each circle's retention; returns how many went."""
        return await self._profile.enforce_retention(self._circles, ending_session=ending_session)

    def _task_failed(self, task: asyncio.Task[object], exc: BaseException) -> None:
        log.error("background task %s failed", task.get_name(), exc_info=exc)
