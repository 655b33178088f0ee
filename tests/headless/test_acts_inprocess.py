"""Reply, react, delete for everyone and search between real headless sessions in this process
(real links on 127.0.0.1, a real profile on disk for the host), and the attacks on them:

- a retraction of someone else's post, signed by a member with a modified client and pushed over
  a real link, is refused by the other members (the post stays, nobody is told it was deleted);
- the same through the commands is refused with a clear error (``not_allowed``);
- a reaction signed by someone who holds the circle's key but is no member (no signed roster
  entry) is not counted;
- the author's deletion reaches the other member, whose search, history and database file (every
  page decrypted) no longer hold the text; a reply to it then quotes "deleted".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from nacl.signing import SigningKey

from messenger.acting import ActRefused
from messenger.conversation.envelope import REACT, RETRACT, sign_act
from messenger.conversation.wire import Posts, encode
from messenger.mux import Lane
from tests.acts.test_acts_store import plaintext_pages
from tests.closing import close_all

from .inprocess import Peer, circle_of
from .test_moderation_inprocess import runtime

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(90)]

WORD = "xylophonequartz"
PASS = "correct horse battery staple"


async def test_reply_react_delete_and_search_with_forgeries_refused(tmp_path: Path) -> None:
    profile = tmp_path / "host"
    host, ada = Peer(profile), Peer()
    try:
        await host.start(PASS)
        await ada.start()
        await circle_of(host, [ada])
        circle_id = host.messenger.circles()[0].id
        h, a = runtime(host, circle_id), runtime(ada, circle_id)

        await ada.do(f"/say the {WORD} by the river")
        await host.until(lambda: host.of("post"))
        post_id = host.last("post")["id"]

        await host.do(f"/reply {post_id[:8]} I hear that")
        await ada.until(lambda: any(p["body"] == "I hear that" for p in ada.of("post")))
        reply = ada.last("post")
        assert reply["reply_to"] == post_id
        assert reply["quote"]["body"] == f"the {WORD} by the river"
        assert reply["quote"]["author"] == a.membership.pseudonym

        await host.do(f"/react {post_id} hear")
        await ada.do(f"/react {post_id} hear")
        await host.until(
            lambda: host.of("reactions")[-1:] and host.last("reactions")["reactions"] == {"hear": 2}
        )
        await host.do(f"/react {post_id} hear")  # again: taken back
        await ada.until(lambda: ada.last("reactions")["reactions"] == {"hear": 1})
        assert ada.last("reactions")["mine"] == ["hear"]

        # A modified client: the host signs a retraction of ada's post and pushes it.
        def forge() -> list[object]:
            act = sign_act(
                h.membership.signing_key,
                circle_id,
                h.engine.next_seq(),
                RETRACT,
                bytes.fromhex(post_id),
                host.messenger._now_ms(),
            )
            return list(h.engine.publish(act, host.messenger._now_ms()))

        out = forge()
        host.messenger._session(circle_id).deliver(out)  # type: ignore[arg-type]
        await host.messenger._circles.pump(circle_id).drain()
        # A stranger's reaction, pushed over the same link.
        stranger = SigningKey.generate()
        foreign = sign_act(
            stranger, circle_id, 1, REACT, bytes.fromhex(post_id), host.messenger._now_ms(), "care"
        )
        link = h.link_for(a.me)
        assert link is not None
        await host.messenger._wire.send(link, Lane.CONVERSATION, encode(Posts((foreign.signed,))))
        await host.do("/say barrier")
        await ada.until(lambda: any(p["body"] == "barrier" for p in ada.of("post")))
        assert not ada.of("post_deleted")
        history = await ada.messenger.history(circle_id)
        [kept] = [p for p in history if p.body == f"the {WORD} by the river"]
        assert [(r.name, r.count) for r in kept.reactions] == [("hear", 1)]  # not the stranger's
        assert ada.last("reactions")["reactions"] == {"hear": 1}

        with pytest.raises(ActRefused, match="only delete your own") as refused:
            await host.do(f"/delete {post_id}")
        assert refused.value.code == "not_allowed"

        await ada.do(f"/delete {post_id}")
        await host.until(lambda: host.of("post_deleted"))
        assert host.last("post_deleted")["id"] == post_id
        await host.do(f"/search {WORD}")
        assert host.last("list") == {"event": "list", "what": "search", "items": []}
        await host.do("/search hear")
        assert [p["body"] for p in host.last("list")["items"]] == ["I hear that"]
        assert host.last("list")["items"][0]["quote"]["deleted"] is True
        assert WORD not in [p.body for p in await host.messenger.history(circle_id)]
    finally:
        await close_all(host, ada)
    assert WORD.encode() not in plaintext_pages(profile)
