"""The state one circle's post replication keeps (:class:`SyncState`), its limits, and what one
call produces (:class:`Batch`); the engine is :mod:`.postsync`, its parts :mod:`.receiving`,
:mod:`.asking` and :mod:`.serving` work on this state."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .envelope import SignedPost
from .errors import DropReason
from .events import (
    ConversationEvent,
    Dropped,
    LoadPosts,
    Outgoing,
)
from .holdback import HoldBack
from .postlog import PostLog
from .ranges import Range, RangeSet
from .stats import DropStats
from .wire import Ranges, WireLimits

IsMember = Callable[[bytes], bool]
RetentionCutoff = Callable[[int], int | None]


@dataclass(frozen=True)
class SyncLimits:
    batch_posts: int = 200  # posts per POSTS message
    batch_bytes: int = 60 * 1024  # bytes per POSTS message (the channel carries 64 KiB)
    max_held: int = 2000  # out-of-order posts held back, over all authors
    max_ahead: int = 5000  # how far past an author's high-water mark a post may be held
    gap_timeout_ms: int = 30_000  # stop waiting for a gap after this long
    want_retry_ms: int = 5_000  # then ask every peer, not just the one that sent the later post
    max_want_posts: int = 2000  # posts served for one WANT
    pull_chunks: int = 2  # WANTs of max_want_posts a catch-up keeps in flight (pipelining)
    max_clock_skew_ms: int = 10 * 60_000  # posts dated further ahead are refused
    max_hello_gaps: int = 128  # known-gap ranges advertised in HELLO
    hello_retry_ms: int = 3_000  # no HELLO from a peer by then: ours again, asking for an answer
    max_gone_ranges: int = 256  # "gone" ranges remembered per author
    log_page: int = 1000  # posts read from the log at a time


@dataclass
class Batch:
    """What one call into the engine produces."""

    out: list[Outgoing] = field(default_factory=list)
    events: list[ConversationEvent] = field(default_factory=list)
    changed: set[bytes] = field(default_factory=set)  # authors whose high-water mark moved
    late: list[SignedPost] = field(default_factory=list)  # gap fills below the mark
    held: dict[bytes, bytes] = field(default_factory=dict)  # author -> peer that sent posts ahead


@dataclass
class PeerView:
    """What we know of one connected peer's posts."""

    synced: bool = False  # its HELLO arrived
    known: dict[bytes, int] = field(default_factory=dict)  # it has up to here (but its gaps)
    advertised: dict[bytes, int] = field(default_factory=dict)  # its HELLO's marks
    gaps: dict[bytes, RangeSet] = field(default_factory=dict)  # its known gaps, to fill
    wanted: dict[bytes, RangeSet] = field(default_factory=dict)  # what we asked it for
    deferred: dict[bytes, int] = field(default_factory=dict)  # dropped for rate, to ask again
    told: dict[bytes, int] = field(default_factory=dict)  # the marks our HELLO to it said
    hello_at: int = 0  # when our last HELLO to it went
    hellos: int = 1  # how many we sent it (the retry waits double each time)

    def solicited(self, author: bytes, seq: int) -> bool:
        if seq <= self.advertised.get(author, 0):
            return True
        wanted = self.wanted.get(author)
        return wanted is not None and seq in wanted


class SyncState:
    """What we know of the circle's posts and of each connected peer's (see :mod:`.postsync`)."""

    def __init__(
        self,
        circle_id: bytes,
        me: bytes,
        log: PostLog,
        *,
        is_member: IsMember,
        retention_cutoff: RetentionCutoff,
        limits: SyncLimits,
        wire_limits: WireLimits,
        stats: DropStats,
    ) -> None:
        self.circle_id = circle_id
        self.me = me
        self.log = log
        self.is_member = is_member
        self.retention_cutoff = retention_cutoff
        self.limits = limits
        self.wire_limits = wire_limits
        self.stats = stats
        self.hwm: dict[bytes, int] = dict(log.high_water_marks())
        self.holes: dict[bytes, RangeSet] = {}  # gaps we gave up on, below the marks
        self.gone: dict[bytes, RangeSet] = {}  # seqs above the marks a peer cannot send
        self.asked: dict[bytes, RangeSet] = {}  # seqs above the marks we sent a WANT for
        self.held = HoldBack(limits.max_held)
        self.peers: dict[bytes, PeerView] = {}
        self.pull_since: dict[bytes, int] = {}  # author -> when we started pulling it, unmet
        self.silent: dict[bytes, set[bytes]] = {}  # author -> peers that did not answer a pull
        self.loads: list[LoadPosts] = []  # bodies to read from storage, then send (an output)

    def front(self, author: bytes, mark: int) -> int:
        """The author's mark, moved past the seqs just above it that a peer said are gone."""
        gone = self.gone.get(author)
        if gone is not None:
            for lo, hi in gone.ranges():
                if lo <= mark + 1 <= hi:
                    return hi
        return mark

    def drop(self, peer: bytes, reason: DropReason, batch: Batch) -> None:
        self.stats.add(peer, reason)
        batch.events.append(Dropped(peer=peer, reason=reason, what="post"))

    def hello_due(self, view: PeerView) -> int:
        """When to send an unanswered HELLO again: 3 s, 6 s, 12 s ... at most a minute apart."""
        wait: int = self.limits.hello_retry_ms << min(view.hellos - 1, 5)
        return view.hello_at + min(wait, 60_000)


def chunks(ranges: Ranges | list[Range], size: int) -> list[Ranges]:
    """``ranges`` cut into pieces of at most ``size`` seqs each, in order."""
    out: list[Ranges] = []
    part: list[Range] = []
    room = size
    for lo, hi in ranges:
        while lo <= hi:
            take = min(hi, lo + room - 1)
            part.append((lo, take))
            room -= take - lo + 1
            lo = take + 1
            if room == 0:
                out.append(tuple(part))
                part, room = [], size
    if part:
        out.append(tuple(part))
    return out


def cap_ranges(ranges: Mapping[bytes, Ranges], limit: int) -> dict[bytes, Ranges]:
    out: dict[bytes, Ranges] = {}
    for author, rs in ranges.items():
        if limit <= 0:
            break
        out[author] = tuple(rs[:limit])
        limit -= len(out[author])
    return out
