"""An invite dialog opened again shows the spoken code that still works instead of replacing it
(issue 15 item 4: a code someone may be typing is never killed behind their back); the headless
``/code`` still replaces it, as docs/HEADLESS.md says."""

from __future__ import annotations

import pytest

from .inprocess import Peer

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(60)]


async def test_a_working_code_is_shown_again_not_replaced() -> None:
    host = await Peer().start()
    try:
        await host.do("/create Harbour Circle")
        circle_id = host.messenger.circles()[0].id
        first = await host.messenger.open_join_code(circle_id, reuse=True)
        again = await host.messenger.open_join_code(circle_id, reuse=True)
        assert again == first  # the same code, the same countdown
        await host.do("/code")  # the terminal asks for a new one
        replaced = host.last("code")["code"]
        assert replaced != first.code
        shown = await host.messenger.open_join_code(circle_id, reuse=True)
        assert shown.code == replaced
    finally:
        await host.close()
