"""Scenario harness: real app processes with real windows under Xvfb, driven over a socket.

:class:`Display` starts an ``Xvfb`` server (its own display number, chosen by Xvfb itself);
:class:`DrivenApp` starts ``tests.scenarios.driven_app`` (the real ``ui.app`` main plus a control
channel) inside a netlab host, or on the machine itself with no network when ``host`` is None,
and talks to it with JSON lines. Every wait is bounded; ``close()`` kills what is left.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.netlab import Host

ROOT = Path(__file__).resolve().parents[2]
WAIT = 45.0  # seconds a window is given to show what a step should show (bounded, not timed)
Reply = dict[str, Any]


class DriveError(AssertionError):
    """The app could not do what the scenario asked (no such widget, a wait ran out)."""


def xvfb_reason() -> str | None:
    """None when Xvfb and Qt's xcb plugin can run here, else why not."""
    if shutil.which("Xvfb") is None:
        return "Xvfb is not installed (tests/system_deps.sh installs xvfb)"
    return None


class Display:
    """A private Xvfb server; ``name`` is the DISPLAY value (":N")."""

    def __init__(self, width: int = 1280, height: int = 860) -> None:
        read, write = os.pipe()
        self.proc = subprocess.Popen(
            [
                "Xvfb",
                "-displayfd",
                str(write),
                "-screen",
                "0",
                f"{width}x{height}x24",
                "-nolisten",
                "tcp",
                "-noreset",
            ],
            pass_fds=(write,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        os.close(write)
        number = b""
        deadline = time.monotonic() + 15
        with os.fdopen(read, "rb") as pipe:
            while not number.endswith(b"\n") and time.monotonic() < deadline:
                chunk = pipe.read(1)
                if not chunk:
                    break
                number += chunk
        if not number.strip():
            self.close()
            raise DriveError("Xvfb did not start")
        self.name = f":{int(number)}"

    def close(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)


class DrivenApp:
    """One real app instance: ``call`` an op of the driver, ``wait`` for a condition."""

    def __init__(
        self,
        display: Display,
        workdir: Path,
        hearth_args: list[str],
        host: Host | None = None,
        name: str = "app",
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.name = name
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.control = str(workdir / "control.sock")
        self.log_path = workdir / "app.log"
        env = {
            **os.environ,
            "DISPLAY": display.name,
            "QT_QPA_PLATFORM": "xcb",
            "HOME": str(workdir / "home"),
            "XDG_RUNTIME_DIR": str(workdir / "run"),
            "XDG_CONFIG_HOME": str(workdir / "home" / ".config"),
            "PYTHONPATH": str(ROOT),
            "QT_ACCESSIBILITY": "0",
            "NO_AT_BRIDGE": "1",
        }
        (workdir / "run").mkdir(mode=0o700, exist_ok=True)
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)  # no desktop session unless a test makes one
        env.update(extra_env or {})
        command = [
            sys.executable,
            "-m",
            "tests.scenarios.driven_app",
            "--control",
            self.control,
            "--",
            *hearth_args,
        ]
        if host is not None:
            command = host.cmd(command)
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._sock: socket.socket | None = None
        self._buffer = b""
        self._connect(60.0)  # generous: the machine may be busy

    # -- the channel -----------------------------------------------------------------------
    def _connect(self, limit: float) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise DriveError(f"{self.name} exited early ({self.proc.returncode}): {self.log()}")
            if os.path.exists(self.control):
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.settimeout(40)
                try:
                    sock.connect(self.control)
                except OSError:
                    sock.close()
                else:
                    self._sock = sock
                    return
            time.sleep(0.1)
        raise DriveError(f"{self.name}: no control channel in time: {self.log()}")

    def call(self, op: str, **args: Any) -> Reply:
        """One request; raises :class:`DriveError` when the app says it could not."""
        reply = self.ask(op, **args)
        if not reply.get("ok"):
            raise DriveError(f"{self.name}: {op} {args}: {reply.get('error')}")
        return reply

    def ask(self, op: str, **args: Any) -> Reply:
        """One request; the answer as it is, even a refusal."""
        if self._sock is None:
            raise DriveError(f"{self.name}: not connected")
        self._sock.sendall(json.dumps({"op": op, **args}).encode() + b"\n")
        while b"\n" not in self._buffer:
            try:
                chunk = self._sock.recv(65536)
            except TimeoutError as exc:
                raise DriveError(f"{self.name}: no answer to {op}: {self.log()}") from exc
            if not chunk:
                raise DriveError(f"{self.name}: the app went away during {op}: {self.log()}")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        answer: Reply = json.loads(line)
        return answer

    # -- conveniences ----------------------------------------------------------------------
    def wait(self, check: Callable[[], object], what: str, limit: float = WAIT) -> Any:
        """Poll ``check`` (which may call the app) until it is truthy, bounded in time."""
        deadline = time.monotonic() + limit
        last: object = None
        while time.monotonic() < deadline:
            try:
                last = check()
            except DriveError as exc:
                if self.proc.poll() is not None:
                    raise
                last = exc
            else:
                if last:
                    return last
            time.sleep(0.15)
        self.evidence("timeout")
        raise DriveError(f"{self.name}: waited in vain for {what} (last: {last}): {self.log()}")

    def wait_widget(self, name: str, limit: float = WAIT, **args: Any) -> Reply:
        reply: Reply = self.wait(
            lambda: (r := self.ask("read", name=name, **args)).get("ok") and r,
            f"widget {name!r}",
            limit,
        )
        return reply

    def exists(self, name: str, **args: Any) -> bool:
        return bool(self.call("exists", name=name, **args)["exists"])

    def text(self, name: str, **args: Any) -> str:
        return str(self.call("read", name=name, **args)["text"])

    def rows(self, name: str, **args: Any) -> list[str]:
        return list(self.call("read", name=name, **args).get("rows", []))

    def screenshot(self, path: Path, name: str | None = None) -> None:
        args: Reply = {"path": str(path)}
        if name is not None:
            args["name"] = name
        self.call("screenshot", **args)

    def evidence(self, label: str) -> None:
        """Screenshots of every window, beside the app's log, to see what went wrong."""
        with contextlib.suppress(DriveError, OSError):
            for i, window in enumerate(self.ask("windows").get("windows", [])):
                path = self.workdir / f"{label}-{i}-{window['cls']}.png"
                self.ask("screenshot", path=str(path), name=window["name"] or window["title"])

    def wait_exit(self, limit: float = 30.0) -> int:
        try:
            return self.proc.wait(timeout=limit)
        except subprocess.TimeoutExpired as exc:
            raise DriveError(f"{self.name} did not exit in time: {self.log()}") from exc

    def log(self) -> str:
        self._log.flush()
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return text[-3000:]

    def close(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.close()
            self._sock = None
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=10)
        self._log.close()
