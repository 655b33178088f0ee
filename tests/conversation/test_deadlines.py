"""The conversation engine says when it next has time-driven work (``next_deadline``), so the
messenger sleeps instead of ticking every circle once a second (issue 14).

The simulator (``sim.py``) ticks an engine only when its deadline is due, so every dissemination,
catch-up and rate-limit test in this folder also proves that nothing is lost by not ticking.
"""

from __future__ import annotations

from messenger.conversation import SyncLimits
from messenger.conversation.wire import Hello

from .harness import Solo
from .sim import Network


def test_a_synced_idle_circle_has_no_deadline() -> None:
    net = Network(["a", "b", "c", "d"])
    net.mesh()
    for i, name in enumerate(net.members):
        net.post(name, f"hello {i}")
    net.settle()
    assert all(m.engine.next_deadline(net.now) is None for m in net.members.values())
    skipped = net.idle_ticks_skipped
    for _ in range(30):
        net.tick(1000)
    assert net.idle_ticks_skipped == skipped + 30 * 4  # nobody was ticked
    assert net.run() == 0


def test_a_held_gap_is_due_at_the_retry_then_at_the_timeout() -> None:
    limits = SyncLimits(want_retry_ms=5_000, gap_timeout_ms=20_000)
    solo = Solo(sync_limits=limits)
    solo.connect("p")
    solo.connect("q")
    assert solo.engine.next_deadline(solo.now) is None
    posts = [solo.post("p", s) for s in range(1, 4)]
    start = solo.now
    solo.send_posts("p", posts[2])  # 1 and 2 missing: held, asked for
    assert solo.engine.next_deadline(solo.now) == start + 5_000
    solo.tick(5_000)  # asked everyone again: next comes the give-up
    assert solo.engine.next_deadline(solo.now) == start + 20_000
    solo.send_posts("q", posts[0], posts[1])  # the gap fills: nothing waits any more
    assert solo.shown() == [("p", 1), ("p", 2), ("p", 3)]
    assert solo.engine.next_deadline(solo.now) is None


def test_an_unanswered_pull_is_due_at_the_retry() -> None:
    solo = Solo(sync_limits=SyncLimits(want_retry_ms=5_000))
    solo.connect("p", hwm={})
    start = solo.now
    solo.connect("q", hwm={solo.pks["p"]: 3})  # q holds p's posts we lack: we pull them
    assert solo.engine.next_deadline(solo.now) == start + 5_000
    solo.send_posts("q", *[solo.post("p", s) for s in range(1, 4)])
    assert solo.engine.next_deadline(solo.now) is None


def test_a_lost_hello_is_asked_for_again_and_answered() -> None:
    """A peer whose HELLO never came (it arrived before the link carried the conversation on
    our side, and was dropped: a newcomer let in a moment later) is not pushed to; our HELLO
    goes again after ``hello_retry_ms``, asking for an answer, with waits doubling; its answer
    makes it synced and the next post reaches it. A HELLO that asks is answered once."""
    solo = Solo(sync_limits=SyncLimits(hello_retry_ms=3_000))
    outs, _ = solo.engine.peer_connected(solo.pks["p"], solo.now)  # its HELLO never arrives
    solo._record(outs)
    start = solo.now
    assert solo.engine.next_deadline(solo.now) == start + 3_000
    assert solo.tick(2_000) == []
    again = solo.tick(1_000)
    assert [(n, type(m).__name__, getattr(m, "answer", None)) for n, m in again] == [
        ("p", "Hello", True)
    ]
    assert solo.engine.next_deadline(solo.now) == solo.now + 6_000  # then 6 s, 12 s ...
    assert solo.recv("p", Hello(hwm={})) == []  # its answer: synced, nothing asked back
    assert solo.engine.next_deadline(solo.now) is None
    answered = solo.recv("p", Hello(hwm={}, answer=True))  # it lost ours: one back
    assert [(n, getattr(m, "answer", None)) for n, m in answered] == [("p", False)]
