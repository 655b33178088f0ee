"""How the node runs: which circles it serves, on which interfaces, with which timers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..noise import KeyPair
from ..sockopts import TcpLiveness

PayloadVerifier = Callable[[bytes, bytes], object]
"""(peer's app payload, peer's Noise static key) -> the peer's identity; raise to refuse."""


@dataclass(frozen=True)
class CircleBinding:
    """One circle the node serves: how to find its members and how to shake hands with them."""

    tag: bytes  # the circle's id, opaque to the node
    discovery_key: bytes = field(repr=False)
    static: KeyPair = field(repr=False)  # my Noise static key in this circle
    payload: bytes = field(repr=False)  # my handshake payload (a signed identity statement)
    verify: PayloadVerifier = field(repr=False)
    psk: bytes | None = field(default=None, repr=False)  # None: the open lobby (Noise_XX)
    rendezvous: str | None = None  # a rendezvous server (HOST:PORT:KEY) for this circle, or None
    rendezvous_tag_key: bytes | None = field(default=None, repr=False)  # the circle's tag key
    announce: bool = True
    """False: answer and dial peers who announce this circle, but never announce it on mDNS
    (a circle's old epoch, kept only to hand the new secret to members who were away; give
    such a binding no rendezvous server either)."""


KERNEL_LIVENESS = TcpLiveness()


@dataclass(frozen=True)
class NodeConfig:
    interfaces: tuple[str, ...] = ()
    discovery: bool = True
    handshake_timeout: float = 5.0
    keepalive_interval: float = 900.0
    """The dialer's PING after this long with nothing heard (the app's own check, a backstop:
    the kernel checks idle links, see ``tcp``)."""
    relayed_keepalive_interval: float = 50.0
    """The same over a rendezvous relay, whose splice closes after two idle minutes (kernel
    probes do not cross a relay)."""
    idle_timeout: float = 2700.0
    """A link with nothing heard for this long is closed (PINGs are answered, so only a hung
    or vanished peer's link gets there; a vanished host is found by the kernel far sooner)."""
    tcp: TcpLiveness | None = KERNEL_LIVENESS
    """Kernel keepalive on member links, probed from the dialer's side: there a vanished peer's
    link closes about ``tcp.idle`` + ``tcp.interval`` x ``tcp.count`` seconds after it last
    sent anything, waking nobody until then; on both sides data left unacknowledged for
    ``tcp.user_timeout`` closes it. None: only the app's keepalive."""
    dial_timeout: float = 5.0
    max_pending_handshakes: int = 64
    max_point_connections: int = 128
    """Join-point (spoken code) connections served at once, all addresses together; when all
    are held, a fresh one takes the place of an idle one (see :mod:`.points`)."""
    max_point_connections_per_address: int = 4
    """Join-point connections served at once from one address: one guesser holding many
    connections cannot keep a real newcomer out."""
    point_deadline: float = 660.0
    """The longest a join-point connection may live, whatever it sends (the exchange takes
    seconds; the host's decision may take up to ten minutes)."""
    max_links: int = 256
    higher_label_delay: float = 1.5
    """The peer whose discovery label sorts higher waits this long before dialing, so that in
    the common case only one side dials."""
    backoff_base: float = 1.0
    backoff_cap: float = 60.0
    rendezvous_lookup_interval: float = 30.0
    """How often circles with a rendezvous server are looked up for members to dial."""
    rendezvous_direct: bool = True
    """Publish our direct addresses to members found via rendezvous, and try theirs before the
    relay. False: relay only, and members never learn our addresses through the rendezvous."""
