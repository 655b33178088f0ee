"""Moderation: a circle's state from its events, and boundary matching, beside their references.

- Taking in a log of moderation events (what a member does when it meets someone whose log
  differs): strict decoding, signature checks and deriving the state, beside bare Ed25519
  verification of the same events — the floor any design must pay.
- Matching a post against a person's boundaries (accents folded, whole words, plurals) beside
  one case-insensitive regular expression of the same words with ``\\b`` word breaks, which
  folds no accents and knows no plurals.
Each figure and its reference are measured in alternating rounds, best round kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import nacl.signing

from benchmarks.report import Report, rate
from messenger.circle import create_circle
from messenger.moderation import Hide, ModerationState, compile_boundaries, decode_event, sign_event
from messenger.moderation.envelope import DOMAIN

T0 = 1_700_000_000_000
EVENTS = 2000
ROUNDS = 3
ROUND_TIME = 0.3
BODY = (
    "A typical post in a support circle, a sentence or two long, about the week, "
    "the family, the café on the corner and the spiders in the shed. "
) * 4
BOUNDARIES = [f"topic{i}" for i in range(48)] + ["panic attack", "knife"]


def _best(fns: dict[str, Callable[[], object]]) -> dict[str, float]:
    best = dict.fromkeys(fns, 0.0)
    for _ in range(ROUNDS):
        for name, fn in fns.items():
            best[name] = max(best[name], rate(fn, min_time=ROUND_TIME, max_iters=1000))
    return best


def _events(report: Report) -> None:
    circle, host = create_circle("Bench circle", "Facilitator")
    events = [
        sign_event(host, i + 1, T0, Hide(i.to_bytes(32, "big"))).signed for i in range(EVENTS)
    ]
    verify_key = nacl.signing.VerifyKey(host.member_key)
    bare = [(DOMAIN + bytes([e[0] - 1]) + e[1:-68], e[-64:]) for e in events]

    def take_in() -> None:
        state = ModerationState.for_circle(circle)
        state.apply_many([decode_event(e) for e in events], T0)
        assert len(state.hidden) == EVENTS

    def verify_only() -> None:
        for message, signature in bare:
            verify_key.verify(message, signature)

    rates = _best({"take in": take_in, "verify": verify_only})
    report.compare(
        f"take in a log of {EVENTS} events",
        rates["take in"] * EVENTS,
        "events/s",
        "bare Ed25519 verify",
        rates["verify"] * EVENTS,
    )


def _boundaries(report: Report) -> None:
    matcher = compile_boundaries(BOUNDARIES)
    pattern = re.compile(
        r"\b(?:" + "|".join(re.escape(b) for b in BOUNDARIES) + r")\b", re.IGNORECASE
    )
    assert matcher.match(BODY) == ()
    rates = _best({"ours": lambda: matcher.match(BODY), "regex": lambda: pattern.search(BODY)})
    report.note(f"a {len(BODY)}-character post, {len(BOUNDARIES)} boundaries")
    report.compare(
        "match a post against boundaries",
        rates["ours"],
        "posts/s",
        "one re.IGNORECASE alternation",
        rates["regex"],
    )


def run(report: Report) -> None:
    _events(report)
    _boundaries(report)
