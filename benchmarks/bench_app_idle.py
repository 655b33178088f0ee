"""Desktop app idle: CPU per minute with a circle beside the same app with none (issue 18).

Two real desktop apps (the real ``ui.app`` main, real windows on a private Xvfb display), each
in its own network namespace on a virtual LAN: the app measured sits idle first with no circle,
then hosts a circle the other app joined by spoken code (one live link), and sits idle again.
CPU is read from outside, from the kernel's per-thread run time (``/proc/PID/task/*/schedstat``,
nanoseconds), over the same length of time in the same process: the ratio is the figure.

Needs root (network namespaces) and Xvfb; says why and skips otherwise. ``HEARTH_BENCH_APP_IDLE``
sets each idle window in seconds (60 by default).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from .report import Report

IDLE_SECONDS = float(os.environ.get("HEARTH_BENCH_APP_IDLE", "60"))
SETTLE_SECONDS = 10.0  # start-up, or the circle's forming, is over by then


def _run_ns(pid: int) -> int:
    """Nanoseconds on a CPU so far, summed over the process's threads."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue  # a thread that ended meanwhile
    return total


def _idle_cpu_per_minute(pid: int) -> float:
    start = _run_ns(pid)
    time.sleep(IDLE_SECONDS)
    return (_run_ns(pid) - start) / 1e9 * 60.0 / IDLE_SECONDS


def run(report: Report) -> None:
    if os.geteuid() != 0:
        report.note("skipped: the apps run in network namespaces, which need root")
        return
    if shutil.which("Xvfb") is None:
        report.note("skipped: Xvfb is not installed (tests/system_deps.sh installs xvfb)")
        return
    sys.path.insert(0, os.getcwd())
    from tests.netlab import Netlab
    from tests.scenarios.flows import circle_with_guests, main_window_ready
    from tests.scenarios.harness import Display, DrivenApp

    display = Display()
    try:
        with Netlab() as lab, tempfile.TemporaryDirectory(prefix="hearth-bench-") as folder:
            work = Path(folder)
            h1, h2 = lab.lan(2)
            host = DrivenApp(
                display, work / "host", ["--ephemeral", "--interface", h1.address()], h1, "host"
            )
            guest = DrivenApp(
                display, work / "guest", ["--ephemeral", "--interface", h2.address()], h2, "guest"
            )
            try:
                for app in (host, guest):
                    main_window_ready(app)
                time.sleep(SETTLE_SECONDS)
                alone = _idle_cpu_per_minute(host.proc.pid)
                circle_with_guests(host, [(guest, "Amber Fox")])
                host.wait(
                    lambda: host.text("ConversationSubtitle").startswith("2 people here"),
                    "the guest's link",
                )
                time.sleep(SETTLE_SECONDS)
                linked = _idle_cpu_per_minute(host.proc.pid)
            finally:
                host.close()
                guest.close()
    finally:
        display.close()
    report.compare(
        "desktop app idle, hosting a circle with a live link",
        linked,
        "CPU-s/min",
        "the same app with no circle",
        alone,
        higher_is_better=False,
        target="<= 1.5x",
    )
    report.note(f"(each over {IDLE_SECONDS:.0f} s idle, the same process, the same run)")
