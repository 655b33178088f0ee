"""One way to print a measurement: the project's figure, its reference, and their ratio.

Each benchmark module ``benchmarks/bench_*.py`` defines ``run(report: Report) -> None`` and calls
:meth:`Report.compare` (or :meth:`Report.figure` for a figure with no natural reference, such as
a target time). No assertion on speed anywhere: the machines are noisy, we print and read.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Row:
    name: str
    value: float
    unit: str
    reference_name: str | None = None
    reference: float | None = None
    higher_is_better: bool = True
    target: str | None = None

    def ratio(self) -> float | None:
        if self.reference in (None, 0) or self.value == 0:
            return None
        assert self.reference is not None
        return self.value / self.reference


@dataclass
class Report:
    stream: TextIO = field(default_factory=lambda: sys.stdout)
    rows: list[Row] = field(default_factory=list)

    def section(self, title: str) -> None:
        self.stream.write(f"\n## {title}\n")
        self.stream.flush()

    def compare(
        self,
        name: str,
        value: float,
        unit: str,
        reference_name: str,
        reference: float,
        *,
        higher_is_better: bool = True,
        target: str | None = None,
    ) -> Row:
        row = Row(name, value, unit, reference_name, reference, higher_is_better, target)
        self._emit(row)
        return row

    def figure(self, name: str, value: float, unit: str, *, target: str | None = None) -> Row:
        row = Row(name, value, unit, target=target)
        self._emit(row)
        return row

    def note(self, text: str) -> None:
        self.stream.write(f"   {text}\n")
        self.stream.flush()

    def _emit(self, row: Row) -> None:
        self.rows.append(row)
        line = f"{row.name:<48} {_fmt(row.value):>12} {row.unit}"
        if row.reference_name is not None and row.reference is not None:
            ratio = row.ratio()
            better = "higher is better" if row.higher_is_better else "lower is better"
            ratio_text = f"{ratio:.2f}x" if ratio is not None else "n/a"
            line += (
                f"  | {row.reference_name}: {_fmt(row.reference)} {row.unit}"
                f"  | ratio {ratio_text} ({better})"
            )
        if row.target:
            line += f"  | target {row.target}"
        self.stream.write(line + "\n")
        self.stream.flush()


def _fmt(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.4f}"


def rate(fn: Callable[[], object], *, min_time: float = 0.5, max_iters: int = 1_000_000) -> float:
    """Calls of ``fn`` per second, running it for at least ``min_time`` (bounded in count)."""
    fn()  # warm up
    n, start = 0, time.perf_counter()
    while True:
        fn()
        n += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_time or n >= max_iters:
            return n / elapsed


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    """The fastest of ``repeat`` timings of ``fn``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def median(samples: list[float]) -> float:
    return statistics.median(samples)
