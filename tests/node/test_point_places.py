"""Who gets a join-point place when every place is held (issue 16 item 4): the rule alone,
without sockets (``tests/node/test_join_points.py`` runs it over loopback)."""

from __future__ import annotations

import asyncio
import logging
from typing import cast

from network.lograte import RefusalLog
from network.node import NodeConfig
from network.node.points import PointPlaces

KEY, OTHER = b"k" * 32, b"o" * 32


def places(total: int = 4, per_address: int = 2) -> PointPlaces:
    config = NodeConfig(max_point_connections=total, max_point_connections_per_address=per_address)
    return PointPlaces(config, RefusalLog(logging.getLogger(__name__), "refused"))


def conn() -> asyncio.StreamWriter:
    return cast(asyncio.StreamWriter, object())


def test_an_address_over_its_share_is_refused_and_displaces_nobody() -> None:
    held = places()
    for _ in range(2):
        assert held.admit(KEY, "a", conn()) != (None, None)
    assert held.admit(KEY, "a", conn()) == (None, None)
    assert len(held) == 2


def test_a_full_house_gives_the_busiest_addresses_oldest_idle_place_up() -> None:
    held = places()
    b_first = conn()
    held.admit(KEY, "b", b_first)
    held.admit(KEY, "a", conn())
    held.admit(KEY, "b", conn())
    held.admit(KEY, "c", conn())
    place, displaced = held.admit(KEY, "d", conn())
    assert place is not None and displaced is not None
    assert displaced.writer is b_first  # "b" held two; its older one goes
    assert len(held) == 4
    held.release(displaced)  # its handler ends later: releasing again changes nothing
    assert len(held) == 4


def test_connections_that_made_progress_keep_their_places() -> None:
    held = places(total=2)
    first, second = conn(), conn()
    held.admit(KEY, "a", first)
    held.admit(KEY, "b", second)
    held.progressed(first)
    _, displaced = held.admit(KEY, "c", conn())
    assert displaced is not None and displaced.writer is second  # "a" was older, but engaged


def test_all_places_held_by_progress_refuse_a_newcomer() -> None:
    held = places(total=2)
    for peer in ("a", "b"):
        writer = conn()
        held.admit(KEY, peer, writer)
        held.progressed(writer)
    assert held.admit(KEY, "c", conn()) == (None, None)


def test_withdrawing_a_point_gives_up_only_its_places() -> None:
    held = places()
    mine, theirs = conn(), conn()
    held.admit(KEY, "a", mine)
    held.admit(OTHER, "b", theirs)
    assert held.withdraw([OTHER]) == [mine]
    assert len(held) == 1
