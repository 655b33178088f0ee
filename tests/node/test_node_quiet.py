"""Bindings that are not announced (``CircleBinding.announce=False``): a circle's old epoch.

Such a node answers and dials whoever announces the circle, but nobody finds it by discovery: two
nodes that both hold the circle quietly never meet.
"""

from __future__ import annotations

import dataclasses
import os

import pytest

from tests.closing import close_all

from .helpers import binding, dialing, discovered, started

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(60)]

CIRCLE = b"circle-quiet----"
SECRET = os.urandom(32)


async def test_a_quiet_circle_dials_announcers_but_quiet_holders_never_meet() -> None:
    a, ra = await started([dataclasses.replace(binding(CIRCLE, SECRET, "A"), announce=False)])
    b, rb = await started([dataclasses.replace(binding(CIRCLE, SECRET, "B"), announce=False)])
    try:
        await discovered(a, b)  # both see each other on mDNS, but neither announces the circle
        await discovered(b, a)
        assert not dialing(a, b) and not dialing(b, a)
        assert not ra.connected and not rb.connected
        c, rc = await started([binding(CIRCLE, SECRET, "C")])
        try:
            await rc.until(lambda: len({e.identity for e in rc.connected}) >= 2, timeout=20)
            assert {e.identity for e in rc.connected} == {"A", "B"}
            await discovered(a, c)  # C appearing changes nothing between A and B
            await discovered(b, c)
            assert not dialing(a, b) and not dialing(b, a)
            # C's side of a link can be up a moment before A's and B's (3.12 shows it often).
            await ra.until(lambda: bool(ra.connected))
            await rb.until(lambda: bool(rb.connected))
            assert [e.identity for e in ra.connected] == ["C"]
            assert [e.identity for e in rb.connected] == ["C"]
        finally:
            await c.close()
    finally:
        await close_all(a, b)


async def test_a_binding_can_turn_quiet_and_back() -> None:
    loud = binding(CIRCLE, SECRET, "A")
    a, ra = await started([dataclasses.replace(loud, announce=False)])
    b, rb = await started([dataclasses.replace(binding(CIRCLE, SECRET, "B"), announce=False)])
    try:
        await discovered(a, b)
        await discovered(b, a)
        assert not dialing(a, b) and not dialing(b, a)
        assert not ra.connected
        await a.set_circles([loud])  # announced from now on: B, holding it quietly, dials
        await rb.until(lambda: bool(rb.connected), timeout=20)
        assert rb.connected[0].identity == "A"
    finally:
        await close_all(a, b)
