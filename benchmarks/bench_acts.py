"""Acts on posts: what settling received posts (reactions, retractions, quotes) adds to storage.

On a real SQLCipher profile holding ``N_POSTS`` posts (a tenth of them replies, with reactions):
the time to store a catch-up batch of 500 signed posts beside the time :func:`messenger.acts.settle`
then takes for the same batch (the check for earlier retractions, the answered posts of replies);
and decorating a page of 50 (its reactions and quotes) beside reading that page.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from nacl.signing import SigningKey

from messenger import acts
from messenger.conversation import PostReceived, SignedPost, sign_post
from messenger.conversation.envelope import REACT, sign_act
from messenger.conversation.records import post_to_record
from messenger.storage import MINIMUM, CircleRecord, Store, create_profile

from .report import Report, median

N_POSTS = 20_000
BATCH = 500
CIRCLE = b"bench-acts-circle"
T0 = 1_800_000_000_000


def _fill(store: Store, key: SigningKey, other: SigningKey) -> list[SignedPost]:
    posts: list[SignedPost] = []
    for seq in range(1, N_POSTS + 1):
        reply = posts[-1].id if seq % 10 == 0 and posts else None
        posts.append(
            sign_post(key, CIRCLE, seq, f"post {seq} about the lantern", T0 + seq, reply_to=reply)
        )
    reactions = [
        sign_act(other, CIRCLE, n + 1, REACT, posts[n * 20].id, T0 + n, "hear")
        for n in range(N_POSTS // 20)
    ]
    store.add_posts(post_to_record(p, T0) for p in [*posts, *reactions])
    return posts


def run(report: Report) -> None:
    with tempfile.TemporaryDirectory() as root:
        store = create_profile(Path(root) / "p", "bench pass phrase", kdf=MINIMUM)
        try:
            store.save_circle(CircleRecord(CIRCLE, "bench", 1, b"\x80"))
            author, other = SigningKey.generate(), SigningKey.generate()
            _fill(store, author, other)
            late = SigningKey.generate()
            stored, settled = [], []
            for round_ in range(6):
                batch = [
                    sign_post(
                        late, CIRCLE, round_ * BATCH + i + 1, f"late {i}", T0 + i, reply_to=None
                    )
                    for i in range(BATCH)
                ]
                start = time.perf_counter()
                store.add_posts(post_to_record(p, T0) for p in batch)
                stored.append(time.perf_counter() - start)
                events = [PostReceived(post=p, peer=p.author_key) for p in batch]
                start = time.perf_counter()
                acts.settle(store, CIRCLE, bytes(32), events)
                settled.append(time.perf_counter() - start)
            report.compare(
                f"settle {BATCH} received posts",
                median(settled) * 1000,
                "ms",
                "storing them",
                median(stored) * 1000,
                higher_is_better=False,
            )
            page = store.newest_posts(CIRCLE, 50)
            ids = [r.id for r in page]
            replies = [r.reply_to for r in page if r.reply_to is not None]
            read, decorate = [], []
            for _ in range(20):
                start = time.perf_counter()
                store.newest_posts(CIRCLE, 50)
                read.append(time.perf_counter() - start)
                start = time.perf_counter()
                acts.reactions_on(store, CIRCLE, ids, bytes(32))
                acts.quoted(store, CIRCLE, replies)
                decorate.append(time.perf_counter() - start)
            report.compare(
                "reactions and quotes of a page of 50",
                median(decorate) * 1000,
                "ms",
                "reading the page",
                median(read) * 1000,
                higher_is_better=False,
            )
        finally:
            store.close()
