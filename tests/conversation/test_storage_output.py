"""Storage as an output of the sync engine (issue 14): the engine decides from an in-memory
:class:`LogIndex` (ids, seqs, dates, the recent bodies); its writes are drained by the adapter and
the bodies it lacks are loaded on request (``take_loads`` / ``loaded``).

The index on its own, then the replication scenarios of ``test_sync_network``,
``test_dissemination`` and ``test_sync_order`` run again with each engine holding at most a few
bodies in memory (the simulator performs the storage like ``messenger/session.py``): everything
they assert still holds, and the loads were exercised.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from types import ModuleType

import pytest
from nacl.signing import SigningKey

from messenger.conversation import CircleSync, SyncLimits, sign_post
from messenger.conversation.logindex import CACHED_POSTS, LogIndex, LogMiss

from . import sim, test_dissemination, test_sync_network, test_sync_order
from .sim import CIRCLE, T0, Network

KEY = SigningKey(b"\x05" * 32)
AUTHOR = bytes(KEY.verify_key)


def _posts(n: int) -> list:  # type: ignore[type-arg]
    return [sign_post(KEY, CIRCLE, seq, f"post {seq}", T0 + seq) for seq in range(1, n + 1)]


def test_the_index_knows_every_post_and_holds_few_bodies() -> None:
    index = LogIndex(cached=3)
    posts = _posts(10)
    assert all(index.add(p, T0) for p in posts)
    assert not index.add(posts[0], T0)  # the same id
    other = sign_post(KEY, CIRCLE, 4, "a second post numbered 4", T0)
    assert not index.add(other, T0)  # the same (author, seq): equivocation
    assert [p for p, _ in index.take_writes()] == posts and index.take_writes() == []
    assert all(index.contains(p.id) for p in posts) and index.bodies == 3
    assert index.high_water_marks() == {AUTHOR: 10}
    assert [p.seq for p in index.posts_after(AUTHOR, 7, 10)] == [8, 9, 10]
    with pytest.raises(LogMiss) as miss:
        index.posts_after(AUTHOR, 0, 5)
    assert (miss.value.author, miss.value.lo, miss.value.hi) == (AUTHOR, 1, 5)


def test_loaded_bodies_are_kept_until_sent_and_vanished_seqs_forgotten() -> None:
    posts = _posts(10)
    index = LogIndex([(p.id, AUTHOR, p.seq, p.envelope.ts) for p in posts], cached=2)
    assert len(index) == 10 and index.bodies == 0
    index.loaded(AUTHOR, 1, 6, [p for p in posts[:6] if p.seq != 3])  # 3 was purged meanwhile
    assert [p.seq for p in index.posts_after(AUTHOR, 0, 5)] == [1, 2, 4, 5, 6]
    assert not index.contains(posts[2].id)


def test_a_retracted_post_is_never_sent_again_but_stays_a_duplicate() -> None:
    index = LogIndex()
    posts = _posts(3)
    for p in posts:
        index.add(p, T0)
    index.forget([posts[1].id])
    assert [p.seq for p in index.posts_after(AUTHOR, 0, 10)] == [1, 3]
    assert index.contains(posts[1].id)


def test_a_purge_forgets_what_it_removed() -> None:
    index = LogIndex()
    for p in _posts(5):
        index.add(p, T0)
    assert index.forget_before(T0 + 3) == 2
    assert [p.seq for p in index.posts_after(AUTHOR, 0, 10)] == [3, 4, 5]


def test_the_cache_holds_a_whole_catch_up_answer() -> None:
    assert SyncLimits().max_want_posts <= CACHED_POSTS


def test_a_holder_with_no_body_in_memory_serves_a_catch_up() -> None:
    net = Network(["a", "b"], cached=4)
    for i in range(50):
        net.post("a", f"post {i}")
    a = net["a"]
    assert a.index is not None and len(a.log) == 50
    a.index = LogIndex([(p.id, p.author_key, p.seq, p.envelope.ts) for p in a.log], cached=4)
    a.engine = CircleSync(CIRCLE, a.pk, a.index, is_member=net.is_member)  # a restart
    net.link("a", "b")
    net.settle()
    assert net["b"].shown_bodies() == [f"post {i}" for i in range(50)]
    assert net.loads > 0


def _scenarios(*modules: ModuleType) -> Iterator[tuple[str, Callable[[], None]]]:
    for module in modules:
        for name, fn in vars(module).items():
            if name.startswith("test_") and callable(fn) and fn.__code__.co_argcount == 0:
                if "Network(" not in inspect.getsource(fn):
                    continue  # drives one engine by hand: no simulated storage to change
                yield f"{module.__name__.rsplit('.', 1)[-1]}::{name}", fn


SCENARIOS = dict(_scenarios(test_sync_network, test_dissemination, test_sync_order))


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_scenario_holds_with_few_bodies_in_memory(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    defaults = sim.Network.__init__.__kwdefaults__
    assert defaults is not None
    monkeypatch.setitem(defaults, "cached", 3)
    SCENARIOS[name]()
