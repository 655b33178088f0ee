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

:class:`PostSync` takes the calls; its state is :class:`~.syncstate.SyncState`, and the work is
done in :mod:`.receiving` (checks, order, gaps), :mod:`.asking` (pulls and WANTs) and
:mod:`.serving` (answers, loads from storage).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from . import asking, receiving, serving
from .envelope import SignedPost, decode_post
from .errors import EnvelopeError, PublishError
from .events import (
    Outgoing,
    PeerSynced,
)
from .logindex import LogMiss
from .ranges import RangeSet
from .ratelimit import PeerLimiter
from .syncstate import Batch, IsMember, PeerView, RetentionCutoff, SyncLimits, SyncState
from .wire import PREFIX, Hello, Posts, Ranges, Want, encode

__all__ = ["Batch", "IsMember", "PeerView", "PostSync", "RetentionCutoff", "SyncLimits"]


class PostSync(SyncState):
    """One circle's post replication for one member: the calls the conversation engine makes."""

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
                    sent, _, _ = serving.collect(self, author, lo, top, cutoff, budget)
                except LogMiss:
                    serving.load(self, peer, author, lo, top, batch)
                    continue
                budget -= len(sent)
                posts += sent
                for post in sent:
                    gaps.remove(post.seq, post.seq)
        serving.send_posts(self, peer, posts, gone, batch)
        batch.events.append(PeerSynced(peer))

    def on_want(
        self, peer: bytes, msg: Want, now: int, batch: Batch, *, loaded: bool = False
    ) -> None:
        """Serve what ``peer`` asked for; bodies not in memory are loaded first (the whole
        request is answered after that, ``loaded``: a second miss is not loaded again)."""
        try:
            posts, gone = serving.wanted(self, msg, now)
        except LogMiss:
            budget = 0 if loaded else self.limits.max_want_posts
            for author, ranges in msg.ranges.items():
                for lo, hi in ranges:
                    if budget > 0 and lo <= hi:
                        top = min(hi, lo + budget - 1)
                        serving.load(self, peer, author, lo, top, batch)
                        budget -= top - lo + 1
            return
        serving.send_posts(self, peer, posts, gone, batch)

    def serve_loaded(
        self, peer: bytes, author: bytes, lo: int, hi: int, now: int, batch: Batch
    ) -> None:
        """Storage loaded ``author``'s posts ``lo..hi`` for ``peer``: send them now."""
        if peer in self.peers:
            self.on_want(peer, Want({author: ((lo, hi),)}), now, batch, loaded=True)

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
            receiving.settle(self, author, now, batch)
        for author, peer in batch.held.items():
            asking.want_missing(self, author, [peer], batch, again=False)
        asking.pull(self, now, batch)
        self._forward(now, batch)

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
            serving.send_posts(self, peer, posts, gone, batch, also if posts else ())

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
                sent, missing, _ = serving.collect(self, author, after + 1, top, cutoff, None)
            except LogMiss:
                budget = self.limits.max_want_posts
                for lo in range(after + 1, top + 1, budget):
                    serving.load(self, peer, author, lo, min(top, lo + budget - 1), batch)
                return [], ()
            found = (sent, tuple(missing))
            if reads is not None:
                reads[key] = found
        return found

    def tick(self, now: int, limiters: Mapping[bytes, PeerLimiter], batch: Batch) -> None:
        """Time-driven work: give up on old gaps, ask everyone for young ones, recover drops."""
        everyone = [p for p, v in self.peers.items() if v.synced]
        for author in self.held.authors():
            since = self.held.gap_since.get(author, now)
            if now - since >= self.limits.gap_timeout_ms:
                receiving.give_up(self, author, now, batch)
                receiving.settle(self, author, now, batch)
            elif now - since >= self.limits.want_retry_ms and author not in self.held.retried:
                self.held.retried.add(author)
                asking.want_missing(self, author, everyone, batch, again=True)
        for author, since in list(self.pull_since.items()):
            if now - since >= self.limits.want_retry_ms:  # unanswered: ask the next peer
                del self.pull_since[author]
                asking.forget_asks(self, author)
        for peer, view in self.peers.items():
            limiter = limiters.get(peer)
            if limiter is not None and view.deferred and view.synced:
                asking.recover(self, peer, view, now, limiter, batch)
            if not view.synced and now >= self.hello_due(view):
                batch.out.append(self._hello_again(peer, view, now, answer=True))
        asking.pull(self, now, batch)
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
        due += [self.hello_due(view) for view in self.peers.values() if not view.synced]
        return min(due, default=None)

    def on_posts(
        self, peer: bytes, msg: Posts, now: int, limiter: PeerLimiter, batch: Batch
    ) -> None:
        receiving.on_posts(self, peer, msg, now, limiter, batch)
