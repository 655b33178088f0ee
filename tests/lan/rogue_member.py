"""A modified member client for the attack tests: the real ``hearth --headless --json`` with two
changes made at run time.

- Every link that comes up is sent a roster update full of self-signed identities made with the
  circle's secret (``HEARTH_ROGUE_FAKES`` of them, default 200), as a member who wants the next
  rotation sealed to identities it controls would do (issue 16, item 2).
- ``/recipients`` prints (as an ``info`` line) who the current circle's last rotation was sealed
  to, as hex member keys: the test reads the ROTATE event this member received like everyone.

Run as ``python -m tests.lan.rogue_member --headless --json ...`` (tests/headless_peer.py's
``program``).
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from typing import Any

from messenger.events import Info
from messenger.headless.commands import Command
from messenger.headless.session import Session
from messenger.identity import Membership
from messenger.mux import Lane
from messenger.roster import Roster, RosterEntry
from messenger.runtime import LinkedPeer
from messenger.session import CircleSession
from network.node import PeerKey


def fakes(circle_id: bytes, count: int) -> list[RosterEntry]:
    out = []
    for i in range(count):
        fake = Membership(circle_id, f"Fake {i}", secrets.token_bytes(32), secrets.token_bytes(32))
        out.append(
            RosterEntry(fake.member_key, fake.pseudonym, fake.noise_public, fake.statement())
        )
    return out


COUNT = int(os.environ.get("HEARTH_ROGUE_FAKES", "200"))
made: dict[bytes, list[RosterEntry]] = {}
injected: set[PeerKey] = set()
peer_connected = CircleSession.peer_connected


def inject(self: CircleSession) -> None:
    """Send the fakes on every conversation link not sent them yet."""
    entries = made.setdefault(self.id, fakes(self.id, COUNT))
    for peer in list(self.rt.links):
        if peer not in injected:
            injected.add(peer)
            self.out.send(peer, Lane.ROSTER, Roster.encode(entries))


def connected_and_inject(self: CircleSession, peer: PeerKey, linked: LinkedPeer) -> None:
    peer_connected(self, peer, linked)
    inject(self)


handle = Session.handle


async def handle_or_report(self: Session, command: Command) -> None:
    if command.name != "recipients":
        await handle(self, command)
        return
    circle = self.circle_id()
    keys = self.messenger._session(circle).rt.mod.state.rotation_recipients
    fake_keys = {e.member_key for e in made.get(circle, [])}
    report = {"recipients": sorted(k.hex() for k in keys), "fakes": len(fake_keys & set(keys))}
    self.emit(Info(json.dumps(report)))


CircleSession.peer_connected = connected_and_inject  # type: ignore[method-assign]
link_up: Any = CircleSession.link_up  # links promoted once let in


def up_and_inject(self: CircleSession, *args: Any) -> None:
    link_up(self, *args)
    inject(self)


CircleSession.link_up = up_and_inject  # type: ignore[method-assign,assignment]
Session.handle = handle_or_report  # type: ignore[method-assign]

if __name__ == "__main__":
    from ui.cli import main

    sys.exit(main())
