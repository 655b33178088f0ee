"""An anonymous report, through the headless commands of three real peers in one process on
127.0.0.1: it reaches the host (with the post as evidence) naming nobody, and no ordinary member.

In one process so that the random delay of anonymous reports (up to a minute) can be set to none.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from messenger.events import Event
from messenger.facade import Messenger
from messenger.headless.commands import parse_line
from messenger.headless.output import event_fields
from messenger.headless.session import Session
from messenger.moderating import ModerationRefused
from messenger.moderation import EngineLimits
from messenger.options import parse_args

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(60)]


class Peer:
    def __init__(self) -> None:
        options = parse_args(["--ephemeral", "--interface", "127.0.0.1", "--headless"])
        self.messenger = Messenger(options, moderation_limits=EngineLimits(report_delay_ms=0))
        self.events: list[dict[str, Any]] = []
        self.changed = asyncio.Event()
        self.messenger.subscribe(self._seen)
        self.session: Session | None = None

    def _seen(self, event: Event) -> None:
        self.events.append(event_fields(event))
        self.changed.set()

    async def start(self) -> Peer:
        await self.messenger.start()
        self.session = Session(self.messenger, self._seen)
        return self

    async def do(self, line: str) -> None:
        command = parse_line(line)
        assert command is not None and self.session is not None
        await self.session.handle(command)

    def of(self, name: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["event"] == name]

    async def until(self, check: Callable[[], object], timeout: float = 20.0) -> None:
        async def wait() -> None:
            while not check():
                self.changed.clear()
                await self.changed.wait()

        await asyncio.wait_for(wait(), timeout)

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
        await self.messenger.close()


async def test_an_anonymous_report_names_nobody_and_reaches_only_moderators() -> None:
    host, rude, kind = Peer(), Peer(), Peer()
    try:
        for peer in (host, rude, kind):
            await peer.start()
        await host.do("/create Harbour Circle")
        link = host.of("circle")[0]["invite"]
        await rude.do(f"/join {link}")
        await kind.do(f"/join {link}")
        for peer in (host, rude, kind):
            await peer.until(lambda p=peer: len({e["key"] for e in p.of("peer_connected")}) >= 2)  # type: ignore[misc]
        await rude.do("/say nobody wants you here")
        await kind.until(lambda: any(p["body"] == "nobody wants you here" for p in kind.of("post")))
        post = kind.of("post")[-1]
        rude_name = post["author"]

        await kind.do(f"/report {post['id'][:10]} threat")  # by post id: that post is evidence
        await host.until(lambda: host.of("report"))
        report = host.of("report")[0]
        assert report["reason"] == "threat" and report["member"] == rude_name
        assert report["post_id"] == post["id"] and report["post_body"] == "nobody wants you here"
        assert report["anonymous"] is True
        assert "reporter" not in report and "reporter_key" not in report
        keys = {e["key"] for e in host.of("peer_connected")} - {post["author_key"]}
        assert len(keys) == 1 and keys.pop() not in str(report)
        await kind.until(lambda: any("reached a moderator" in str(e) for e in kind.of("info")))
        await asyncio.sleep(0.5)
        assert not rude.of("report") and not kind.of("report")

        # A report without a reason or words asks for them; one on oneself is refused.
        with pytest.raises(ModerationRefused, match="what is wrong") as refused:
            await kind.do(f"/report {rude_name}")
        assert refused.value.code == "not_allowed"
        own = kind.messenger.circles()[0].my_pseudonym
        with pytest.raises(ModerationRefused, match="yourself"):
            await kind.do(f"/report {own} spam")
    finally:
        for peer in (host, rude, kind):
            await peer.close()
