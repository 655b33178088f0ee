"""A modified Hearth client that forges anonymous posts (issue 17), for the real-process test.

Run as ``python -m tests.anonymous.forger --headless --json ...``. Its ``/say`` understands:

- ``/say forge-outsider TEXT``: a post whose ring is the roster plus a key nobody admitted,
  signed with that key (a non-member's forgery), pushed straight to every link; then
  ``barrier TEXT``, a valid anonymous post of its own, pushed after it on the same links;
- ``/say forge-export PATH``: a post signed with its own key and the roster it holds, for the
  epoch after the next removal, written (hex) to PATH and not sent (what a removed member
  makes and hands to an accomplice);
- ``/say forge-file PATH``: pushes the post in PATH to every link, then a valid ``barrier``.

Anything else is posted normally.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from nacl.signing import SigningKey

from messenger import anonymity
from messenger.anonymous import wire
from messenger.conversation.anon_envelope import AnonymousPost, make_anonymous_post

original_making = anonymity.AnonymousLane.making


def push(lane: anonymity.AnonymousLane, posts: list[bytes]) -> None:
    """Queue each post on every link, as a ``POSTS`` catch-up message (sent by the pump)."""
    for peer in list(lane.session.rt.links):
        for data in posts:
            lane.session.send_anonymous(peer, wire.encode(wire.Posts((data,))))


def signed(
    lane: anonymity.AnonymousLane, seed: bytes, ring: list[bytes], epoch: int, body: str
) -> bytes:
    rt = lane.session.rt
    made = make_anonymous_post(seed, ring, rt.id, epoch, body, lane.session.now_ms())
    return made.post.signed


def making(
    self: anonymity.AnonymousLane,
    body: str,
    now: int,
    *,
    reply_to: bytes | None,
    content_warning: str | None,
) -> Callable[[], AnonymousPost]:
    rt = self.session.rt
    command, _, rest = body.partition(" ")
    mine = rt.membership.signing_seed
    if command == "forge-outsider":
        outsider = SigningKey.generate()
        ring = [*anonymity.ring(rt), bytes(outsider.verify_key)]
        forged = signed(self, bytes(outsider), ring, rt.circle.epoch, rest)
        barrier = signed(self, mine, anonymity.ring(rt), rt.circle.epoch, f"barrier {rest}")
        push(self, [forged, barrier])
    elif command == "forge-export":
        data = signed(self, mine, anonymity.ring(rt), rt.circle.epoch + 1, "from a removed member")
        Path(rest).write_text(data.hex(), encoding="utf-8")
        return original_making(self, "exported", now, reply_to=None, content_warning=None)
    elif command == "forge-file":
        forged = bytes.fromhex(Path(rest).read_text(encoding="utf-8"))
        barrier = signed(self, mine, anonymity.ring(rt), rt.circle.epoch, "barrier after the file")
        push(self, [forged, barrier])
    else:
        return original_making(self, body, now, reply_to=reply_to, content_warning=content_warning)
    return original_making(self, f"sent {command}", now, reply_to=None, content_warning=None)


anonymity.AnonymousLane.making = making  # type: ignore[method-assign]

if __name__ == "__main__":
    from ui.cli import main

    sys.exit(main())
