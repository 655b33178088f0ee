"""Test-only: shorter network timings for a headless peer that the test suite starts.

A test that runs real ``hearth --headless`` processes (on a namespaced LAN) cannot hand them a
:class:`~network.node.NodeConfig`, so it sets ``HEARTH_TEST_TIMINGS`` in their environment::

    HEARTH_TEST_TIMINGS="idle_timeout=4,keepalive_interval=1,backoff_cap=2"

Each item names a float field of ``NodeConfig`` listed in :data:`FIELDS` (seconds, > 0, at most
an hour). Unset or empty: the defaults. Anything else is refused at start with
:class:`TimingsError`, so a typo never silently runs with the defaults. It is not part of the
command line or of docs/HEADLESS.md: people never need it, and a peer with short timings only
notices a lost member sooner.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from network.node import NodeConfig

from ..errors import HearthError

ENV = "HEARTH_TEST_TIMINGS"
FIELDS = (
    "handshake_timeout",
    "keepalive_interval",
    "idle_timeout",
    "dial_timeout",
    "higher_label_delay",
    "backoff_base",
    "backoff_cap",
    "rendezvous_lookup_interval",
    "find_timeout",
)
MAX_SECONDS = 3600.0


class TimingsError(HearthError):
    code = "bad_test_timings"


def encode(**seconds: float) -> str:
    """The variable's value for these timings (what a test puts in the environment)."""
    return ",".join(f"{name}={value!r}" for name, value in seconds.items())


def node_config(
    interfaces: tuple[str, ...], environ: Mapping[str, str] = os.environ
) -> NodeConfig | None:
    """The node's configuration with the timings from ``HEARTH_TEST_TIMINGS``, or ``None``
    (the messenger's defaults) when it is not set."""
    text = environ.get(ENV, "").strip()
    if not text:
        return None
    values: dict[str, float] = {}
    for item in text.split(","):
        name, sep, raw = (part.strip() for part in item.partition("="))
        if not sep or name not in FIELDS:
            raise TimingsError(f"{ENV}: not a timing: {name!r} (one of {', '.join(FIELDS)})")
        if name in values:
            raise TimingsError(f"{ENV}: {name} given twice")
        try:
            value = float(raw)
        except ValueError:
            raise TimingsError(f"{ENV}: {name} is not a number of seconds") from None
        if not 0 < value <= MAX_SECONDS:
            raise TimingsError(f"{ENV}: {name} must be within (0, {MAX_SECONDS:g}] seconds")
        values[name] = value
    return NodeConfig(interfaces=interfaces, **values)  # type: ignore[arg-type]
