"""``make bench``: run every ``benchmarks/bench_*.py`` (or those named on the command line)."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
import traceback
from pathlib import Path

from .report import Report


def main(argv: list[str]) -> int:
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    if argv:
        names = [n for n in names if any(a in n for a in argv)]
    report = Report()
    failed = 0
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        report.section(
            f"{name[len('bench_') :]} — {(module.__doc__ or '').strip().splitlines()[0]}"
        )
        start = time.perf_counter()
        try:
            module.run(report)
        except Exception:
            failed += 1
            traceback.print_exc()
        report.note(f"({time.perf_counter() - start:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
