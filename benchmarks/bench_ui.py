"""Desktop app: launch to window shown, frame time scrolling 100,000 posts, memory with them loaded,
catching up 10,000 posts.

References, measured in the same run: a bare Qt window launched the same way; a plain QListView
on a QStringListModel of the same 100,000 bodies; the process's memory before loading; the same
catch-up with the headless front end (JSON lines) on its own asyncio loop.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable

from messenger.views import CircleSettingsView

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from .report import Report, best_of, median, percentile

POSTS = 100_000
SCROLL_STEPS = 240
LAUNCHES = 3

_LAUNCH_HEARTH = """
import sys
from ui.app import make_application
from ui.main_window import MainWindow
app = make_application()
window = MainWindow()
window.show()
app.processEvents()
print("shown", flush=True)
"""

_LAUNCH_BARE = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1040, 680)
window.show()
app.processEvents()
print("shown", flush=True)
"""

_MEMORY = """
import json, os, resource
from ui.app import make_application
from ui.main_window import MainWindow
from ui.sample_data import circle, generated_posts

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

app = make_application()
window = MainWindow()
window.show()
app.processEvents()
before = rss()
posts = list(generated_posts({n}))
window.show_circle(circle(), posts, has_older=False)
app.processEvents()
window.conversation.messages.executeDelayedItemsLayout()
app.processEvents()
print(json.dumps({{"before": before, "after": rss(),
                   "rows": window.conversation.model.rowCount()}}), flush=True)
"""


def _spawn_until_shown(code: str, timeout: float = 60.0) -> float:
    """Seconds from spawning ``python -c code`` to its "shown" line."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    start = time.perf_counter()
    with subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    ) as child:
        assert child.stdout is not None
        line = child.stdout.readline()
        elapsed = time.perf_counter() - start
        child.wait(timeout)
    if line.strip() != "shown":
        raise RuntimeError("the launched process did not show its window")
    return elapsed


def _frame_times(view: object, steps: int, render: Callable[[], None]) -> list[float]:
    """Scroll up from the bottom in wheel-sized steps (and now and then a page jump)."""
    from PySide6.QtWidgets import QAbstractItemView, QApplication

    assert isinstance(view, QAbstractItemView)
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())
    QApplication.processEvents()
    times = []
    for step in range(steps):
        jump = view.viewport().height() * 20 if step % 40 == 39 else 120
        start = time.perf_counter()
        bar.setValue(max(0, bar.value() - jump))
        render()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _scrolling(report: Report) -> None:
    from PySide6.QtCore import QStringListModel
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QAbstractItemView, QApplication, QListView

    from ui.app import make_application
    from ui.models.conversation import ConversationModel
    from ui.sample_data import generated_posts
    from ui.widgets.conversation_view import ConversationView

    make_application()
    posts = list(generated_posts(POSTS))

    model = ConversationModel()
    view = ConversationView(model)
    view.resize(760, 560)
    view.show()
    QApplication.processEvents()
    start = time.perf_counter()
    model.reset(posts, has_older=False)
    view.executeDelayedItemsLayout()
    QApplication.processEvents()
    load = time.perf_counter() - start

    baseline_model = QStringListModel([p.body for p in posts])
    baseline = QListView()
    baseline.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    baseline.resize(760, 560)
    baseline.show()
    QApplication.processEvents()
    start = time.perf_counter()
    baseline.setModel(baseline_model)
    baseline.executeDelayedItemsLayout()
    QApplication.processEvents()
    baseline_load = time.perf_counter() - start

    report.compare(
        "load 100,000 posts into the view (first layout)",
        load,
        "s",
        "QListView+QStringListModel",
        baseline_load,
        higher_is_better=False,
    )

    image = QImage(view.viewport().size(), QImage.Format.Format_ARGB32)
    base_image = QImage(baseline.viewport().size(), QImage.Format.Format_ARGB32)
    ours = _frame_times(view, SCROLL_STEPS, lambda: view.viewport().render(image))
    theirs = _frame_times(baseline, SCROLL_STEPS, lambda: baseline.viewport().render(base_image))
    for p in (50, 99):
        report.compare(
            f"scroll frame p{p} (100,000 posts, render)",
            percentile(ours, p),
            "ms",
            "QListView+QStringListModel",
            percentile(theirs, p),
            higher_is_better=False,
            target="<= 16 ms" if p == 99 else None,
        )

    # A live post while scrolled far up (every row is laid out again), and at the bottom
    # with the usual few thousand rows (the view lets older rows go).
    view.verticalScrollBar().setValue(0)
    last = posts[-1]

    def live_post() -> None:
        n = model.rowCount()
        model.add_post(
            type(last)(
                circle_id=last.circle_id,
                id=n.to_bytes(8, "big") + b"live",
                author_key=last.author_key,
                author=last.author,
                seq=10**7 + n,
                ts=last.ts + n,
                body="A live post.",
            )
        )
        view.executeDelayedItemsLayout()

    def baseline_post() -> None:
        row = baseline_model.rowCount()
        baseline_model.insertRows(row, 1)
        baseline_model.setData(baseline_model.index(row), "A live post.")
        baseline.executeDelayedItemsLayout()

    report.compare(
        "live post, 100,000 rows held, scrolled up",
        best_of(live_post, 3) * 1000,
        "ms",
        "QListView+QStringListModel",
        best_of(baseline_post, 3) * 1000,
        higher_is_better=False,
    )
    view.scrollToBottom()
    view.trim()
    QApplication.processEvents()
    report.compare(
        f"live post at the bottom ({model.rowCount():,} rows kept)",
        best_of(live_post, 5) * 1000,
        "ms",
        "QListView+QStringListModel at 100,000",
        best_of(baseline_post, 5) * 1000,
        higher_is_better=False,
    )
    view.close()
    baseline.close()


def _launch(report: Report) -> None:
    hearth = [_spawn_until_shown(_LAUNCH_HEARTH) for _ in range(LAUNCHES)]
    bare = [_spawn_until_shown(_LAUNCH_BARE) for _ in range(LAUNCHES)]
    report.compare(
        "launch to main window shown (new process)",
        median(hearth),
        "s",
        "bare QMainWindow launched alike",
        median(bare),
        higher_is_better=False,
        target="<= 1.0 s",
    )

    from PySide6.QtWidgets import QApplication, QListView, QMainWindow, QPlainTextEdit, QSplitter

    from ui.app import make_application
    from ui.main_window import MainWindow

    make_application()

    def construct_ours() -> None:
        window = MainWindow()
        window.show()
        QApplication.processEvents()
        window.close()

    def construct_plain() -> None:
        window = QMainWindow()
        splitter = QSplitter()
        splitter.addWidget(QListView())
        splitter.addWidget(QPlainTextEdit())
        window.setCentralWidget(splitter)
        window.resize(1040, 680)
        window.show()
        QApplication.processEvents()
        window.close()

    report.compare(
        "construct and show MainWindow (in process)",
        best_of(construct_ours, 5) * 1000,
        "ms",
        "QMainWindow with a list and an editor",
        best_of(construct_plain, 5) * 1000,
        higher_is_better=False,
    )


def _memory(report: Report) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_MEMORY.format(n=POSTS))],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=True,
    ).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    mb = 1024 * 1024
    report.compare(
        f"resident memory, {figures['rows']:,} posts loaded",
        figures["after"] / mb,
        "MB",
        "same process before loading",
        figures["before"] / mb,
        higher_is_better=False,
        target="<= 200 MB",
    )


CATCH_UP = 10_000


async def _catch_up_into(front: Callable[[object], None], settle: Callable[[], bool]) -> float:
    """A reader who missed CATCH_UP posts dials the author; seconds until every post went
    through ``front`` (the front end's handler) and ``settle`` says its screen is up to date."""
    import asyncio

    from benchmarks.peers import Peer, close_all

    author, reader = Peer("author"), Peer("reader")
    await author.messenger.start()
    await reader.messenger.start()
    try:
        circle = await author.messenger.create_circle(
            "Catch-up", settings=CircleSettingsView(auto_approve=True)
        )
        await reader.messenger.join_link(circle.invite_link)
        for k in range(CATCH_UP):
            await author.messenger.post(circle.id, f"missed post number {k} " + "x" * 120)
        reader.watch = front
        start = time.perf_counter()
        await reader.messenger.dial("127.0.0.1", author.port, circle.id)
        await reader.until_posts(CATCH_UP, 300)
        for _ in range(1000):
            if settle():
                break
            await asyncio.sleep(0.005)
        return time.perf_counter() - start
    finally:
        await close_all(author, reader)


def _catch_up(report: Report) -> None:
    import asyncio

    import qasync

    from messenger.events import PostEvent
    from messenger.headless.output import event_fields
    from ui.app import make_application
    from ui.models.conversation import ConversationModel
    from ui.widgets.conversation_view import ConversationView

    with open(os.devnull, "w") as sink:

        def headless(event: object) -> None:
            if isinstance(event, PostEvent):
                sink.write(json.dumps(event_fields(event), ensure_ascii=False) + "\n")

        printed = asyncio.run(_catch_up_into(headless, lambda: True))

    make_application()
    model = ConversationModel()
    view = ConversationView(model)
    view.resize(760, 560)
    view.show()

    def desktop(event: object) -> None:
        if isinstance(event, PostEvent):
            model.add_post(event.post)

    shown = qasync.run(_catch_up_into(desktop, view.at_bottom))
    report.compare(
        f"catch up {CATCH_UP:,} posts into the open conversation",
        shown,
        "s",
        "headless front end (JSON lines)",
        printed,
        higher_is_better=False,
        target="<= 2x",
    )
    view.close()


def run(report: Report) -> None:
    _launch(report)
    _scrolling(report)
    _memory(report)
    _catch_up(report)
