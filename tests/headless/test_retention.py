"""Retention is enforced by the running app: old posts go, this-session-only circles leave
nothing behind when the session ends."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from messenger.facade import Messenger
from messenger.options import parse_args
from messenger.storage import MINIMUM
from messenger.views import CircleSettingsView, Retention
from network.node import NodeConfig
from tests.closing import close_all

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(60)]


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def messenger_at(profile: Path, clock: Clock) -> Messenger:
    options = parse_args(["--headless", "--profile", str(profile), "--interface", "127.0.0.1"])
    return Messenger(
        options,
        node_config=NodeConfig(interfaces=("127.0.0.1",), discovery=False),
        kdf=MINIMUM,
        clock=clock,
    )


async def test_posts_older_than_the_retention_are_deleted(tmp_path: Path) -> None:
    clock = Clock()
    m = messenger_at(tmp_path / "p", clock)
    await m.start("pass")
    try:
        circle = await m.create_circle(
            "Two hours", settings=CircleSettingsView(Retention.HOURS, retention_amount=2)
        )
        await m.post(circle.id, "an old thought")
        clock.now += 3 * 3600
        await m.post(circle.id, "a new thought")
        assert [p.body for p in await m.history(circle.id)] == ["an old thought", "a new thought"]
        assert await m.enforce_retention() == 1
        assert [p.body for p in await m.history(circle.id)] == ["a new thought"]
    finally:
        await m.close()


async def test_session_only_circles_keep_nothing_after_the_session(tmp_path: Path) -> None:
    clock = Clock()
    m = messenger_at(tmp_path / "p", clock)
    await m.start("pass")
    circle = await m.create_circle("Tonight", settings=CircleSettingsView(Retention.SESSION))
    await m.post(circle.id, "said tonight only")
    assert len(await m.history(circle.id)) == 1
    await m.close()
    again = messenger_at(tmp_path / "p", clock)
    await again.start("pass")
    try:
        assert [c.name for c in again.circles()] == ["Tonight"]
        assert await again.history(circle.id) == []
    finally:
        await again.close()
    await asyncio.sleep(0)


async def test_the_lobby_is_not_kept_in_a_profile(tmp_path: Path) -> None:
    clock = Clock()
    m = messenger_at(tmp_path / "p", clock)
    await m.start("pass")
    view = await m.set_lobby_visible(True)
    assert view is not None and m.lobby_visible
    await m.post(view.id, "said in the lobby")
    await m.close()
    again = messenger_at(tmp_path / "p", clock)
    await again.start("pass")
    try:
        assert again.circles() == [] and not again.lobby_visible
    finally:
        await again.close()


async def test_people_here_counts_me_and_whoever_is_linked(tmp_path: Path) -> None:
    clock = Clock()
    host, guest = messenger_at(tmp_path / "h", clock), messenger_at(tmp_path / "g", clock)
    await host.start("pass")
    await guest.start("pass")
    try:
        circle = await host.create_circle("Count", settings=CircleSettingsView(auto_approve=True))
        assert host.circle(circle.id).members_present == 1  # just me
        await guest.join_link(circle.invite_link)
        port = int(host.listen_addresses[0].rsplit(":", 1)[1])
        await guest.dial("127.0.0.1", port, circle.id)
        for _ in range(100):
            if host.circle(circle.id).members_present == 2:
                break
            await asyncio.sleep(0.05)
        assert host.circle(circle.id).members_present == 2
    finally:
        await close_all(host, guest)
