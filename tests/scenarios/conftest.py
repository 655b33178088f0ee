"""Fixtures of the scenario suite: one Xvfb display per module, apps torn down in ``finally``."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.netlab import Host, Netlab
from tests.scenarios.harness import Display, DrivenApp, xvfb_reason

pytestmark = [pytest.mark.gui, pytest.mark.netns]

StartApp = Callable[..., DrivenApp]


@pytest.fixture(scope="module")
def display() -> Iterator[Display]:
    reason = xvfb_reason()
    if reason is not None:
        pytest.skip(f"real windows unavailable: {reason}")
    if os.geteuid() != 0:
        pytest.skip("scenario tests put each app in a network namespace: they need root")
    screen = Display()
    try:
        yield screen
    finally:
        screen.close()


@pytest.fixture
def start_app(display: Display, tmp_path: Path) -> Iterator[StartApp]:
    """Start a real app instance (``host`` None: no network namespace); all closed at the end."""
    started: list[DrivenApp] = []

    def start(
        name: str, args: list[str], host: Host | None = None, env: dict[str, str] | None = None
    ) -> DrivenApp:
        app = DrivenApp(display, tmp_path / name, args, host=host, name=name, extra_env=env)
        started.append(app)
        return app

    try:
        yield start
    finally:
        for app in started:
            if app.proc.poll() is None:
                app.evidence("at-the-end")  # what each window showed, for a failing run
            app.close()


def start_pair(
    lab: Netlab, start_app: StartApp, host_env: dict[str, str] | None = None
) -> tuple[DrivenApp, DrivenApp]:
    """Two ephemeral apps on a new LAN segment, "host" and "guest", their windows ready."""
    from tests.scenarios.flows import main_window_ready

    h1, h2 = lab.lan(2)
    host = start_app("host", ["--ephemeral", "--interface", h1.address()], h1, env=host_env)
    guest = start_app("guest", ["--ephemeral", "--interface", h2.address()], h2)
    for app in (host, guest):
        main_window_ready(app)
    return host, guest
