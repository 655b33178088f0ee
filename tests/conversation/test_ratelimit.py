"""Receive limits: a flood is cut to the bucket, counted, the sender told once, then cooled down."""

from __future__ import annotations

from messenger.conversation import (
    CoolDown,
    DropReason,
    PeerLimited,
    RateLimits,
    SlowDown,
)
from messenger.conversation.ratelimit import PeerLimiter
from messenger.conversation.wire import Limited, Typing, Want
from network.clock import Millis
from network.ratelimit import TokenBucket

from .harness import Solo
from .sim import Network


def test_token_bucket_refills_over_time() -> None:
    bucket = TokenBucket.per_window(20, 20, 10_000, now=0)  # milliseconds
    assert sum(bucket.take(0) for _ in range(30)) == 20
    assert not bucket.take(100)
    assert bucket.ticks_until(100) == 401
    assert bucket.take(500)
    assert bucket.available(20_000) == 20  # never above capacity
    assert bucket.take_up_to(20_000, 50) == 20


def test_100_posts_in_a_second_from_one_peer() -> None:
    solo = Solo()
    solo.connect("p")
    start = solo.now
    for seq in range(1, 101):
        solo.now = start + (seq - 1) * 4  # 100 posts within 0.4 s
        solo.send_posts("p", solo.post("p", seq))
    assert solo.shown() == [("p", s) for s in range(1, 21)]
    assert solo.engine.stats[DropReason.RATE_LIMITED] == 80
    notices = solo.sent_of(Limited, to="p")
    assert len(notices) == 1  # told once
    assert notices[0].dropped >= 1 and notices[0].retry_after_ms > 0
    assert len(solo.of(PeerLimited)) == 1
    assert not solo.of(CoolDown)
    # the rest is reported with the next notice, once one is allowed again
    solo.tick(10_000)
    later = solo.sent_of(Limited, to="p")
    assert len(later) == 2
    assert notices[0].dropped + later[1].dropped == 80


def test_one_batch_of_100_new_posts_is_cut_to_20() -> None:
    solo = Solo()
    solo.connect("p")
    solo.send_posts("p", *[solo.post("p", s) for s in range(1, 101)])
    assert len(solo.shown()) == 20
    assert solo.sent_of(Limited) == [Limited(dropped=80, retry_after_ms=501)]


def test_catch_up_we_asked_for_is_not_limited() -> None:
    solo = Solo()
    solo.connect("p", hwm={})
    solo.engine.peer_lost(solo.pks["p"])
    solo.connect("p", hwm={solo.pks["p"]: 500})  # it says it holds 500 of its own
    posts = [solo.post("p", s) for s in range(1, 501)]
    for i in range(0, 500, 100):
        solo.send_posts("p", *posts[i : i + 100])
    assert len(solo.shown()) == 500
    assert solo.engine.stats[DropReason.RATE_LIMITED] == 0


def test_persistent_flooding_asks_for_a_cool_down_once() -> None:
    solo = Solo(rate_limits=RateLimits(cool_down_ms=Millis(30_000)))
    solo.connect("p")
    for seq in range(1, 501):  # 100 posts a second for 5 s
        solo.now += 10
        solo.send_posts("p", solo.post("p", seq))
    cool = solo.of(CoolDown)
    assert len(cool) == 1
    assert cool[0].peer == solo.pks["p"]
    assert solo.engine.cooling_until(solo.pks["p"], solo.now) == cool[0].until
    assert solo.engine.stats[DropReason.COOLING_DOWN] > 0
    shown = len(solo.shown())
    assert shown < 40
    # after the cool-down the peer is heard again
    solo.now = cool[0].until + 1
    solo.engine.peer_lost(solo.pks["p"])
    solo.connect("p", hwm={})
    solo.send_posts("p", solo.post("p", shown + 1))
    assert len(solo.shown()) == shown + 1


def test_other_messages_have_their_own_bucket() -> None:
    solo = Solo(rate_limits=RateLimits(messages_burst=10, messages_per_window=10))
    solo.connect("p")  # its HELLO took one
    for _ in range(20):
        solo.recv("p", Typing(True))
    assert solo.engine.stats[DropReason.RATE_LIMITED] == 11


def test_limiter_notice_is_rate_limited_itself() -> None:
    limiter = PeerLimiter(RateLimits(), now=0)
    for _ in range(25):
        limiter.allow_post(0)
    assert limiter.take_notice(0) == Limited(dropped=5, retry_after_ms=501)
    for _ in range(5):
        limiter.allow_post(1)
    assert limiter.take_notice(1) is None
    assert limiter.take_notice(10_001) is not None


def test_a_burst_is_delayed_not_lost_and_the_sender_hears_of_it() -> None:
    net = Network(["a", "b"])
    net.link("a", "b")
    net.run()
    for i in range(60):
        net.post("a", f"burst {i}")
    net.run()
    assert len(net["b"].shown()) == 20
    assert net["a"].of(SlowDown)
    net.settle(seconds=60)
    assert net["b"].shown_bodies() == [f"burst {i}" for i in range(60)]


def test_a_later_post_does_not_fetch_the_dropped_ones_for_free() -> None:
    solo = Solo()
    solo.connect("p")
    solo.send_posts("p", *[solo.post("p", s) for s in range(1, 101)])
    assert len(solo.shown()) == 20
    solo.now += 1000  # one token back
    solo.send_posts("p", solo.post("p", 101))
    assert solo.sent_of(Want) == []  # 21..100 were dropped for p's rate: not asked again here
    asked = 0
    for _ in range(10):
        for want in solo.sent_of(Want)[asked:]:
            asked += 1
            (ranges,) = want.ranges.values()
            assert sum(hi - lo + 1 for lo, hi in ranges) <= 3  # only as the bucket allows
        solo.tick(1000)
    assert asked >= 5
