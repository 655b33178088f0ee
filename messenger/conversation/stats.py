"""Counters of what the core dropped, by reason and by peer (for logs, tests and the node)."""

from __future__ import annotations

from collections import Counter

from .errors import DropReason


class DropStats:
    def __init__(self) -> None:
        self.total: Counter[DropReason] = Counter()
        self.by_peer: dict[bytes, Counter[DropReason]] = {}

    def add(self, peer: bytes, reason: DropReason, n: int = 1) -> None:
        self.total[reason] += n
        self.by_peer.setdefault(peer, Counter())[reason] += n

    def __getitem__(self, reason: DropReason) -> int:
        return self.total[reason]

    def peer(self, peer: bytes) -> Counter[DropReason]:
        return self.by_peer.get(peer, Counter())

    def __repr__(self) -> str:
        counts = ", ".join(f"{r.value}={n}" for r, n in sorted(self.total.items(), key=str))
        return f"DropStats({counts})"
