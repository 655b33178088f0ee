"""``Controller.idle`` waits for requests in flight and then returns, however the loop runs
their done callbacks (on Python 3.12 it once spun at 100% CPU at quit)."""

from __future__ import annotations

import asyncio

import pytest
from pytestqt.qtbot import QtBot

from messenger.facade import Messenger
from messenger.options import parse_args
from ui.controller import Controller
from ui.main_window import MainWindow

pytestmark = pytest.mark.timeout(60)
IDLE_BOUND = 10.0  # a hang guard, not a speed check


def test_idle_returns_once_every_request_is_done(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop
) -> None:
    window = MainWindow()
    qtbot.addWidget(window)

    async def scenario() -> None:
        messenger = Messenger(parse_args(["--ephemeral", "--interface", "127.0.0.1"]))
        await messenger.start()
        controller = Controller(window, messenger)
        done: list[str] = []
        try:

            async def request(name: str, then: str | None = None) -> None:
                await asyncio.sleep(0.01)
                if then is not None:  # a request that starts another one while idle waits
                    controller.spawn(request(then))
                done.append(name)

            first = controller.spawn(request("first", then="chained"))
            # A finished request whose done callback has not run (the state that spun):
            # idle must not depend on that callback to empty its set.
            stuck = controller.spawn(request("stuck"))
            stuck.remove_done_callback(controller._tasks.discard)
            await asyncio.wait_for(controller.idle(), IDLE_BOUND)
            assert sorted(done) == ["chained", "first", "stuck"]
            assert first.done() and stuck.done()
            await asyncio.wait_for(controller.idle(), IDLE_BOUND)  # nothing in flight: at once
        finally:
            await messenger.close()

    qasync_loop.run_until_complete(asyncio.wait_for(scenario(), 40))
