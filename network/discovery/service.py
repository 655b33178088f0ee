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
  The update is announced once more a little later, since an answer zeroconf queued before it
  can still carry the old TXT (:data:`REANNOUNCE_AFTER`); a seeker asks everyone again
  (:meth:`Discovery.refresh`) rather than trust what its cache holds.
- **Browsing** asks QM (multicast-answer) questions only: on a LAN this costs nothing, and it
  keeps several instances on one host working, since a unicast answer to ``127.0.0.1:5353`` (QU)
  reaches just one of the sockets sharing that port.
- **Liveness.** A goodbye gives PeerGone at once. A peer that vanished without one is noticed
  by a sweep: every ``sweep_interval`` seconds, a peer whose records have expired from the cache
  (``ttl`` seconds after its last answer) is asked again and dropped when it does not answer
  within ``resolve_timeout``.
- **Interfaces.** One zeroconf instance per interface address: each joins the mDNS group and
  sends only on its own interface (``ip_version=V4Only``), announces only that interface's
  address, and keeps its own cache, so nothing learnt or announced on network A (our address
  there, peers seen there, known-answer lists) is ever sent on network B. Each listening
  socket is told not to take multicast from other interfaces (Linux ``IP_MULTICAST_ALL=0``).
  A peer seen on several interfaces is one peer with the union of its addresses. An interface
  that refuses the multicast group is left out (with a warning) while the others work. Peer
  addresses outside the bound interfaces' networks are dropped.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import secrets
import socket
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, replace

from zeroconf import (  # type: ignore[attr-defined]  # DNSOutgoing, DNSQuestion: not in __all__
    DNSOutgoing,
    DNSQuestion,
    DNSQuestionType,
    IPVersion,
    RecordUpdate,
    RecordUpdateListener,
    ServiceStateChange,
    Zeroconf,
)
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
REANNOUNCE_AFTER = Seconds(2.5)
"""After a change, the new TXT goes out once more this long after zeroconf's own three
announcements. zeroconf queues a multicast answer with the records it held when the question
came (for up to ~1.6 s), so an answer to a question asked just before the change can follow
the change's announcements with the *old* TXT; receivers would keep that until it expires
(``ttl``): a newcomer would not see a code that is open, a member not recognise a circle."""
_DNS_QUERY = 0x0000  # RFC 1035 header flags of a standard query
_DNS_PTR = 12  # RFC 1035 record types
_DNS_TXT = 16
_DNS_IN = 1  # RFC 1035 class
EVENT_QUEUE_SIZE = 1024
IP_MULTICAST_ALL = 49  # Linux, include/uapi/linux/in.h (not in Python 3.11's socket module)


@dataclass
class _Interface:
    """The zeroconf instance of one interface, and what it announces there."""

    address: str
    aiozc: AsyncZeroconf
    browser: AsyncServiceBrowser | None = None
    info: AsyncServiceInfo | None = None
    announcing: asyncio.Task[None] | None = None


@dataclass(frozen=True)
class _Sighting:
    """A peer's records as resolved on one interface."""

    addresses: tuple[str, ...]
    port: int | None
    text: bytes | None


class _TxtHeard(RecordUpdateListener):
    """Every live TXT record of a Hearth instance that arrives on one zeroconf, to ``heard``."""

    def __init__(self, heard: Callable[[str, bytes], None]) -> None:
        self._heard = heard

    def async_update_records(self, zc: Zeroconf, now: float, records: list[RecordUpdate]) -> None:
        for update in records:
            record = update.new
            if (
                record.type == _DNS_TXT
                and record.name.lower().endswith(SERVICE_TYPE.lower())
                and not record.is_expired(now)
            ):
                self._heard(record.name, record.text)  # type: ignore[attr-defined]

    def async_update_records_complete(self) -> None:
        pass


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
        self._resolving: dict[tuple[str, str], asyncio.Task[None]] = {}  # (peer, interface)
        self._dirty: set[tuple[str, str]] = set()
        self._update_lock = asyncio.Lock()
        self._ifaces: dict[str, _Interface] = {}  # by our address on it
        self._sightings: dict[str, dict[str, _Sighting]] = {}  # peer -> interface -> records
        self._latest_txt: dict[tuple[str, str], bytes] = {}  # (peer, interface) -> last TXT
        self._again: asyncio.Task[None] | None = None
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
        return sorted(
            str(sender.sock_name[0])
            for iface in self._ifaces.values()
            for sender in iface.aiozc.zeroconf.engine.senders
        )

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
        self._state = DiscoveryState.RUNNING
        try:
            joined = [a for a in addresses if await self._open_interface(a)]
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
                self._addresses = joined
                self._table = PeerTable(self._matched, networks_for(joined, infos))
            txt = build_txt(self._keys, self._rng)
            for iface in list(self._ifaces.values()):
                await self._serve_interface(iface, txt)
            self._tasks.spawn(self._sweep(), name="discovery-sweep")
        except BaseException:
            await self.close()
            raise
        log.info("discovery started on %d interface(s)", len(self._addresses))

    async def _open_interface(self, address: str) -> bool:
        """Start zeroconf on the interface with ``address``; False (and nothing kept) when it
        could not join the mDNS group there."""
        try:
            aiozc = AsyncZeroconf(interfaces=[address], ip_version=IPVersion.V4Only)
        except OSError as exc:
            raise DiscoveryStartError(f"cannot open mDNS sockets: {exc.strerror or exc}") from exc
        try:
            await aiozc.zeroconf.async_wait_for_start()
        except BaseException:
            await aiozc.async_close()
            raise
        if not aiozc.zeroconf.engine.senders:
            await aiozc.async_close()
            return False
        self._ifaces[address] = _Interface(address, aiozc)
        return True

    async def _serve_interface(self, iface: _Interface, txt: bytes) -> None:
        """Browse and announce (that interface's address only) on one started interface."""
        zc = iface.aiozc.zeroconf
        _listen_only_on_joined_interfaces(zc)
        zc.async_add_listener(
            _TxtHeard(lambda name, text: self._heard_txt(iface, name, text)), None
        )
        iface.browser = AsyncServiceBrowser(
            zc, SERVICE_TYPE, handlers=[self._on_service_change], question_type=DNSQuestionType.QM
        )
        iface.info = self._service_info(iface.address, txt)
        announced = await iface.aiozc.async_register_service(
            iface.info, cooperating_responders=True
        )
        iface.announcing = self._tasks.spawn(self._await(announced), name="discovery-announce")

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
        if self._state is not DiscoveryState.RUNNING or not self._ifaces:
            return
        async with self._update_lock:
            if self._state is not DiscoveryState.RUNNING:
                return
            await self._announce()
        if self._again is not None:
            self._again.cancel()
        self._again = self._tasks.spawn(self._announce_again(), name="discovery-announce-again")

    def refresh(self) -> None:
        """Ask the LAN for every Hearth announcement now, past my cache (a seeker does this:
        the announcement it holds may be stale, see :data:`REANNOUNCE_AFTER`). Each peer
        answers with its current TXT; a changed one gives a PeerUpdated as usual."""
        if self._state is not DiscoveryState.RUNNING:
            return
        for iface in self._ifaces.values():
            question = DNSOutgoing(_DNS_QUERY, multicast=True)
            question.add_question(DNSQuestion(SERVICE_TYPE, _DNS_PTR, _DNS_IN))
            iface.aiozc.zeroconf.async_send(question)

    async def close(self) -> None:
        """Say goodbye on the LAN, stop everything, and end :meth:`events`. Idempotent."""
        if self._state is DiscoveryState.CLOSED:
            return
        self._state = DiscoveryState.CLOSED
        await self._tasks.close()
        self._resolving.clear()
        ifaces, self._ifaces = list(self._ifaces.values()), {}
        for iface in ifaces:
            if iface.browser is not None:
                await iface.browser.async_cancel()
        for iface in ifaces:
            await iface.aiozc.async_close()  # unregisters all services: mDNS goodbye
        self._sightings.clear()
        self._latest_txt.clear()
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

    def _service_info(self, address: str, txt: bytes) -> AsyncServiceInfo:
        """Our service as announced on the interface with ``address``: that address only."""
        return AsyncServiceInfo(
            SERVICE_TYPE,
            instance_name(self._label),
            port=self._port,
            properties=txt,
            server=self._server,
            addresses=[address],
            host_ttl=self._ttl,
            other_ttl=self._ttl,
        )

    def _iface_of(self, zeroconf: Zeroconf) -> _Interface | None:
        for iface in self._ifaces.values():
            if iface.aiozc.zeroconf is zeroconf:
                return iface
        return None

    def _on_service_change(
        self,
        zeroconf: Zeroconf,
        service_type: str,
        name: str,
        state_change: ServiceStateChange,
    ) -> None:
        if self._state is not DiscoveryState.RUNNING:
            return
        iface = self._iface_of(zeroconf)
        if iface is None:
            return
        peer_id = label_of(name)
        if peer_id is None:
            log.debug("ignoring a service that is not a Hearth instance")
            return
        if peer_id == self._label:
            return
        if state_change is ServiceStateChange.Removed:
            slot = (peer_id, iface.address)
            task = self._resolving.pop(slot, None)
            if task is not None:
                task.cancel()
            self._dirty.discard(slot)
            self._forget(peer_id, iface.address)
            return
        self._want_resolve(peer_id, iface, name, drop_on_failure=False)

    def _want_resolve(
        self, peer_id: str, iface: _Interface, name: str, drop_on_failure: bool
    ) -> None:
        slot = (peer_id, iface.address)
        if slot in self._resolving:
            self._dirty.add(slot)
            return
        task = self._tasks.spawn(
            self._resolve(peer_id, iface, name, drop_on_failure), name="discovery-resolve"
        )
        self._resolving[slot] = task

    def _seen(self, peer_id: str, where: str, sighting: _Sighting) -> None:
        """Records of ``peer_id`` resolved on interface ``where``: the table gets the union of
        its addresses over every interface it was seen on."""
        per_iface = self._sightings.setdefault(peer_id, {})
        per_iface[where] = sighting
        addresses = sorted({a for s in per_iface.values() for a in s.addresses})
        event = self._table.seen(peer_id, addresses, sighting.port, sighting.text)
        if event is not None:
            self._emit(event)

    def _forget(self, peer_id: str, where: str) -> None:
        """``peer_id`` left interface ``where`` (goodbye, or stopped answering)."""
        per_iface = self._sightings.get(peer_id, {})
        per_iface.pop(where, None)
        self._latest_txt.pop((peer_id, where), None)
        if per_iface:
            latest = next(reversed(per_iface.values()))
            self._seen(peer_id, next(reversed(per_iface)), latest)
            return
        self._sightings.pop(peer_id, None)
        gone = self._table.gone(peer_id)
        if gone is not None:
            self._emit(gone)

    async def _resolve(
        self, peer_id: str, iface: _Interface, name: str, drop_on_failure: bool
    ) -> None:
        slot = (peer_id, iface.address)
        try:
            for _ in range(MAX_RESOLVE_ROUNDS):
                self._dirty.discard(slot)
                if self._ifaces.get(iface.address) is not iface:
                    return
                info = AsyncServiceInfo(SERVICE_TYPE, name)
                found = await info.async_request(
                    iface.aiozc.zeroconf, self._resolve_timeout, question_type=DNSQuestionType.QM
                )
                if found:
                    sighting = _Sighting(
                        tuple(info.parsed_addresses(IPVersion.V4Only)),
                        info.port,
                        self._latest_txt.get(slot) or info.text or None,
                    )
                    self._seen(peer_id, iface.address, sighting)
                elif drop_on_failure:
                    log.debug("peer %s stopped answering on one interface", peer_id)
                    self._forget(peer_id, iface.address)
                    return
                if slot not in self._dirty:
                    return
        finally:
            if self._resolving.get(slot) is asyncio.current_task():
                del self._resolving[slot]

    async def _sweep(self) -> None:
        """Re-ask peers whose records expired from an interface's cache; drop those that do
        not answer there."""
        while self._state is DiscoveryState.RUNNING:  # ends with close()
            await asyncio.sleep(self._sweep_interval)
            for peer_id, per_iface in list(self._sightings.items()):
                for where in list(per_iface):
                    iface = self._ifaces.get(where)
                    if iface is None or (peer_id, where) in self._resolving:
                        continue
                    name = instance_name(peer_id)
                    if not AsyncServiceInfo(SERVICE_TYPE, name).load_from_cache(
                        iface.aiozc.zeroconf
                    ):
                        self._want_resolve(peer_id, iface, name, drop_on_failure=True)

    @staticmethod
    async def _await(announced: Awaitable[object]) -> None:
        """Own zeroconf's broadcast task: cancelling this cancels the broadcasts."""
        await announced

    async def _announce(self) -> None:
        """Announce my keys under a fresh nonce on every interface (call under the lock)."""
        txt = build_txt(self._keys, self._rng)
        for iface in list(self._ifaces.values()):
            if iface.info is None:
                continue
            # Stop repeating the previous announcement, so that no stale TXT goes out
            # after the new one (receivers would flip back and forth).
            if iface.announcing is not None:
                iface.announcing.cancel()
            iface.info = self._service_info(iface.address, txt)
            announced = await iface.aiozc.async_update_service(iface.info)
            iface.announcing = self._tasks.spawn(self._await(announced), name="discovery-update")

    async def _announce_again(self) -> None:
        """A change's second announcement, :data:`REANNOUNCE_AFTER` later, under a fresh nonce
        (a TXT a receiver already holds, even expiring, gives its browser no update)."""
        await asyncio.sleep(REANNOUNCE_AFTER)
        async with self._update_lock:
            if self._state is DiscoveryState.RUNNING:
                await self._announce()

    def _heard_txt(self, iface: _Interface, name: str, text: bytes) -> None:
        """A TXT answer came on ``iface``: the last one heard is the peer's announcement.

        zeroconf's cache keeps every TXT it was given (the last-inserted one wins a lookup, an
        answer it already holds is not re-inserted), so after a late answer it can hold the
        old one in front of the current; what was heard last is what the peer says now."""
        peer_id = label_of(name)
        if peer_id is None or peer_id == self._label:
            return
        slot = (peer_id, iface.address)
        sighting = self._sightings.get(peer_id, {}).get(iface.address)
        if sighting is None and slot not in self._resolving:
            return  # a peer not (yet) known: its first resolve reads the TXT
        self._latest_txt[slot] = text
        if sighting is not None and sighting.text != text:
            self._seen(peer_id, iface.address, replace(sighting, text=text))

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
