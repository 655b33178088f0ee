"""Joining a circle: a spoken-code exchange (SPAKE2) and invite-link parsing.

The join exchange runs SPAKE2 in pure Python (the ``spake2`` package); the reference is the
same number of group operations' worth of libsodium work a Noise handshake does (four X25519
operations), to show what the pure-Python PAKE costs on this machine. A host pays one half of
an exchange per attempt, and at most three attempts are ever in flight per invitation.
"""

from __future__ import annotations

import nacl.bindings

from messenger.circle import create_circle
from messenger.invite_link import InviteLink, parse
from messenger.joincode import Invitation, JoinCode, NewcomerSession

from .report import Report, best_of, rate

CODE = JoinCode(7, ("amber", "lantern"))


def _exchange(invitation: Invitation) -> None:
    host = invitation.new_session()
    newcomer = NewcomerSession(CODE, "Kind Otter")
    host.receive_data(newcomer.data_to_send(), 1.0)
    newcomer.receive_data(host.data_to_send())
    host.receive_data(newcomer.data_to_send(), 1.0)
    newcomer.receive_data(host.data_to_send())


def _four_x25519() -> None:
    private = bytes(range(32))
    public = nacl.bindings.crypto_scalarmult_base(private)
    for _ in range(3):
        nacl.bindings.crypto_scalarmult(private, public)


def run(report: Report) -> None:
    circle, _ = create_circle("Bench", "Quiet Heron")
    link = InviteLink.for_circle(circle, rendezvous="198.18.0.1:7400:" + "ab" * 32)
    invitation = Invitation(CODE, link.to_text(), now=0.0, auto_approve=True, max_failures=3)
    exchange_ms = best_of(lambda: _exchange(invitation), repeat=7) * 1000
    reference_ms = best_of(_four_x25519, repeat=7) * 1000
    report.compare(
        "join exchange, both sides (ms)",
        exchange_ms,
        "ms",
        "4 x X25519 in libsodium",
        reference_ms,
        higher_is_better=False,
        target="well under a second on a laptop",
    )
    text = link.to_text()
    mangled = "> " + "\n> ".join(text[i : i + 60] for i in range(0, len(text), 60)) + " Thanks!"
    report.compare(
        "invite links parsed (wrapped, quoted, trailing words)",
        rate(lambda: parse(mangled)),
        "links/s",
        "clean links parsed",
        rate(lambda: parse(text)),
    )
