"""LAN discovery over mDNS: announce my circles as hints, report the peers I see.

A thin asyncio adapter around zeroconf and the sans-IO parts (:mod:`.hints`, :mod:`.peers`):

- **Announcing.** One ``_hearth._tcp.local.`` service per run, under a random instance label and
  a random host name (:mod:`.labels`); its TXT record is :func:`.hints.build_txt` of my circle
  keys. The labels are 60 random bits, collision-free by construction, so registration skips
  mDNS probing (``cooperating_responders=True``): peers see us within milliseconds instead of
  after the ~1.2 s probe.
- **Changing circles** updates the registered service in place with a fresh TXT (new nonce, new
  hints, new decoys) under the same label. A fresh label would gain nothing against an observer
  (our IP address links the two names anyway), while it would cost a goodbye, a new
  announcement, and a PeerGone/PeerFound pair at every peer; an update is one PeerUpdated.
- **Browsing** asks QM (multicast-answer) questions only: on a LAN this costs nothing, and it
  keeps several instances on one host working, since a unicast answer to ``127.0.0.1:5353`` (QU)
  reaches just one of the sockets sharing that port.
- **Liveness.** A goodbye gives PeerGone at once. A peer that vanished without one is noticed
  by a sweep: every ``sweep_interval`` seconds, a peer whose records have expired from the cache
  (``ttl`` seconds after its last answer) is asked again and dropped when it does not answer
  within ``resolve_timeout``.
- **Interfaces.** zeroconf joins the mDNS group and sends only on the given addresses
  (``ip_version=V4Only``); its shared listening socket is also told not to take multicast from
  other interfaces (Linux ``IP_MULTICAST_ALL=0``). Peer addresses outside the bound
  interfaces' networks are dropped.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import secrets
import socket
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

from zeroconf import DNSQuestionType, IPVersion, ServiceStateChange, Zeroconf
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

from ..clock import Seconds, to_millis
from ..interfaces import InterfaceError, check_addresses, host_interfaces, networks_for
from ..tasks import TaskSet
from .errors import DiscoveryStartError, DiscoveryStateError
from .events import DiscoveryEvent
from .hints import Rng, build_txt, check_keys
from .labels import SERVICE_TYPE, instance_name, label_of, random_label, server_name
from .peers import PeerTable

log = logging.getLogger(__name__)

EventCallback = Callable[[DiscoveryEvent], None]

DEFAULT_TTL = 120
"""Seconds our records live in other peers' caches (zeroconf's host-record default)."""
DEFAULT_SWEEP_INTERVAL = 20.0
RESOLVE_TIMEOUT = Seconds(3.0)
MAX_RESOLVE_ROUNDS = 3
EVENT_QUEUE_SIZE = 1024
IP_MULTICAST_ALL = 49  # Linux, include/uapi/linux/in.h (not in Python 3.11's socket module)


class DiscoveryState(enum.Enum):
    NEW = "new"
    RUNNING = "running"
    CLOSED = "closed"


class Discovery:
    """Announce my circles on the LAN and report Hearth peers, without revealing who I am.

    Events go to ``on_event`` when given (called on the event loop; it must not block),
    otherwise to the async iterator :meth:`events`.
    """

    def __init__(
        self,
        on_event: EventCallback | None = None,
        *,
        ttl: int = DEFAULT_TTL,
        sweep_interval: float = DEFAULT_SWEEP_INTERVAL,
        resolve_timeout: Seconds = RESOLVE_TIMEOUT,
        rng: Rng = secrets.token_bytes,
    ) -> None:
        if not 1 <= ttl <= 4500:
            raise ValueError(f"ttl must be 1..4500 seconds, not {ttl}")
        if not sweep_interval > 0:
            raise ValueError(f"sweep_interval must be positive, not {sweep_interval}")
        if not resolve_timeout > 0:
            raise ValueError(f"resolve_timeout must be positive, not {resolve_timeout}")
        self._on_event = on_event
        self._ttl = ttl
        self._sweep_interval = sweep_interval
        self._resolve_timeout = to_millis(resolve_timeout)  # zeroconf counts milliseconds
        self._rng = rng
        self._state = DiscoveryState.NEW
        self._keys: list[bytes] = []  # announced
        self._matched: list[bytes] = []  # announced and quiet
        self._table = PeerTable()
        self._queue: asyncio.Queue[DiscoveryEvent | None] = asyncio.Queue(EVENT_QUEUE_SIZE)
        self._tasks = TaskSet()
        self._resolving: dict[str, asyncio.Task[None]] = {}
        self._dirty: set[str] = set()
        self._update_lock = asyncio.Lock()
        self._announcing: asyncio.Task[None] | None = None
        self._aiozc: AsyncZeroconf | None = None
        self._browser: AsyncServiceBrowser | None = None
        self._info: AsyncServiceInfo | None = None
        self._label = random_label(rng)
        self._server = server_name(random_label(rng))
        self._addresses: list[str] = []
        self._port = 0

    # -- public API -------------------------------------------------------------------------

    @property
    def state(self) -> DiscoveryState:
        return self._state

    @property
    def peer_id(self) -> str:
        """My own random instance label (what other peers see as my ``peer_id``)."""
        return self._label

    @property
    def addresses(self) -> list[str]:
        """The interface addresses discovery is bound to (empty before start)."""
        return list(self._addresses)

    def sender_addresses(self) -> list[str]:
        """The local addresses of the sockets zeroconf sends on (for checks and diagnostics)."""
        if self._aiozc is None:
            return []
        return sorted(str(sender.sock_name[0]) for sender in self._aiozc.zeroconf.engine.senders)

    async def start(self, interfaces: Sequence[str], port: int) -> None:
        """Bind mDNS to these IPv4 interface addresses and announce ``port`` on them.

        Raises :class:`InterfaceError` for an address that is not this host's,
        :class:`DiscoveryStartError` for no address, a bad port or unusable sockets.
        """
        if self._state is not DiscoveryState.NEW:
            raise DiscoveryStateError(f"cannot start discovery that is {self._state.value}")
        if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
            raise DiscoveryStartError(f"port must be 1..65535, not {port!r}")
        if not interfaces:
            raise DiscoveryStartError("no interface to discover on")
        infos = host_interfaces()
        addresses = check_addresses(interfaces, infos)
        self._table = PeerTable(self._matched, networks_for(addresses, infos))
        self._addresses, self._port = addresses, port
        try:
            aiozc = AsyncZeroconf(interfaces=list(addresses), ip_version=IPVersion.V4Only)
        except OSError as exc:
            raise DiscoveryStartError(f"cannot open mDNS sockets: {exc.strerror or exc}") from exc
        self._aiozc = aiozc
        self._state = DiscoveryState.RUNNING
        try:
            await aiozc.zeroconf.async_wait_for_start()
            joined = self.sender_addresses()
            if not joined:
                raise InterfaceError("mDNS could not join the multicast group on any interface")
            if len(joined) != len(addresses):
                # One interface refusing the group (out of memberships, a driver without
                # multicast) must not stop discovery on the others.
                log.warning(
                    "mDNS works on %d of %d interfaces (the others refused the multicast group)",
                    len(joined),
                    len(addresses),
                )
                self._addresses = [a for a in addresses if a in joined]
                self._table = PeerTable(self._matched, networks_for(self._addresses, infos))
            _listen_only_on_joined_interfaces(aiozc.zeroconf)
            self._browser = AsyncServiceBrowser(
                aiozc.zeroconf,
                SERVICE_TYPE,
                handlers=[self._on_service_change],
                question_type=DNSQuestionType.QM,
            )
            self._info = self._service_info()
            announced = await aiozc.async_register_service(self._info, cooperating_responders=True)
            self._announcing = self._tasks.spawn(self._await(announced), name="discovery-announce")
            self._tasks.spawn(self._sweep(), name="discovery-sweep")
        except BaseException:
            await self.close()
            raise
        log.info("discovery started on %d interface(s)", len(addresses))

    async def set_circles(self, keys: Sequence[bytes], *, quiet: Sequence[bytes] = ()) -> None:
        """Announce these circle discovery keys from now on (fresh nonce), and match peers'.

        Up to :data:`.hints.HINT_SLOTS` keys are announced (the first ones); all are matched.
        ``quiet`` keys are matched in peers' announcements but never announced (a circle's old
        epoch, kept for members who were away: whoever announces it can be dialled, while
        nobody learns that we hold it). Raises :class:`InvalidCircleKey` (nothing changes then).
        """
        checked = check_keys(keys)
        matched = check_keys([*checked, *quiet])
        if self._state is DiscoveryState.CLOSED:
            raise DiscoveryStateError("discovery is closed")
        self._keys, self._matched = checked, matched
        for event in self._table.set_keys(matched):
            self._emit(event)
        if self._state is not DiscoveryState.RUNNING or self._aiozc is None:
            return
        async with self._update_lock:
            if self._state is not DiscoveryState.RUNNING:
                return
            # Stop repeating the previous announcement, so that no stale TXT goes out after
            # the new one (receivers would flip back and forth).
            if self._announcing is not None:
                self._announcing.cancel()
            self._info = self._service_info()
            announced = await self._aiozc.async_update_service(self._info)
            self._announcing = self._tasks.spawn(
                self._await(announced), name="discovery-reannounce"
            )

    async def close(self) -> None:
        """Say goodbye on the LAN, stop everything, and end :meth:`events`. Idempotent."""
        if self._state is DiscoveryState.CLOSED:
            return
        self._state = DiscoveryState.CLOSED
        await self._tasks.close()
        self._resolving.clear()
        aiozc, self._aiozc = self._aiozc, None
        browser, self._browser = self._browser, None
        if browser is not None:
            await browser.async_cancel()
        if aiozc is not None:
            await aiozc.async_close()  # unregisters all services: mDNS goodbye
        self._table.clear()
        self._end_events()
        log.info("discovery closed")

    async def events(self) -> AsyncIterator[DiscoveryEvent]:
        """Events, when no callback was given; ends after :meth:`close`."""
        if self._on_event is not None:
            raise DiscoveryStateError("events go to the callback given at construction")
        while True:  # ends on the None that close() queues
            event = await self._queue.get()
            if event is None:
                return
            yield event

    # -- zeroconf side ----------------------------------------------------------------------

    def _service_info(self) -> AsyncServiceInfo:
        return AsyncServiceInfo(
            SERVICE_TYPE,
            instance_name(self._label),
            port=self._port,
            properties=build_txt(self._keys, self._rng),
            server=self._server,
            addresses=list(self._addresses),
            host_ttl=self._ttl,
            other_ttl=self._ttl,
        )

    def _on_service_change(
        self,
        zeroconf: Zeroconf,
        service_type: str,
        name: str,
        state_change: ServiceStateChange,
    ) -> None:
        if self._state is not DiscoveryState.RUNNING:
            return
        peer_id = label_of(name)
        if peer_id is None:
            log.debug("ignoring a service that is not a Hearth instance")
            return
        if peer_id == self._label:
            return
        if state_change is ServiceStateChange.Removed:
            task = self._resolving.pop(peer_id, None)
            if task is not None:
                task.cancel()
            self._dirty.discard(peer_id)
            gone = self._table.gone(peer_id)
            if gone is not None:
                self._emit(gone)
            return
        self._want_resolve(peer_id, name, drop_on_failure=False)

    def _want_resolve(self, peer_id: str, name: str, drop_on_failure: bool) -> None:
        if peer_id in self._resolving:
            self._dirty.add(peer_id)
            return
        task = self._tasks.spawn(
            self._resolve(peer_id, name, drop_on_failure), name="discovery-resolve"
        )
        self._resolving[peer_id] = task

    async def _resolve(self, peer_id: str, name: str, drop_on_failure: bool) -> None:
        try:
            for _ in range(MAX_RESOLVE_ROUNDS):
                self._dirty.discard(peer_id)
                if self._aiozc is None:
                    return
                info = AsyncServiceInfo(SERVICE_TYPE, name)
                found = await info.async_request(
                    self._aiozc.zeroconf, self._resolve_timeout, question_type=DNSQuestionType.QM
                )
                if found:
                    event = self._table.seen(
                        peer_id,
                        info.parsed_addresses(IPVersion.V4Only),
                        info.port,
                        info.text if info.text else None,
                    )
                    if event is not None:
                        self._emit(event)
                elif drop_on_failure:
                    gone = self._table.gone(peer_id)
                    if gone is not None:
                        log.debug("peer %s stopped answering", peer_id)
                        self._emit(gone)
                    return
                if peer_id not in self._dirty:
                    return
        finally:
            if self._resolving.get(peer_id) is asyncio.current_task():
                del self._resolving[peer_id]

    async def _sweep(self) -> None:
        """Re-ask peers whose records expired from the cache; drop those that do not answer."""
        while self._state is DiscoveryState.RUNNING:  # ends with close()
            await asyncio.sleep(self._sweep_interval)
            aiozc = self._aiozc
            if aiozc is None:
                return
            for peer_id in self._table.peer_ids():
                if peer_id in self._resolving:
                    continue
                name = instance_name(peer_id)
                if not AsyncServiceInfo(SERVICE_TYPE, name).load_from_cache(aiozc.zeroconf):
                    self._want_resolve(peer_id, name, drop_on_failure=True)

    @staticmethod
    async def _await(announced: Awaitable[object]) -> None:
        """Own zeroconf's broadcast task: cancelling this cancels the broadcasts."""
        await announced

    # -- delivery ---------------------------------------------------------------------------

    def _emit(self, event: DiscoveryEvent) -> None:
        log.debug("discovery event %s", type(event).__name__)
        if self._on_event is not None:
            try:
                self._on_event(event)
            except Exception:
                log.exception("discovery event callback failed")
            return
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            log.warning("discovery event queue full; dropping an event")

    def _end_events(self) -> None:
        if self._queue.full():
            self._queue.get_nowait()
        self._queue.put_nowait(None)


def _listen_only_on_joined_interfaces(zc: Zeroconf) -> None:
    """Keep zeroconf's wildcard listening socket from taking other interfaces' multicast.

    Linux delivers a group's packets to every socket bound to the port, whichever interface
    joined the group, unless ``IP_MULTICAST_ALL`` is off. Best effort: elsewhere, or when
    zeroconf's internals change, discovery still works and peers off our networks are
    filtered out by address.
    """
    if not sys.platform.startswith("linux"):
        return
    listen_socket = getattr(zc.engine, "_listen_socket", None)
    if not isinstance(listen_socket, socket.socket):
        return
    try:
        listen_socket.setsockopt(socket.IPPROTO_IP, IP_MULTICAST_ALL, 0)
    except OSError as exc:
        log.debug("cannot restrict the mDNS listening socket: %s", exc)
