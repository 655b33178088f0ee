"""Replicating one circle's posts among the members connected to us (sans-IO).

How it works, in the order things happen:

- **Connect.** Each side sends HELLO: its per-author high-water marks (the highest seq it holds)
  and its known gaps (seqs below those it gave up waiting for). Catch-up is *pulled*: on a HELLO
  whose marks are ahead of ours, we ask (WANT) for what we lack, each range of at most
  ``max_want_posts`` from one peer only, so a member who comes back to nine holders receives each
  post once, not nine times; the next chunk is asked for when one arrives, a range whose peer
  left or stays silent past ``want_retry_ms`` is asked of another. The holder answers within the
  circle's retention, chunked into POSTS messages; seqs it cannot send (expired, or missing there
  too) ride along as ``gone`` ranges. Known gaps a peer advertises are pushed to it, and so is
  what we stored after sending it our HELLO (it could not know to ask).
- **Live.** A post we store goes to every connected peer whose high-water mark for that author is
  below it, so posts hop across members who are not linked directly (A → B → C). We track what
  each peer has (from its HELLO, what it sent us, what we sent it, duplicates it sent us) and send
  only what it lacks; duplicates are dropped by id before any other work. A push names, by 8-byte
  key prefix, every member it goes to (``also``): a receiver counts those as having it and does
  not forward to them. In a full mesh a post is sent N−1 times in all (once by its author, never
  forwarded); where links are missing it still crosses them, with at most a few duplicates. A
  push lost to a dying link is caught up like any other gap: on the next post from that author
  (a WANT), or on reconnection (HELLO).
- **Checks.** Before a post is stored, shown or forwarded: strict decoding, this circle, the author
  a member (``is_member``), the signature, the timestamp within retention and not far in the
  future, and no second post with the same author and seq (first one wins).
- **Order.** Posts are shown (``PostReceived``) exactly once and in each author's seq order. A post
  past a gap is held back and the gap asked for (WANT) from whoever sent it, then from every peer
  after ``want_retry_ms``. We stop waiting when a peer says the gap is gone (expired or missing
  there too) or after ``gap_timeout_ms``: the held posts are then shown, the gap is remembered as a
  known gap, asked for in later HELLOs, and shown late (``late=True``) if it ever arrives.
- **Limits.** Unsolicited new posts (not catch-up we asked for: seqs at or below the peer's
  advertised high-water mark, or in our WANTs) take a token from the peer's bucket; posts dropped
  for that are asked for again later, paid from the same bucket, so a burst is delayed, not lost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from .envelope import SignedPost, decode_post, post_id, verify_post
from .errors import DropReason, EnvelopeError, PublishError
from .events import (
    ConversationEvent,
    Dropped,
    GapAbandoned,
    LoadPosts,
    Outgoing,
    PeerSynced,
    PostReceived,
)
from .holdback import HoldBack
from .logindex import LogMiss
from .postlog import PostLog
from .ranges import Range, RangeSet
from .ratelimit import PeerLimiter
from .stats import DropStats
from .wire import PREFIX, Hello, Posts, Ranges, Want, WireLimits, encode, posts_messages

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


class PostSync:
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

    # -- peers ----------------------------------------------------------------------------
    def add_peer(self, peer: bytes, now: int) -> Outgoing:
        hello = self.hello()
        self.peers[peer] = PeerView(told=dict(hello.hwm), hello_at=now)
        return Outgoing(peer, encode(hello))

    def _hello_again(self, peer: bytes, view: PeerView, now: int, *, answer: bool) -> Outgoing:
        """Our HELLO once more (``answer``: asking for theirs, which never came). The link may
        carry the conversation on one side before the other (a newcomer's HELLO that arrived
        before the host had let it in was dropped there): without this, that side never pushed
        to the other."""
        hello = replace(self.hello(), answer=answer)
        view.told = {a: max(view.told.get(a, 0), s) for a, s in hello.hwm.items()}
        view.hello_at = now
        view.hellos += 1
        return Outgoing(peer, encode(hello))

    def remove_peer(self, peer: bytes) -> None:
        view = self.peers.pop(peer, None)
        if view is None:
            return
        for author, ranges in view.wanted.items():  # ask someone else for what it owed us
            asked = self.asked.get(author)
            if asked is not None:
                for lo, hi in ranges.ranges():
                    asked.remove(lo, hi)

    def hello(self) -> Hello:
        hwm = dict(list(self.hwm.items())[: self.wire_limits.max_authors])
        gaps: dict[bytes, Ranges] = {}
        budget = min(self.limits.max_hello_gaps, self.wire_limits.max_ranges)
        for author, holes in self.holes.items():
            if budget <= 0:
                break
            ranges = holes.ranges()[-budget:]
            if ranges and author in hwm:
                gaps[author] = ranges
                budget -= len(ranges)
        return Hello(hwm=hwm, gaps=gaps)

    def next_seq(self) -> int:
        """Our next post's seq: past what we hold and what any peer says it holds of ours
        (after we lost our history), believing a peer only up to ``max_ahead`` past our mark."""
        mark = self.hwm.get(self.me, 0)
        theirs = (view.advertised.get(self.me, 0) for view in self.peers.values())
        return min(max(mark, *theirs, 0), mark + self.limits.max_ahead) + 1

    # -- incoming -------------------------------------------------------------------------
    def on_hello(self, peer: bytes, msg: Hello, now: int, batch: Batch) -> None:
        view = self.peers[peer]
        if msg.answer:
            batch.out.append(self._hello_again(peer, view, now, answer=False))
        view.synced = True
        view.advertised = dict(msg.hwm)
        view.known = dict(msg.hwm)
        view.gaps = {a: RangeSet(rs) for a, rs in msg.gaps.items()}
        cutoff = self.retention_cutoff(now)
        posts: list[SignedPost] = []
        gone: dict[bytes, Ranges] = {}
        for author, top in self.hwm.items():  # what came after our HELLO: it cannot ask for it
            told = view.told.get(author, 0)
            if top > told:
                view.known[author] = max(view.known.get(author, 0), told)
                sent, missing = self._lacking(peer, view, author, cutoff, batch)
                posts += sent
                if missing:
                    gone[author] = missing
        budget = self.limits.max_want_posts
        for author, gaps in view.gaps.items():
            for lo, hi in gaps.ranges():
                top = min(hi, self.hwm.get(author, 0))
                try:
                    sent, _, _ = self._collect(author, lo, top, cutoff, budget)
                except LogMiss:
                    self._load(peer, author, lo, top, batch)
                    continue
                budget -= len(sent)
                posts += sent
                for post in sent:
                    gaps.remove(post.seq, post.seq)
        self._send_posts(peer, posts, gone, batch)
        batch.events.append(PeerSynced(peer))

    def on_want(
        self, peer: bytes, msg: Want, now: int, batch: Batch, *, loaded: bool = False
    ) -> None:
        """Serve what ``peer`` asked for; bodies not in memory are loaded first (the whole
        request is answered after that, ``loaded``: a second miss is not loaded again)."""
        try:
            posts, gone = self._wanted(msg, now)
        except LogMiss:
            budget = 0 if loaded else self.limits.max_want_posts
            for author, ranges in msg.ranges.items():
                for lo, hi in ranges:
                    if budget > 0 and lo <= hi:
                        top = min(hi, lo + budget - 1)
                        self._load(peer, author, lo, top, batch)
                        budget -= top - lo + 1
            return
        self._send_posts(peer, posts, gone, batch)

    def serve_loaded(
        self, peer: bytes, author: bytes, lo: int, hi: int, now: int, batch: Batch
    ) -> None:
        """Storage loaded ``author``'s posts ``lo..hi`` for ``peer``: send them now."""
        if peer in self.peers:
            self.on_want(peer, Want({author: ((lo, hi),)}), now, batch, loaded=True)

    def _load(self, peer: bytes, author: bytes, lo: int, hi: int, _batch: Batch) -> None:
        if lo <= hi:
            self.loads.append(LoadPosts(peer, author, lo, hi))

    def _wanted(self, msg: Want, now: int) -> tuple[list[SignedPost], dict[bytes, Ranges]]:
        cutoff = self.retention_cutoff(now)
        budget = self.limits.max_want_posts
        posts: list[SignedPost] = []
        gone: dict[bytes, Ranges] = {}
        for author, ranges in msg.ranges.items():
            missing = RangeSet()
            for lo, hi in ranges:
                if budget <= 0:
                    break
                sent, not_here, complete = self._collect(author, lo, hi, cutoff, budget)
                budget -= len(sent)
                posts += sent
                for a, b in not_here:
                    missing.add(a, b)
                if not complete:
                    break
            if missing:
                gone[author] = missing.ranges()
        return posts, gone

    def on_posts(
        self, peer: bytes, msg: Posts, now: int, limiter: PeerLimiter, batch: Batch
    ) -> None:
        view = self.peers[peer]
        for author, ranges in msg.gone.items():
            mark = self.hwm.get(author, 0)
            gone = self.gone.setdefault(author, RangeSet())
            for lo, hi in ranges:
                if hi > mark:
                    gone.add(max(lo, mark + 1), hi)
            if len(gone) > self.limits.max_gone_ranges:
                gone.discard_below(gone.ranges()[-self.limits.max_gone_ranges][0])
        cutoff = self.retention_cutoff(now)
        tops: dict[bytes, int] = {}
        for data in msg.posts:
            seen = self._accept(peer, view, data, now, cutoff, limiter, batch)
            if seen is not None:
                author, seq = seen
                tops[author] = max(tops.get(author, 0), seq)
        if msg.also and tops:
            self._pushed_elsewhere(peer, msg.also, tops)
        for author in msg.gone:
            if self.held.lowest(author) is not None:
                batch.held.setdefault(author, peer)

    def _pushed_elsewhere(
        self, sender: bytes, also: tuple[bytes, ...], tops: Mapping[bytes, int]
    ) -> None:
        """``sender`` pushed these posts to the members named in ``also`` too: count them as
        having them (up to each author's top seq here), so we do not forward to them."""
        named = set(also)
        for member, view in self.peers.items():
            if member == sender or member[:PREFIX] not in named:
                continue
            for author, seq in tops.items():
                if seq > view.known.get(author, 0):
                    view.known[author] = seq

    def _accept(
        self,
        peer: bytes,
        view: PeerView,
        data: bytes,
        now: int,
        cutoff: int | None,
        limiter: PeerLimiter,
        batch: Batch,
    ) -> tuple[bytes, int] | None:
        """Take in one post from ``peer``; its (author, seq) when it is a post of this circle the
        peer holds (new, held back or a duplicate), else None."""
        pid = post_id(data)
        if self.log.contains(pid) or self.held.has_id(pid):
            self.stats.add(peer, DropReason.DUPLICATE)
            try:  # the peer has it: never send it back (a parse, no signature check)
                dup = decode_post(data, verify=False).envelope
            except EnvelopeError:
                return None
            view.known[dup.author_key] = max(view.known.get(dup.author_key, 0), dup.seq)
            return dup.author_key, dup.seq
        try:
            post = decode_post(data, verify=False)
        except EnvelopeError as exc:
            self._drop(peer, exc.reason, batch)
            return None
        env = post.envelope
        if env.circle_id != self.circle_id:
            self._drop(peer, DropReason.WRONG_CIRCLE, batch)
            return None
        if not self.is_member(env.author_key):
            self._drop(peer, DropReason.NOT_MEMBER, batch)
            return None
        if not view.solicited(env.author_key, env.seq) and not limiter.allow_post(now):
            self.stats.add(peer, DropReason.RATE_LIMITED)
            view.deferred[env.author_key] = max(view.deferred.get(env.author_key, 0), env.seq)
            return None
        try:
            verify_post(post)
        except EnvelopeError as exc:
            self._drop(peer, exc.reason, batch)
            return None
        if env.ts > now + self.limits.max_clock_skew_ms:
            self._drop(peer, DropReason.FUTURE, batch)
            return None
        if cutoff is not None and env.ts < cutoff:
            self._drop(peer, DropReason.EXPIRED, batch)
            return None
        author, seq = env.author_key, env.seq
        view.known[author] = max(view.known.get(author, 0), seq)
        mark = self.hwm.get(author, 0)
        if seq <= mark:
            if self._store(post, peer, now, batch, late=True):
                holes = self.holes.get(author)
                if holes is not None:
                    holes.remove(seq, seq)
                batch.late.append(post)
        elif seq == mark + 1:
            if self._store(post, peer, now, batch):
                self._release(author, now, batch)
        elif seq - self._front(author, mark) > self.limits.max_ahead:
            self._drop(peer, DropReason.TOO_FAR_AHEAD, batch)
            return None
        elif self.held.at(author, seq) is not None:
            self._drop(peer, DropReason.EQUIVOCATION, batch)
            return None
        elif not self.held.hold(post, peer, now):
            self._drop(peer, DropReason.BUFFER_FULL, batch)
            return None
        else:
            batch.held.setdefault(author, peer)
        return author, seq

    def _front(self, author: bytes, mark: int) -> int:
        """The author's mark, moved past the seqs just above it that a peer said are gone."""
        gone = self.gone.get(author)
        if gone is not None:
            for lo, hi in gone.ranges():
                if lo <= mark + 1 <= hi:
                    return hi
        return mark

    def _store(
        self, post: SignedPost, peer: bytes, now: int, batch: Batch, *, late: bool = False
    ) -> bool:
        if not self.log.add(post, now):
            self._drop(peer, DropReason.EQUIVOCATION, batch)
            return False
        if post.seq > self.hwm.get(post.author_key, 0):
            self.hwm[post.author_key] = post.seq
            self.pull_since.pop(post.author_key, None)
            batch.changed.add(post.author_key)
        batch.events.append(PostReceived(post=post, peer=peer, late=late))
        return True

    def _release(self, author: bytes, now: int, batch: Batch) -> None:
        """Store the held posts that now follow on from the author's mark."""
        released = False
        while (item := self.held.pop(author, self.hwm.get(author, 0) + 1)) is not None:
            released = True
            if not self._store(item.post, item.peer, now, batch):
                break
        if released:
            self.held.gap_filled(author, now)
        mark = self.hwm.get(author, 0)
        for ranges in (self.gone.get(author), self.asked.get(author)):
            if ranges is not None:
                ranges.discard_below(mark + 1)
        for view in self.peers.values():
            wanted = view.wanted.get(author)
            if wanted is not None:
                wanted.discard_below(mark + 1)

    def _give_up(self, author: bytes, now: int, batch: Batch) -> None:
        """Stop waiting for the front gap: remember it, show the held posts after it."""
        low = self.held.lowest(author)
        if low is None:
            return
        first = self.hwm.get(author, 0) + 1
        if low > first:
            self.holes.setdefault(author, RangeSet()).add(first, low - 1)
            batch.events.append(GapAbandoned(author, first, low - 1))
        item = self.held.pop(author, low)
        assert item is not None
        self._store(item.post, item.peer, now, batch)
        self._release(author, now, batch)
        self.held.gap_filled(author, now)

    def _settle(self, author: bytes, now: int, batch: Batch) -> None:
        """Give up on front gaps that peers told us are gone (bounded by what is held)."""
        for _ in range(self.limits.max_held + 1):
            low = self.held.lowest(author)
            if low is None:
                return
            gone = self.gone.get(author)
            first = self.hwm.get(author, 0) + 1
            if not (gone is not None and gone.covers(first, low - 1)):
                return
            self._give_up(author, now, batch)

    # -- outgoing -------------------------------------------------------------------------
    def publish(self, post: SignedPost, now: int, batch: Batch) -> None:
        env = post.envelope
        if env.circle_id != self.circle_id:
            raise PublishError("the post is for another circle")
        if env.author_key != self.me:
            raise PublishError("the post is not ours")
        if not self.is_member(self.me):
            raise PublishError("we are not a member of this circle")
        if env.seq != self.next_seq():
            raise PublishError(f"seq {env.seq} is not the next one ({self.next_seq()})")
        try:
            checked = decode_post(post.signed)
        except EnvelopeError as exc:
            raise PublishError(f"the post does not check out: {exc.reason.value}") from None
        if checked != post:
            raise PublishError("the post's fields do not match its signed bytes")
        if not self.log.add(post, now):
            raise PublishError("the post is stored already")
        self.hwm[self.me] = env.seq
        batch.changed.add(self.me)

    def finish(self, now: int, batch: Batch) -> None:
        """After a call: settle gaps, ask for what is missing, forward what peers lack."""
        waiting = {a for a in batch.changed if self.held.lowest(a) is not None}
        for author in waiting | set(batch.held):
            self._settle(author, now, batch)
        for author, peer in batch.held.items():
            self._want_missing(author, [peer], batch, again=False)
        self._pull(now, batch)
        self._forward(now, batch)

    def _pull(self, now: int, batch: Batch) -> None:
        """Ask for what synced peers advertised beyond our marks and nobody was asked for yet:
        each range from one peer (the one ahead furthest), at most ``max_want_posts`` at a time."""
        tops: dict[bytes, tuple[bool, int, bytes]] = {}
        for peer, view in self.peers.items():
            if not view.synced:
                continue
            for author, seq in view.advertised.items():
                # the furthest ahead, a peer that has not let us down first
                rank = (peer not in self.silent.get(author, ()), seq, peer)
                if seq > self.hwm.get(author, 0) and rank > tops.get(author, (False, 0, b"")):
                    tops[author] = rank
        for author, (reliable, top, peer) in tops.items():
            if not reliable:
                self.silent.pop(author, None)  # everyone let us down once: start over
            mark = self.hwm.get(author, 0)
            if self.held.lowest(author) is not None:
                continue  # the gap logic is asking already
            front = self._front(author, mark)
            if top <= front:
                continue
            need = RangeSet()
            chunk = self.limits.max_want_posts
            need.add(front + 1, min(top, front + chunk * self.limits.pull_chunks))
            asked = self.asked.setdefault(author, RangeSet())
            for lo, hi in asked.ranges():
                need.remove(lo, hi)
            gone = self.gone.get(author)
            if gone is not None:
                for lo, hi in gone.ranges():
                    need.remove(lo, hi)
            ranges = need.ranges()[: self.wire_limits.max_ranges]
            if not ranges:
                continue
            wanted = self.peers[peer].wanted.setdefault(author, RangeSet())
            for lo, hi in ranges:
                asked.add(lo, hi)
                wanted.add(lo, hi)
            self.pull_since.setdefault(author, now)
            for part in _chunks(ranges, chunk):
                batch.out.append(Outgoing(peer, encode(Want({author: part}))))

    def _want_missing(
        self, author: bytes, peers: list[bytes], batch: Batch, *, again: bool
    ) -> None:
        """Ask ``peers`` for the seqs missing before the author's held posts (``again``: even
        those asked for already, from someone else). Seqs we dropped for a peer's rate are not
        asked of that peer here: they come back only as its bucket allows (see ``_recover``)."""
        mark = self.hwm.get(author, 0)
        missing = RangeSet(self.held.missing(author, mark))
        asked = self.asked.setdefault(author, RangeSet())
        if not again:
            for lo, hi in asked.ranges():
                missing.remove(lo, hi)
        if not missing:
            return
        for peer in peers:
            view = self.peers.get(peer)
            if view is None or not view.synced:
                continue
            mine = RangeSet(missing.ranges())
            mine.remove(mark + 1, view.deferred.get(author, 0))
            ranges = mine.ranges()[: self.wire_limits.max_ranges]
            if not ranges:
                continue
            wanted = view.wanted.setdefault(author, RangeSet())
            for lo, hi in ranges:
                wanted.add(lo, hi)
                asked.add(lo, hi)
            batch.out.append(Outgoing(peer, encode(Want({author: ranges}))))

    def _forward(self, now: int, batch: Batch) -> None:
        """Push what each synced peer lacks of the authors that moved; every push names all the
        members this round goes to (``also``), so they do not forward to each other."""
        if not batch.changed and not batch.late:
            return
        cutoff = self.retention_cutoff(now)
        reads: dict[tuple[bytes, int], tuple[list[SignedPost], Ranges]] = {}
        pushes: list[tuple[bytes, list[SignedPost], dict[bytes, Ranges]]] = []
        for peer, view in self.peers.items():
            if not view.synced:
                continue
            posts: list[SignedPost] = []
            gone: dict[bytes, Ranges] = {}
            for author in batch.changed:
                sent, missing = self._lacking(peer, view, author, cutoff, batch, reads)
                posts += sent
                if missing:
                    gone[author] = missing
            for post in batch.late:
                gaps = view.gaps.get(post.author_key)
                if gaps is not None and post.seq in gaps:
                    posts.append(post)
                    gaps.remove(post.seq, post.seq)
            if posts or gone:
                pushes.append((peer, posts, gone))
        also = tuple(peer[:PREFIX] for peer, posts, _ in pushes if posts)
        for peer, posts, gone in pushes:
            self._send_posts(peer, posts, gone, batch, also if posts else ())

    def _lacking(
        self,
        peer: bytes,
        view: PeerView,
        author: bytes,
        cutoff: int | None,
        batch: Batch,
        reads: dict[tuple[bytes, int], tuple[list[SignedPost], Ranges]] | None = None,
    ) -> tuple[list[SignedPost], Ranges]:
        """What ``view`` lacks of ``author`` above its mark (and what we cannot send of that);
        ``reads`` keeps what one round read from the log, so each range is read once. Bodies
        not in memory are loaded and sent to the peer afterwards."""
        top = self.hwm.get(author, 0)
        after = view.known.get(author, 0)
        if top <= after:
            return [], ()
        view.known[author] = top
        key = (author, after)
        found = reads.get(key) if reads is not None else None
        if found is None:
            try:
                sent, missing, _ = self._collect(author, after + 1, top, cutoff, None)
            except LogMiss:
                budget = self.limits.max_want_posts
                for lo in range(after + 1, top + 1, budget):
                    self._load(peer, author, lo, min(top, lo + budget - 1), batch)
                return [], ()
            found = (sent, tuple(missing))
            if reads is not None:
                reads[key] = found
        return found

    def _collect(
        self, author: bytes, lo: int, hi: int, cutoff: int | None, budget: int | None
    ) -> tuple[list[SignedPost], list[Range], bool]:
        """The author's posts in ``lo..hi`` within retention (at most ``budget``), the seqs of that
        range we cannot send, and whether the whole range was covered. Raises
        :class:`~.logindex.LogMiss` when the log holds bodies of that range elsewhere."""
        sent: list[SignedPost] = []
        missing = RangeSet()
        expected, cursor = lo, lo - 1
        page_size = self.limits.log_page
        complete = True
        for _ in range((hi - lo) // max(page_size, 1) + 2):
            if cursor >= hi:
                break
            page = self.log.posts_after(author, cursor, page_size)
            for post in page:
                if post.seq > hi:
                    break
                if cutoff is not None and post.ts < cutoff:
                    continue
                if budget is not None and len(sent) >= budget:
                    complete = False
                    break
                if post.seq > expected:
                    missing.add(expected, post.seq - 1)
                sent.append(post)
                expected = post.seq + 1
            if not complete or len(page) < page_size:
                break
            cursor = page[-1].seq
        top = min(hi, self.hwm.get(author, 0))  # above our mark we lack it too, for now
        if complete and expected <= top:
            missing.add(expected, top)
        return sent, list(missing.ranges()), complete

    def _send_posts(
        self,
        peer: bytes,
        posts: list[SignedPost],
        gone: Mapping[bytes, Ranges],
        batch: Batch,
        also: tuple[bytes, ...] = (),
    ) -> None:
        if not posts and not gone:
            return
        gone = _cap_ranges(gone, self.wire_limits.max_ranges)
        for data in posts_messages(
            [p.signed for p in posts],
            gone,
            self.limits.batch_posts,
            self.limits.batch_bytes,
            also[: self.wire_limits.max_also],
        ):
            batch.out.append(Outgoing(peer, data))

    # -- time -----------------------------------------------------------------------------
    def tick(self, now: int, limiters: Mapping[bytes, PeerLimiter], batch: Batch) -> None:
        """Time-driven work: give up on old gaps, ask everyone for young ones, recover drops."""
        everyone = [p for p, v in self.peers.items() if v.synced]
        for author in self.held.authors():
            since = self.held.gap_since.get(author, now)
            if now - since >= self.limits.gap_timeout_ms:
                self._give_up(author, now, batch)
                self._settle(author, now, batch)
            elif now - since >= self.limits.want_retry_ms and author not in self.held.retried:
                self.held.retried.add(author)
                self._want_missing(author, everyone, batch, again=True)
        for author, since in list(self.pull_since.items()):
            if now - since >= self.limits.want_retry_ms:  # unanswered: ask the next peer
                del self.pull_since[author]
                self._forget_asks(author)
        for peer, view in self.peers.items():
            limiter = limiters.get(peer)
            if limiter is not None and view.deferred and view.synced:
                self._recover(peer, view, now, limiter, batch)
            if not view.synced and now >= self._hello_due(view):
                batch.out.append(self._hello_again(peer, view, now, answer=True))
        self._pull(now, batch)
        self._forward(now, batch)

    def next_deadline(self, now: int) -> int | None:
        """When :meth:`tick` next has work: a gap to ask about again or give up on, an
        unanswered pull, posts dropped for a peer's rate to ask for again (due at once); None
        when nothing waits on time, so an idle circle is never ticked."""
        due: list[int] = []
        limits = self.limits
        for author in self.held.authors():
            since = self.held.gap_since.get(author, now)
            due.append(since + limits.gap_timeout_ms)
            if author not in self.held.retried:
                due.append(since + limits.want_retry_ms)
        due += [since + limits.want_retry_ms for since in self.pull_since.values()]
        if any(view.deferred and view.synced for view in self.peers.values()):
            due.append(now)
        due += [self._hello_due(view) for view in self.peers.values() if not view.synced]
        return min(due, default=None)

    def _hello_due(self, view: PeerView) -> int:
        """When to send an unanswered HELLO again: 3 s, 6 s, 12 s ... at most a minute apart."""
        wait: int = self.limits.hello_retry_ms << min(view.hellos - 1, 5)
        return view.hello_at + min(wait, 60_000)

    def _forget_asks(self, author: bytes) -> None:
        """The peers we asked for ``author``'s posts did not answer in time: forget the asks
        and count those peers as silent for this author, so the next pull asks another."""
        self.asked.pop(author, None)
        silent = self.silent.setdefault(author, set())
        for peer, view in self.peers.items():
            if view.wanted.pop(author, None) is not None:
                silent.add(peer)

    def _recover(
        self, peer: bytes, view: PeerView, now: int, limiter: PeerLimiter, batch: Batch
    ) -> None:
        """Ask again, as far as the peer's bucket allows, for posts dropped for its rate."""
        asks: dict[bytes, Ranges] = {}
        for author, top in list(view.deferred.items()):
            mark = self.hwm.get(author, 0)
            if top <= mark:
                del view.deferred[author]
                continue
            wanted = view.wanted.setdefault(author, RangeSet())
            seqs = [
                s
                for s in range(mark + 1, min(top, mark + self.limits.max_ahead) + 1)
                if self.held.at(author, s) is None and s not in wanted
            ]
            granted = limiter.posts.take_up_to(now, len(seqs))
            if not granted:
                continue
            ranges = RangeSet()
            for s in seqs[:granted]:
                ranges.add(s, s)
            for lo, hi in ranges.ranges():
                wanted.add(lo, hi)
            asks[author] = ranges.ranges()
        if asks:
            batch.out.append(
                Outgoing(peer, encode(Want(_cap_ranges(asks, self.wire_limits.max_ranges))))
            )

    def _drop(self, peer: bytes, reason: DropReason, batch: Batch) -> None:
        self.stats.add(peer, reason)
        batch.events.append(Dropped(peer=peer, reason=reason, what="post"))


def _chunks(ranges: Ranges | list[Range], size: int) -> list[Ranges]:
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


def _cap_ranges(ranges: Mapping[bytes, Ranges], limit: int) -> dict[bytes, Ranges]:
    out: dict[bytes, Ranges] = {}
    for author, rs in ranges.items():
        if limit <= 0:
            break
        out[author] = tuple(rs[:limit])
        limit -= len(out[author])
    return out
