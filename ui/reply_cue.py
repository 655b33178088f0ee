"""A local, private cue: "usually replies within a few minutes", from timestamps on this machine.

Nothing here is sent anywhere or stored: it is computed from the posts the app already shows,
when the person turned the cue on in the settings.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from itertools import pairwise

from PySide6.QtCore import QCoreApplication

from messenger.views import PostView

translate = QCoreApplication.translate
MIN_SAMPLES = 3
MAX_GAP = 6 * 3600.0  # a reply after more than this is a new conversation, not a reply


def typical_reply_seconds(
    posts: Iterable[PostView], member_key: bytes, min_samples: int = MIN_SAMPLES
) -> float | None:
    """The median time ``member_key`` took to post after someone else did, or None if unclear.

    Only posts by that member that directly follow another author's post count, and only gaps
    shorter than :data:`MAX_GAP`; anonymous posts never count.
    """
    ordered = sorted((p for p in posts if p.author), key=lambda p: (p.ts, p.seq))
    gaps = [
        post.ts - before.ts
        for before, post in pairwise(ordered)
        if post.author_key == member_key
        and before.author_key != member_key
        and 0 <= post.ts - before.ts <= MAX_GAP
    ]
    if len(gaps) < min_samples:
        return None
    return float(statistics.median(gaps))


def describe_reply_cue(seconds: float | None) -> str:
    """Plain words for :func:`typical_reply_seconds`; "" when there is nothing to say."""

    if seconds is None:
        return ""
    if seconds < 90:
        return translate("ReplyCue", "usually replies within a minute")
    if seconds < 10 * 60:
        return translate("ReplyCue", "usually replies within a few minutes")
    if seconds < 90 * 60:
        return translate("ReplyCue", "usually replies within an hour")
    if seconds < 5 * 3600:
        return translate("ReplyCue", "usually replies within a few hours")
    return translate("ReplyCue", "usually replies later in the day")
