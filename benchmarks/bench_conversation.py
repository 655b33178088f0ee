"""Posts: sign/verify envelopes beside raw Ed25519, and a 10,000-post catch-up between two engines.

Everything runs in this process: two :class:`CircleSync` engines over in-memory logs, the wire
messages handed from one to the other in order (no sockets, no channel encryption: this is the
conversation core's share of a catch-up). Each figure and its reference are measured in
alternating rounds, best round kept; the ratio is what to read.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from nacl.signing import SigningKey

from benchmarks.report import Report, rate
from messenger.conversation import CircleSync, MemoryPostLog, PostReceived, decode_post, sign_post
from messenger.conversation.envelope import DOMAIN

CIRCLE = bytes(range(32))
T0 = 1_700_000_000_000
BODY = "A typical post in a support circle, a sentence or two long, nothing more. " * 2
ROUNDS = 3
ROUND_TIME = 0.3
CATCH_UP = 10_000


def _signed_content(signed: bytes) -> bytes:
    """What the author signed: the domain tag and the map without its signature field."""
    return DOMAIN + bytes([signed[0] - 1]) + signed[1:-68]


def _best(fns: dict[str, Callable[[], object]]) -> dict[str, float]:
    best = dict.fromkeys(fns, 0.0)
    for _ in range(ROUNDS):
        for name, fn in fns.items():
            best[name] = max(best[name], rate(fn, min_time=ROUND_TIME))
    return best


def _sign_and_verify(report: Report) -> None:
    key = SigningKey(bytes(32))
    verify_key = key.verify_key
    post = sign_post(key, CIRCLE, 1, BODY, T0)
    message = _signed_content(post.signed)  # exactly the bytes the envelope signs
    signature = post.signed[-64:]
    seq = iter(range(1, 10**9))

    rates = _best(
        {
            "sign": lambda: sign_post(key, CIRCLE, next(seq), BODY, T0),
            "raw sign": lambda: key.sign(message),
            "verify": lambda: decode_post(post.signed),
            "raw verify": lambda: verify_key.verify(message, signature),
        }
    )
    report.note(f"envelope of {len(post.signed)} bytes ({len(BODY)}-character body)")
    report.compare(
        "sign + encode a post", rates["sign"], "posts/s", "raw Ed25519 sign", rates["raw sign"]
    )
    report.compare(
        "decode + verify a post",
        rates["verify"],
        "posts/s",
        "raw Ed25519 verify",
        rates["raw verify"],
    )


def _catch_up_once(posts: list[object]) -> tuple[float, int, int]:
    """Seconds for an empty engine to catch up on ``posts``; messages sent; posts shown."""
    key_a, key_b = SigningKey(bytes([1]) * 32), SigningKey(bytes([2]) * 32)
    a, b = bytes(key_a.verify_key), bytes(key_b.verify_key)
    members = {a, b}
    log_a = MemoryPostLog()
    for post in posts:
        log_a.add(post, T0)  # type: ignore[arg-type]
    start = time.perf_counter()
    engine_a = CircleSync(CIRCLE, a, log_a, is_member=members.__contains__)
    engine_b = CircleSync(CIRCLE, b, MemoryPostLog(), is_member=members.__contains__)
    engines = {a: engine_a, b: engine_b}
    queue: deque[tuple[bytes, bytes, bytes]] = deque()  # (from, to, data)
    outs_a, _ = engine_a.peer_connected(b, T0)
    outs_b, _ = engine_b.peer_connected(a, T0)
    queue.extend((a, o.peer, o.data) for o in outs_a)
    queue.extend((b, o.peer, o.data) for o in outs_b)
    messages = shown = 0
    for _ in range(100_000):
        if not queue:
            break
        src, dst, data = queue.popleft()
        messages += 1
        outs, events = engines[dst].receive(src, data, T0)
        shown += sum(isinstance(e, PostReceived) for e in events)
        queue.extend((dst, o.peer, o.data) for o in outs)
    return time.perf_counter() - start, messages, shown


def _catch_up(report: Report) -> None:
    author = SigningKey(bytes([1]) * 32)
    posts = [sign_post(author, CIRCLE, s, f"{s}: {BODY}", T0) for s in range(1, CATCH_UP + 1)]
    verify_key = author.verify_key
    pairs = [(_signed_content(p.signed), p.signed[-64:]) for p in posts]

    def bare_verify() -> None:
        for message, signature in pairs:
            verify_key.verify(message, signature)

    best_catch_up, best_verify = float("inf"), float("inf")
    messages = shown = 0
    for _ in range(ROUNDS):
        seconds, messages, shown = _catch_up_once(list(posts))
        best_catch_up = min(best_catch_up, seconds)
        start = time.perf_counter()
        bare_verify()
        best_verify = min(best_verify, time.perf_counter() - start)
    if shown != CATCH_UP:
        raise RuntimeError(f"catch-up showed {shown} posts, not {CATCH_UP}")
    report.note(f"{CATCH_UP:,} posts in {messages} wire messages, each shown once")
    report.compare(
        f"catch up {CATCH_UP:,} missed posts (engine share)",
        best_catch_up,
        "s",
        f"verify {CATCH_UP:,} signatures",
        best_verify,
        higher_is_better=False,
        target="<= 3 s end to end",
    )


def run(report: Report) -> None:
    _sign_and_verify(report)
    _catch_up(report)
