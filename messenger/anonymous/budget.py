"""Rate limits and cut-offs for anonymous posts, by linkage tag and window, naming nobody.

Every member keeps one budget per circle. An anonymous post's linkage tag (its ring signature's
key image) is the same for all of one member's anonymous posts in one window, so counting per
tag limits each member without anyone learning who they are. A moderator's "cut off" names a
tag: the rest of that window's posts with it are refused everywhere, and the tag means nothing
in the next window (so a cut-off is a cool-down, never a name). Sans-IO: the caller passes the
window; state for windows older than the previous one is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class BudgetVerdict(Enum):
    ACCEPT = "accept"
    OVER_LIMIT = "over_limit"
    CUT_OFF = "cut_off"


@dataclass
class AnonymousBudget:
    per_window: int = 10
    _counts: dict[tuple[int, bytes], int] = field(default_factory=dict)
    _cut: set[tuple[int, bytes]] = field(default_factory=set)
    _newest: int = -1

    def admit(self, window: int, tag: bytes) -> BudgetVerdict:
        """Count one anonymous post with ``tag`` in ``window`` if it may pass."""
        self._advance(window)
        slot = (window, tag)
        if slot in self._cut:
            return BudgetVerdict.CUT_OFF
        count = self._counts.get(slot, 0)
        if count >= self.per_window:
            return BudgetVerdict.OVER_LIMIT
        self._counts[slot] = count + 1
        return BudgetVerdict.ACCEPT

    def cut_off(self, window: int, tag: bytes) -> None:
        self._advance(window)
        self._cut.add((window, tag))

    def is_cut_off(self, window: int, tag: bytes) -> bool:
        return (window, tag) in self._cut

    def _advance(self, window: int) -> None:
        if window <= self._newest:
            return
        self._newest = window
        keep = window - 1
        self._counts = {k: v for k, v in self._counts.items() if k[0] >= keep}
        self._cut = {k for k in self._cut if k[0] >= keep}
