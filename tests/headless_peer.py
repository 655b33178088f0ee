"""Drive a real ``hearth --headless --json`` process: send commands, wait for JSON events.

Works for a local subprocess and for one started inside a network namespace (``popen``).
Every wait is bounded; the process is killed at ``close()`` (and by the lab at teardown).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from messenger.headless.timings import ENV as TIMINGS_ENV
from messenger.headless.timings import encode

Event = dict[str, Any]
HEARTH = [sys.executable, "-m", "ui"]

# Every process the suite starts runs with short network timings (test-only, see
# messenger/headless/timings.py): a cut link is noticed in 4 s instead of 15, a spoken code
# nobody announces fails in 4 s instead of 15, redials come within 1 s. Each stays well above
# what the machine needs under load (a quiet link is pinged every second, so 4 s is several
# missed answers), so they change no outcome, only how long a test waits. The crowded LAN tests
# (tests/lan/test_lan_fifty.py, test_lan_anonymity.py) set their own, longer ones. Benchmarks
# pass timings=None: they measure the product's own timings.
FAST_TIMINGS = encode(
    keepalive_interval=1.0,
    idle_timeout=4.0,
    backoff_base=0.1,
    backoff_cap=1.0,
    find_timeout=4.0,
    rendezvous_lookup_interval=0.25,
)


class HeadlessPeer:
    def __init__(
        self,
        args: Sequence[str],
        *,
        popen: Callable[..., subprocess.Popen[bytes]] | None = None,
        env: dict[str, str] | None = None,
        name: str = "peer",
        timings: str | None = FAST_TIMINGS,
        program: Sequence[str] = HEARTH,
    ) -> None:
        """``timings=None``: the product's own timings (benchmarks measure those); ``program``:
        what to run instead of ``python -m ui`` (a modified client, e.g.
        tests/anonymous/colluder.py)."""
        self.name = name
        environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        environment.pop(TIMINGS_ENV, None)
        if timings is not None:
            environment[TIMINGS_ENV] = timings
        environment.update(env or {})
        start = popen or subprocess.Popen
        self.proc = start(
            [*program, "--headless", "--json", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment,
        )
        self.events: list[Event] = []
        self.read_at: list[float] = []  # monotonic time each event was read, same order as events
        self._queue: queue.Queue[Event | None] = queue.Queue()
        self.stderr: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_err, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", "replace").strip()
            if not line:
                continue
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                event = {"event": "_not_json", "line": line}
            self.read_at.append(time.monotonic())
            self._queue.put(event)
        self._queue.put(None)

    def _read_err(self) -> None:
        assert self.proc.stderr is not None
        for raw in self.proc.stderr:
            self.stderr.append(raw.decode("utf-8", "replace").rstrip())

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()

    def _pump(self, timeout: float) -> bool:
        try:
            event = self._queue.get(timeout=timeout)
        except queue.Empty:
            return True
        if event is None:
            return False
        self.events.append(event)
        return True

    def wait_for(
        self, predicate: Callable[[Event], bool], timeout: float = 15.0, *, after: int = 0
    ) -> Event:
        """The first event (from index ``after``) matching ``predicate``, waiting up to
        ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events[after:]:
                if predicate(event):
                    return event
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(
                    f"{self.name}: no matching event in {timeout} s; got "
                    f"{[e.get('event') for e in self.events]}; stderr tail {self.stderr[-5:]}"
                )
            if not self._pump(min(left, 0.2)) and not any(predicate(e) for e in self.events):
                raise EOFError(f"{self.name} exited: {self.stderr[-10:]}")

    def wait_event(self, name: str, timeout: float = 15.0, **fields: Any) -> Event:
        return self.wait_for(
            lambda e: e.get("event") == name and all(e.get(k) == v for k, v in fields.items()),
            timeout,
        )

    def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not self._pump(min(0.1, deadline - time.monotonic())):
                break

    def of(self, name: str) -> list[Event]:
        return [e for e in self.events if e.get("event") == name]

    def command(self, line: str, reply: str, timeout: float = 15.0) -> Event:
        """Send a command and wait for the next event named ``reply`` after it."""
        mark = len(self.events)
        self.send(line)
        return self.wait_for(lambda e: e.get("event") == reply, timeout, after=mark)

    def quit(self, timeout: float = 15.0) -> int:
        if self.proc.poll() is None:
            with contextlib.suppress(BrokenPipeError, OSError):
                self.send("/quit")
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait(timeout=5)
        self.drain(0.2)
        return code

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=5)
