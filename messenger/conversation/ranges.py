"""Sets of sequence numbers kept as sorted, disjoint, inclusive ranges (gaps, wants, gone)."""

from __future__ import annotations

from collections.abc import Iterable

Range = tuple[int, int]


def to_ranges(seqs: Iterable[int]) -> list[Range]:
    """Ascending ``seqs`` (duplicates allowed) as the fewest inclusive ranges."""
    out: list[Range] = []
    for seq in seqs:
        if out and seq <= out[-1][1] + 1:
            if seq > out[-1][1]:
                out[-1] = (out[-1][0], seq)
        else:
            out.append((seq, seq))
    return out


class RangeSet:
    """A set of positive ints as sorted, disjoint, non-adjacent inclusive ranges."""

    __slots__ = ("_ranges",)

    def __init__(self, ranges: Iterable[Range] = ()) -> None:
        self._ranges: list[Range] = []
        for lo, hi in ranges:
            self.add(lo, hi)

    def __bool__(self) -> bool:
        return bool(self._ranges)

    def __len__(self) -> int:
        """How many ranges (not how many seqs)."""
        return len(self._ranges)

    def ranges(self) -> tuple[Range, ...]:
        return tuple(self._ranges)

    def count(self) -> int:
        return sum(hi - lo + 1 for lo, hi in self._ranges)

    def add(self, lo: int, hi: int) -> None:
        if lo > hi:
            return
        kept: list[Range] = []
        for a, b in self._ranges:
            if b < lo - 1 or a > hi + 1:
                kept.append((a, b))
            else:
                lo, hi = min(lo, a), max(hi, b)
        kept.append((lo, hi))
        kept.sort()
        self._ranges = kept

    def remove(self, lo: int, hi: int) -> None:
        if lo > hi:
            return
        kept: list[Range] = []
        for a, b in self._ranges:
            if b < lo or a > hi:
                kept.append((a, b))
                continue
            if a < lo:
                kept.append((a, lo - 1))
            if b > hi:
                kept.append((hi + 1, b))
        self._ranges = kept

    def discard_below(self, seq: int) -> None:
        """Forget everything below ``seq``."""
        if seq > 1:
            self.remove(1, seq - 1)

    def __contains__(self, seq: object) -> bool:
        return isinstance(seq, int) and any(a <= seq <= b for a, b in self._ranges)

    def covers(self, lo: int, hi: int) -> bool:
        """True when every seq in ``lo..hi`` is in the set."""
        return any(a <= lo and hi <= b for a, b in self._ranges)

    def clipped(self, lo: int, hi: int) -> list[Range]:
        """The set's ranges intersected with ``lo..hi``."""
        return [(max(a, lo), min(b, hi)) for a, b in self._ranges if b >= lo and a <= hi]
