"""HEARTH_TEST_TIMINGS: the test-only way to hand short network timings to a headless process."""

from __future__ import annotations

import pytest

from messenger.config import MessengerConfig
from messenger.headless.timings import ENV, TimingsError, encode, messenger_config
from network.clock import Seconds
from network.node import NodeConfig
from tests.headless_peer import HeadlessPeer


def test_unset_or_empty_means_the_defaults() -> None:
    assert messenger_config(("127.0.0.1",), {}) is None
    assert messenger_config(("127.0.0.1",), {ENV: "  "}) is None


def test_the_timings_given_replace_only_those_fields() -> None:
    text = encode(idle_timeout=4.0, keepalive_interval=1.0, find_timeout=0.5, tick=0.2)
    config = messenger_config(("10.0.0.1",), {ENV: text})
    node = NodeConfig(interfaces=("10.0.0.1",), idle_timeout=4.0, keepalive_interval=1.0)
    want = MessengerConfig(node=node, find_code_host=Seconds(0.5), tick=Seconds(0.2))
    assert config is not None and config.clock is want.clock
    assert config == want


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("idle_timeout", "not a timing"),
        ("max_links=3", "not a timing"),
        ("interfaces=1", "not a timing"),
        ("idle_timeout=4,idle_timeout=5", "given twice"),
        ("idle_timeout=soon", "not a number"),
        ("idle_timeout=0", "must be within"),
        ("idle_timeout=-1", "must be within"),
        ("idle_timeout=nan", "must be within"),
        ("idle_timeout=3601", "must be within"),
    ],
)
def test_bad_timings_are_refused_by_name(text: str, says: str) -> None:
    with pytest.raises(TimingsError, match=says) as info:
        messenger_config((), {ENV: text})
    assert info.value.code == "bad_test_timings"


def test_a_process_with_bad_timings_does_not_start_and_says_why() -> None:
    peer = HeadlessPeer(["--ephemeral", "--interface", "127.0.0.1"], env={ENV: "idle=4"})
    try:
        error = peer.wait_event("error", 30)
        assert error["code"] == "bad_test_timings"
        assert peer.proc.wait(timeout=30) == 1
        assert not peer.of("ready")
    finally:
        peer.close()
