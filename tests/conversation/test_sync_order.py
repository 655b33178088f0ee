"""Order, gaps, retention and catch-up, message by message against one engine."""

from __future__ import annotations

from typing import Any

from messenger.conversation import (
    GapAbandoned,
    PeerSynced,
    PublishError,
    SyncLimits,
    decode_post,
    sign_post,
)
from messenger.conversation.wire import Hello, Posts, Want

from .harness import Solo
from .sim import CIRCLE

HOUR = 3600 * 1000


def test_out_of_order_posts_are_held_asked_for_and_shown_in_order() -> None:
    solo = Solo()
    solo.connect("p")
    posts = [solo.post("p", s) for s in range(1, 6)]
    solo.send_posts("p", posts[0])
    sent = solo.send_posts("p", posts[2], posts[4])
    assert solo.shown() == [("p", 1)]
    wants = [m for _, m in sent if isinstance(m, Want)]
    assert wants == [Want({solo.pks["p"]: ((2, 2), (4, 4))})]
    solo.send_posts("p", posts[3])
    assert solo.shown() == [("p", 1)]
    solo.send_posts("p", posts[1])
    assert solo.shown() == [("p", 1), ("p", 2), ("p", 3), ("p", 4), ("p", 5)]
    assert not solo.dropped()
    assert len(solo.log) == 5


def test_the_same_gap_is_asked_for_once_then_from_everyone_then_given_up() -> None:
    solo = Solo(sync_limits=SyncLimits(want_retry_ms=5_000, gap_timeout_ms=20_000))
    solo.connect("p")
    solo.connect("q")
    posts = [solo.post("p", s) for s in range(1, 6)]
    solo.send_posts("p", posts[2])
    solo.send_posts("p", posts[3])
    assert len(solo.sent_of(Want)) == 1  # not again for the second held post
    solo.tick(6_000)
    assert [m for m in solo.sent_of(Want)][1:] == [Want({solo.pks["p"]: ((1, 2),)})] * 2
    assert {n for n, m in solo.sent if isinstance(m, Want)} == {"p", "q"}
    assert solo.shown() == []
    for _ in range(15):
        solo.tick(1_000)
    assert solo.shown() == [("p", 3), ("p", 4)]
    assert solo.of(GapAbandoned) == [GapAbandoned(solo.pks["p"], 1, 2)]
    # the gap is a known gap: asked for in the next HELLO, shown late when it comes
    solo.engine.peer_lost(solo.pks["q"])
    hello, _ = solo.engine.peer_connected(solo.pks["q"], solo.now)
    assert solo.engine.posts.hello().gaps == {solo.pks["p"]: ((1, 2),)}
    assert hello
    solo.send_posts("q", posts[0], posts[1])
    assert solo.shown()[-2:] == [("p", 1), ("p", 2)]
    late = [e.late for e in solo.events if hasattr(e, "late")]
    assert late == [False, False, True, True]
    solo.send_posts("q", posts[0])  # and only once
    assert len(solo.shown()) == 4


def test_gone_ranges_release_held_posts_at_once() -> None:
    solo = Solo()
    solo.connect("p")
    posts = [solo.post("p", s) for s in range(1, 8)]
    solo.send_posts("p", posts[4], posts[5], gone={solo.pks["p"]: ((1, 3),)})
    assert solo.shown() == []  # 4 is still missing, and not said to be gone
    solo.send_posts("p", gone={solo.pks["p"]: ((4, 4),)})
    assert solo.shown() == [("p", 5), ("p", 6)]
    assert solo.of(GapAbandoned) == [GapAbandoned(solo.pks["p"], 1, 4)]


def converse(a: Solo, b: Solo, first: list[tuple[str, Any]]) -> None:
    """Carry messages between two engines, each the other's "q", until neither has more."""
    to_b: list[Any] = [m for _, m in first]
    to_a: list[Any] = []
    for _ in range(200):
        if not to_b and not to_a:
            return
        next_a = [m for msg in to_b for _, m in b.recv("q", msg)]
        next_b = [m for msg in to_a for _, m in a.recv("q", msg)]
        to_a, to_b = next_a, next_b
    raise AssertionError("the two engines never went quiet")


def test_connecting_pushes_nothing_the_peer_asks_for_what_it_lacks() -> None:
    """Catch-up is pulled: a HELLO is answered with our HELLO only; the one who lacks asks."""
    solo = Solo()
    for seq in range(1, 6):
        solo.log.add(solo.post("p", seq), solo.now)
    solo.rebuild()
    sent = solo.connect("q", hwm={})
    assert [type(m) for _, m in sent] == [Hello]
    # q says it holds p's posts up to 9: we ask q, and only q, for 6..9
    sent = solo.connect("p", hwm={})
    sent = solo.recv("q", Hello(hwm={solo.pks["p"]: 9}))
    assert sent == [("q", Want({solo.pks["p"]: ((6, 9),)}))]


def test_catch_up_sends_only_what_the_peer_lacks_and_within_retention() -> None:
    now = 1_700_000_000_000
    solo = Solo(now=now, retention_cutoff=lambda t: t - 24 * HOUR)
    for seq in range(1, 11):
        ts = now - 48 * HOUR if seq <= 4 else now - HOUR  # 1..4 are older than retention
        solo.log.add(solo.post("p", seq, ts=ts), now)
    mine = [sign_post(solo.key, CIRCLE, s, f"mine {s}", now - HOUR) for s in (1, 2)]
    for post in mine:
        solo.log.add(post, now)
    solo.rebuild()
    solo.connect("q", hwm={solo.pks["p"]: 6})
    # q lacks p's 7.. and all of mine: what it asks for is what it gets, nothing more
    sent = solo.recv("q", Want({solo.pks["p"]: ((7, 10),), solo.me: ((1, 2),)}))
    batches = [m for _, m in sent if isinstance(m, Posts)]
    seqs = sorted(
        (post.author_key == solo.me, post.seq)
        for batch in batches
        for post in map(decode_post, batch.posts)
    )
    assert seqs == [(False, 7), (False, 8), (False, 9), (False, 10), (True, 1), (True, 2)]
    # a peer that has nothing of p's learns that 1..4 are gone (expired), so it does not wait
    solo.connect("p", hwm={})
    sent = solo.recv("p", Want({solo.pks["p"]: ((1, 10),)}))
    gone = [m.gone for _, m in sent if isinstance(m, Posts) and m.gone]
    assert gone == [{solo.pks["p"]: ((1, 4),)}]
    assert solo.of(PeerSynced)


def test_a_member_returning_after_retention_catches_up_without_waiting() -> None:
    now = 1_700_000_000_000
    cutoff = lambda t: t - 24 * HOUR  # noqa: E731
    sender = Solo(now=now, retention_cutoff=cutoff)
    for seq in range(1, 21):
        ts = now - 48 * HOUR if seq <= 10 else now - HOUR
        sender.log.add(sender.post("p", seq, ts=ts), now)
    receiver = Solo(now=now, retention_cutoff=cutoff)
    receiver.log.add(receiver.post("p", 1, ts=now - 72 * HOUR), now)
    receiver.rebuild()
    sender.rebuild()
    # each is "q" to the other: carry what they say until both are quiet
    receiver.connect("q", hwm={})
    converse(sender, receiver, sender.connect("q", hwm={receiver.pks["p"]: 1}))
    assert receiver.shown() == [("p", s) for s in range(11, 21)]
    assert receiver.of(GapAbandoned) == [GapAbandoned(receiver.pks["p"], 2, 10)]


def test_a_want_is_answered_with_posts_and_what_is_gone() -> None:
    solo = Solo()
    for seq in (1, 2, 4, 5):
        solo.log.add(solo.post("p", seq), solo.now)
    solo.rebuild()
    solo.connect("q", hwm={solo.pks["p"]: 5})
    sent = solo.recv("q", Want({solo.pks["p"]: ((2, 4), (9, 12))}))
    (reply,) = [m for _, m in sent]
    assert isinstance(reply, Posts)
    assert len(reply.posts) == 2
    assert reply.gone == {solo.pks["p"]: ((3, 3),)}  # 9..12: we lack them too, for now


def test_publish_checks_the_post() -> None:
    solo = Solo()
    assert solo.engine.next_seq() == 1
    solo.engine.publish(sign_post(solo.key, CIRCLE, 1, "hello", solo.now), solo.now)
    assert solo.engine.next_seq() == 2
    bad = [
        sign_post(solo.key, CIRCLE, 5, "skips", solo.now),
        sign_post(solo.key, b"other circle", 2, "wrong circle", solo.now),
        solo.post("p", 2),
        sign_post(solo.key, CIRCLE, 1, "again", solo.now),
    ]
    for post in bad:
        try:
            solo.engine.publish(post, solo.now)
        except PublishError:
            continue
        raise AssertionError(f"published {post.envelope.body!r}")


def test_next_seq_respects_what_peers_hold_of_ours() -> None:
    """After losing our history (a fresh device), never reuse a seq a peer has seen."""
    solo = Solo()
    solo.engine.peer_connected(solo.pks["p"], solo.now)
    solo.recv("p", Hello(hwm={solo.me: 41}))
    assert solo.engine.next_seq() == 42
    solo.engine.peer_connected(solo.pks["q"], solo.now)
    solo.recv("q", Hello(hwm={solo.me: 2**63 - 1}))  # a lie cannot push us off the end
    assert solo.engine.next_seq() == SyncLimits().max_ahead + 1


def test_a_long_expired_prefix_does_not_count_as_too_far_ahead() -> None:
    now = 1_700_000_000_000
    cutoff = lambda t: t - 24 * HOUR  # noqa: E731
    sender = Solo(now=now, retention_cutoff=cutoff)
    for seq in range(1, 7001):
        ts = now - 48 * HOUR if seq <= 6000 else now - HOUR
        sender.log.add(sender.post("p", seq, ts=ts), now)
    sender.rebuild()
    receiver = Solo(now=now, retention_cutoff=cutoff)
    receiver.connect("q", hwm={})
    converse(sender, receiver, sender.connect("q", hwm={}))
    assert receiver.shown() == [("p", s) for s in range(6001, 7001)]
    assert not receiver.dropped()
