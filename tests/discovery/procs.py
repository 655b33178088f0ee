"""Drive peer_script.py processes: read their JSON lines with deadlines, send commands."""

from __future__ import annotations

import contextlib
import json
import queue
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PEER_SCRIPT = Path(__file__).with_name("peer_script.py")
CAPTURE_SCRIPT = Path(__file__).with_name("mdns_capture.py")

Event = dict[str, Any]


class PeerProcess:
    """A running peer_script.py; its stdout lines are parsed as JSON on a reader thread."""

    def __init__(self, proc: subprocess.Popen[bytes], name: str = "peer") -> None:
        assert proc.stdout is not None and proc.stdin is not None
        self.proc = proc
        self.name = name
        self.events: list[Event] = []
        self._lines: queue.Queue[Event | None] = queue.Queue()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            try:
                self._lines.put(json.loads(raw))
            except ValueError:
                continue
        self._lines.put(None)

    def wait_for(self, predicate: Callable[[Event], bool], timeout: float = 10.0) -> Event:
        """The first event (seen or to come) that satisfies ``predicate``; fails at the deadline."""
        for event in self.events:
            if predicate(event):
                return event
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{self.name}: no matching event in {timeout}s: {self.events}")
            try:
                line = self._lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                self._lines.put(None)
                raise AssertionError(f"{self.name} exited; events: {self.events}")
            self.events.append(line)
            if predicate(line):
                return line

    def ready(self, timeout: float = 10.0) -> str:
        return str(self.wait_for(lambda e: e["event"] == "ready", timeout)["peer_id"])

    def found(self, peer_id: str, timeout: float = 10.0) -> Event:
        return self.wait_for(lambda e: e["event"] == "found" and e["peer_id"] == peer_id, timeout)

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def quit(self, timeout: float = 10.0) -> None:
        """Ask for a clean close (mDNS goodbye) and wait for the process to end."""
        if self.proc.poll() is None:
            with contextlib.suppress(BrokenPipeError):
                self.send("quit")
            self.wait_for(lambda e: e["event"] == "bye", timeout)
            self.proc.wait(timeout=timeout)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
