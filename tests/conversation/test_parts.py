"""The small parts: range sets, the in-memory post log, the hold-back buffer, goodbyes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from messenger.conversation import ComposeError, MemoryPostLog, PeerGoodbye, SlowDown, sign_post
from messenger.conversation.holdback import HoldBack
from messenger.conversation.ranges import RangeSet, to_ranges
from messenger.conversation.wire import Goodbye, Limited, decode

from .harness import Solo
from .sim import CIRCLE, T0, Network, key_for

KEY = key_for("author")


@settings(max_examples=200, deadline=None)
@given(
    adds=st.lists(st.tuples(st.integers(1, 60), st.integers(0, 10)), max_size=12),
    removes=st.lists(st.tuples(st.integers(1, 60), st.integers(0, 10)), max_size=6),
)
def test_range_set_matches_a_plain_set(
    adds: list[tuple[int, int]], removes: list[tuple[int, int]]
) -> None:
    rs, plain = RangeSet(), set()
    for lo, span in adds:
        rs.add(lo, lo + span)
        plain |= set(range(lo, lo + span + 1))
    for lo, span in removes:
        rs.remove(lo, lo + span)
        plain -= set(range(lo, lo + span + 1))
    assert list(rs.ranges()) == to_ranges(sorted(plain))
    assert rs.count() == len(plain)
    assert all((s in rs) == (s in plain) for s in range(0, 75))
    if plain:
        lo, hi = min(plain), max(plain)
        assert rs.covers(lo, hi) == (len(plain) == hi - lo + 1)
    rs.discard_below(30)
    assert all(lo >= 30 for lo, _ in rs.ranges())


def test_memory_post_log() -> None:
    log = MemoryPostLog()
    posts = [sign_post(KEY, CIRCLE, s, f"p{s}", T0 + s) for s in (1, 2, 5, 3)]
    assert all(log.add(p, T0) for p in posts)
    assert not log.add(posts[0], T0)  # same id
    assert not log.add(sign_post(KEY, CIRCLE, 2, "other", T0), T0)  # same author and seq
    assert log.high_water_marks() == {bytes(KEY.verify_key): 5}
    pk = bytes(KEY.verify_key)
    assert [p.seq for p in log.posts_after(pk, 1, 10)] == [2, 3, 5]
    assert [p.seq for p in log.posts_after(pk, 0, 2)] == [1, 2]
    assert log.posts_after(b"x" * 32, 0, 10) == []
    assert log.contains(posts[1].id) and log.get(posts[1].id) == posts[1]
    assert log.at(pk, 5) == posts[2] and log.received_at(posts[2].id) == T0
    assert log.purge_older_than(T0 + 3) == 2
    assert sorted(p.seq for p in log) == [3, 5]


def test_hold_back_is_bounded() -> None:
    held = HoldBack(max_total=2)
    posts = [sign_post(KEY, CIRCLE, s, f"p{s}", T0) for s in (4, 6, 7)]
    assert held.hold(posts[0], b"p", T0)
    assert held.hold(posts[1], b"p", T0 + 5)
    assert not held.hold(posts[2], b"p", T0)
    pk = bytes(KEY.verify_key)
    assert held.gap_since[pk] == T0
    assert held.missing(pk, 1) == [(2, 3), (5, 5)]
    assert held.lowest(pk) == 4
    assert held.pop(pk, 4) is not None and held.pop(pk, 4) is None
    held.gap_filled(pk, T0 + 9)
    assert held.gap_since[pk] == T0 + 9
    assert held.pop(pk, 6) is not None
    held.gap_filled(pk, T0 + 10)
    assert pk not in held.gap_since and len(held) == 0


def test_goodbye_reaches_every_connected_peer() -> None:
    net = Network(["a", "b", "c"])
    net.mesh()
    net.run()
    outs = net["a"].engine.goodbye("Take care, everyone.")
    assert sorted(o.peer for o in outs) == sorted([net["b"].pk, net["c"].pk])
    assert {decode(o.data) for o in outs} == {Goodbye("Take care, everyone.")}
    net._send("a", outs)
    net.run()
    assert net["b"].of(PeerGoodbye) == [PeerGoodbye(net["a"].pk, "Take care, everyone.")]
    assert decode(net["a"].engine.goodbye()[0].data) == Goodbye(None)
    with pytest.raises(ComposeError):
        net["a"].engine.goodbye("x" * 2000)


def test_a_limited_notice_becomes_a_slow_down_event() -> None:
    solo = Solo()
    solo.connect("p")
    solo.recv("p", Limited(dropped=12, retry_after_ms=900))
    assert solo.of(SlowDown) == [SlowDown(solo.pks["p"], 12, 900)]
