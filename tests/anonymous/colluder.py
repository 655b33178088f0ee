"""A modified Hearth client for the collusion test (issue 17): the real headless peer, plus a
log of everything a colluding member can see of anonymous traffic.

Run as ``python -m tests.anonymous.colluder --headless --json ...``; it appends JSON lines to the
file named by ``HEARTH_COLLUDER_LOG``:

- ``{"rx": ...}`` every message that arrives on any of its links: when (monotonic), from which
  member, the lane, the size, and for the anonymous lane its kind, round and phase;
- ``{"out": ...}`` every message a round released to it: the round, its slot among the released
  messages, and what it says (a post's body; a report's details when this colluder is a
  moderator and can open it).

A colluder that creates a circle grinds its host key to start with two zero bytes, so that it
is the member with the lowest key and collects every round (what an attacker who wants to watch
outputs arrive would do; an honest key is lower about once in 33,000 circles).
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import time
from typing import Any

import nacl.bindings as sodium

from messenger import anonymity, circle, circle_life
from messenger.anonymous.rounds import Combined
from messenger.conversation.anon_envelope import decode_anonymous_post
from messenger.moderation.reports import open_report
from messenger.session import CircleSession
from network.node import PeerKey

LOG = open(os.environ["HEARTH_COLLUDER_LOG"], "a", encoding="utf-8")  # noqa: SIM115


def note(record: dict[str, Any]) -> None:
    LOG.write(json.dumps(record) + "\n")
    LOG.flush()


original_receive = CircleSession.receive
original_combined = anonymity.AnonymousLane._on_combined
original_released = anonymity.AnonymousLane._released
current: dict[int, list[int]] = {}


def receive(self: CircleSession, peer: PeerKey, data: bytes) -> None:
    member = self.rt.links.get(peer) or self.rt.old_links.get(peer) or b""
    record: dict[str, Any] = {"t": time.monotonic(), "from": member.hex(), "size": len(data)}
    record["lane"] = data[0] if data else -1
    if len(data) >= 11 and data[0] == 4:
        record["kind"], record["round"], record["phase"] = (
            data[1],
            int.from_bytes(data[2:10], "big"),
            data[10],
        )
    note({"rx": record})
    original_receive(self, peer, data)


def on_combined(self: anonymity.AnonymousLane, combined: Combined, peer: PeerKey | None) -> None:
    current[id(self)] = [combined.round_no, 0]
    original_combined(self, combined, peer)


def released(self: anonymity.AnonymousLane, message: bytes) -> None:
    round_no, slot = current.get(id(self), [-1, 0])
    current[id(self)] = [round_no, slot + 1]
    label = None
    try:
        if message[0] == anonymity.POST:
            label = decode_anonymous_post(message[1:]).post.envelope.body
        elif self.session.rt.is_moderator:
            label = open_report(message[1:], self.session.rt.membership).details
    except Exception:
        label = None
    note({"out": {"round": round_no, "slot": slot, "label": label, "t": time.monotonic()}})
    original_released(self, message)


original_create = circle_life.create_circle  # type: ignore[attr-defined]


def low_seed() -> bytes:
    while True:
        seed = secrets.token_bytes(32)
        if sodium.crypto_sign_seed_keypair(seed)[0][:2] == bytes(2):
            return seed


def create_circle(*args: Any, **kwargs: Any) -> Any:
    """The real circle creation, with a ground host seed (its first secret)."""
    fresh = circle.new_secret  # type: ignore[attr-defined]
    seeds = [low_seed()]
    circle.new_secret = lambda: seeds.pop() if seeds else fresh()  # type: ignore[attr-defined]
    try:
        return original_create(*args, **kwargs)
    finally:
        circle.new_secret = fresh  # type: ignore[attr-defined]


circle_life.create_circle = create_circle  # type: ignore[attr-defined]
CircleSession.receive = receive  # type: ignore[method-assign]
anonymity.AnonymousLane._on_combined = on_combined  # type: ignore[method-assign]
anonymity.AnonymousLane._released = released  # type: ignore[method-assign]

if __name__ == "__main__":
    from ui.cli import main

    sys.exit(main())
