"""An anonymous report, through the headless commands of three real peers in one process on
127.0.0.1: it reaches the host (with the post as evidence) naming nobody, and no ordinary member.

In one process so that the random delay of anonymous reports (up to a minute) can be set to none.
"""

from __future__ import annotations

import pytest

from messenger.moderating import ModerationRefused
from tests.closing import close_all

from .inprocess import Peer, circle_of

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(60)]


async def test_an_anonymous_report_names_nobody_and_reaches_only_moderators() -> None:
    host, rude, kind = Peer(), Peer(), Peer()
    try:
        for peer in (host, rude, kind):
            await peer.start()
        await circle_of(host, [rude, kind])
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
        await kind.until(lambda: any("reached the moderators" in str(e) for e in kind.of("info")))
        # Barrier: posts from the reporter and from the host after the report; a copy of the
        # report to anyone else would have reached them first.
        await kind.do("/say barrier from kind")
        await host.do("/say barrier from host")
        for peer, marker in ((rude, "kind"), (rude, "host"), (kind, "host")):
            body = f"barrier from {marker}"
            await peer.until(lambda p=peer, b=body: any(x["body"] == b for x in p.of("post")))  # type: ignore[misc]
        assert not rude.of("report") and not kind.of("report")

        # A report without a reason or words asks for them; one on oneself is refused.
        with pytest.raises(ModerationRefused, match="what is wrong") as refused:
            await kind.do(f"/report {rude_name}")
        assert refused.value.code == "not_allowed"
        own = kind.messenger.circles()[0].my_pseudonym
        with pytest.raises(ModerationRefused, match="yourself"):
            await kind.do(f"/report {own} spam")
    finally:
        await close_all(host, rude, kind)
