"""A second process for the storage tests: ``python -m tests.storage.child MODE PROFILE``.

Modes:
- ``burst``: open the profile and add posts as fast as it can (single posts and batches of 10),
  printing each post's id in hex only after its transaction committed ("acknowledged"); bounded
  to 20,000 posts or 60 seconds. The test kills it with SIGKILL mid-burst.
- ``hold``: open the profile, print ``ready``, keep it open until stdin closes.
- ``ephemeral``: a whole ephemeral session (open, write, search, purge, close) with no file
  anywhere; ``PROFILE`` is where a profile *would* be. Prints ``done <n>``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from messenger.storage import open_ephemeral, open_profile, profile_exists

from .helpers import CIRCLE, PASS, circle, post

MAX_POSTS = 20_000
MAX_SECONDS = 60.0


def burst(profile: Path) -> None:
    store = open_profile(profile, PASS)
    out = sys.stdout
    seq, deadline = 0, time.monotonic() + MAX_SECONDS
    while seq < MAX_POSTS and time.monotonic() < deadline:
        if seq % 50 < 40:
            one = post(seq, body=f"burst post {seq}")
            store.add_post(one)
            out.write(one.id.hex() + "\n")
            seq += 1
        else:
            batch = [post(s, body=f"burst post {s}") for s in range(seq, seq + 10)]
            store.add_posts(batch)
            out.write("".join(p.id.hex() + "\n" for p in batch))
            seq += 10
        out.flush()
    store.close()


def hold(profile: Path) -> None:
    store = open_profile(profile, PASS)
    print("ready", flush=True)
    sys.stdin.read()
    store.close()


def ephemeral(profile: Path) -> None:
    assert not profile_exists(profile)
    store = open_ephemeral()
    store.save_circle(circle())
    store.set_setting("pseudonym", "Quiet Heron")
    store.add_posts([post(i, body=f"ephemeral words {i} " + "x" * 200) for i in range(3000)])
    found = store.search(CIRCLE, "ephemeral words")
    page = store.newest_posts(CIRCLE, 50)
    # a large sort with no index behind it: would spill to a temp file if temp_store allowed it
    rows = store._db().execute("SELECT body FROM posts ORDER BY body DESC, signed").fetchall()
    store.purge_older_than(CIRCLE, post(1500).ts)
    left = store.posts_count(CIRCLE)
    store.close()
    print(f"done {len(found)} {len(page)} {len(rows)} {left}", flush=True)


def main(argv: list[str]) -> int:
    mode, profile = argv[0], Path(argv[1])
    {"burst": burst, "hold": hold, "ephemeral": ephemeral}[mode](profile)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
