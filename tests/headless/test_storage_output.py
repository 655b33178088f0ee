"""Storage is an output of the conversation engine (issue 14): the engine runs on the event
loop over an in-memory index of the post log and never touches the database; what it stores
is written on the database thread before anything acknowledging it leaves, and the bodies it
must send but does not hold are loaded first.

With real sessions in this process (real links on 127.0.0.1, a real SQLCipher profile): a host
posts, quits and starts again, so its engine holds the index of its log but not one body; a
newcomer then catches up on every post, in order, served from disk; every engine call ran on
the loop's thread.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from tests.closing import close_all

from .inprocess import Peer, circle_of

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(120)]

PASS = "correct horse battery staple"
POSTS = 30


async def test_a_restarted_holder_serves_catch_up_from_disk_on_the_loop(tmp_path: Path) -> None:
    profile = tmp_path / "host"
    host, ada = Peer(profile), Peer()
    try:
        await host.start(PASS)
        await ada.start()
        link = await circle_of(host, [ada])
        for i in range(POSTS):
            await host.do(f"/say post {i}")
        await ada.until(lambda: len(ada.of("post")) >= POSTS)
    finally:
        await close_all(host, ada)

    again, bea = Peer(profile), Peer()
    try:
        await again.start(PASS)
        circle_id = again.messenger.circles()[0].id
        session = again.messenger._session(circle_id)
        index = session.storage.index
        assert len(index) >= POSTS and index.bodies == 0  # the log's index, no body
        engine = session.rt.engine
        threads: set[int] = set()
        for name in ("receive", "tick", "peer_connected", "loaded", "publish"):
            original = getattr(engine, name)

            def spy(*args: Any, _original: Any = original) -> Any:
                threads.add(threading.get_ident())
                return _original(*args)

            setattr(engine, name, spy)

        await bea.start()
        await bea.do(f"/join {link}")
        await bea.until(lambda: len(bea.of("post")) >= POSTS, timeout=60)
        bodies = [p["body"] for p in bea.of("post")]
        assert bodies == [f"post {i}" for i in range(POSTS)]
        assert index.bodies >= POSTS  # loaded from disk to be sent
        await again.do("/say after the restart")
        await bea.until(lambda: bea.of("post")[-1]["body"] == "after the restart")
        assert threads == {threading.get_ident()}  # the event loop's thread, never the DB's
    finally:
        await close_all(again, bea)
