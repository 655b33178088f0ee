"""Test-only: shorter timings for a headless peer that the test suite starts.

A test that runs real ``hearth --headless`` processes (on a namespaced LAN) cannot hand them a
:class:`~messenger.config.MessengerConfig`, so it sets ``HEARTH_TEST_TIMINGS`` in their
environment::

    HEARTH_TEST_TIMINGS="idle_timeout=4,keepalive_interval=1,backoff_cap=2"

Each item names a float field of ``NodeConfig`` listed in :data:`FIELDS`, or ``find_timeout``
(``MessengerConfig.find_code_host``) or ``tick``: seconds, > 0, at most an hour. Unset or
empty: the defaults. Anything else is refused at start with :class:`TimingsError`, so a typo
never silently runs with the defaults. It is not part of the
command line or of docs/HEADLESS.md: people never need it, and a peer with short timings only
notices a lost member sooner.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from network.clock import Seconds
from network.node import NodeConfig

from ..anonymous.rounds import RoundLimits
from ..config import MessengerConfig
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
)
MESSENGER_FIELDS = {"find_timeout": "find_code_host", "tick": "tick"}
ANONYMOUS_FIELDS = ("anon_round", "anon_timeout", "anon_per_window")
"""Anonymous rounds (:class:`RoundLimits`): seconds between rounds, seconds a participant may
take, and anonymous posts per member and window (a count); ``anon_round`` sets the rounds of
circles without anonymous posting, too."""
MAX_SECONDS = 3600.0


class TimingsError(HearthError):
    code = "bad_test_timings"


def encode(**seconds: float) -> str:
    """The variable's value for these timings (what a test puts in the environment)."""
    return ",".join(f"{name}={value!r}" for name, value in seconds.items())


def messenger_config(
    interfaces: tuple[str, ...], environ: Mapping[str, str] = os.environ
) -> MessengerConfig | None:
    """The messenger's configuration with the timings from ``HEARTH_TEST_TIMINGS``, or
    ``None`` (the defaults) when it is not set."""
    text = environ.get(ENV, "").strip()
    if not text:
        return None
    values: dict[str, float] = {}
    for item in text.split(","):
        name, sep, raw = (part.strip() for part in item.partition("="))
        if not sep or (name not in (*FIELDS, *MESSENGER_FIELDS, *ANONYMOUS_FIELDS)):
            known = ", ".join([*FIELDS, *MESSENGER_FIELDS, *ANONYMOUS_FIELDS])
            raise TimingsError(f"{ENV}: not a timing: {name!r} (one of {known})")
        if name in values:
            raise TimingsError(f"{ENV}: {name} given twice")
        try:
            value = float(raw)
        except ValueError:
            raise TimingsError(f"{ENV}: {name} is not a number of seconds") from None
        if not 0 < value <= MAX_SECONDS:
            raise TimingsError(f"{ENV}: {name} must be within (0, {MAX_SECONDS:g}] seconds")
        values[name] = value
    anon = {k: values.pop(k) for k in ANONYMOUS_FIELDS if k in values}
    node = {k: v for k, v in values.items() if k in FIELDS}
    messenger = {MESSENGER_FIELDS[k]: Seconds(v) for k, v in values.items() if k not in FIELDS}
    limits = RoundLimits()
    anonymous = (
        None
        if not anon
        else RoundLimits(
            round_every_ms=int(anon.get("anon_round", limits.round_every_ms / 1000) * 1000),
            quiet_every_ms=int(anon.get("anon_round", limits.quiet_every_ms / 1000) * 1000),
            round_timeout_ms=int(anon.get("anon_timeout", limits.round_timeout_ms / 1000) * 1000),
            per_window=int(anon.get("anon_per_window", limits.per_window)),
        )
    )
    return MessengerConfig(
        node=NodeConfig(interfaces=interfaces, **node),  # type: ignore[arg-type]
        anonymous=anonymous,
        **messenger,  # type: ignore[arg-type]
    )
