"""The ``hearth`` command line (../shared/HEADLESS.md): options, self-test, headless ready/bye."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from messenger import __version__
from messenger.options import UsageError, parse_args

HEARTH = [sys.executable, "-m", "ui"]


def run(
    args: list[str], stdin: str = "", timeout: float = 60, **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **env}
    return subprocess.run(
        HEARTH + args, input=stdin, capture_output=True, text=True, timeout=timeout, env=environment
    )


def test_version() -> None:
    result = run(["--version"])
    assert result.returncode == 0
    assert result.stdout.strip() == f"hearth {__version__}"


def test_help_lists_every_option() -> None:
    result = run(["--help"])
    assert result.returncode == 0
    for option in (
        "--profile",
        "--ephemeral",
        "--interface",
        "--rendezvous",
        "--headless",
        "--json",
        "--self-test",
        "--version",
        "--passphrase-file",
    ):
        assert option in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--bogus"],
        ["--interface", "not-an-ip"],
        ["--interface", "1.2.3"],
        ["--json"],
        ["--profile"],
        ["--rendezvous", "nocolon"],
        ["--ephemeral", "--profile", "/tmp/x"],
    ],
)
def test_bad_command_line_is_one_line_and_status_2(args: list[str]) -> None:
    result = run(args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hearth: error: ")
    assert result.stdout == ""


def test_parse_args_defaults_and_repeatable_interface() -> None:
    options = parse_args(["--headless", "--interface", "127.0.0.1", "--interface", "198.18.0.1"])
    assert options.interfaces == ("127.0.0.1", "198.18.0.1")
    assert options.profile.name == "profile" and not options.profile_given
    with pytest.raises(UsageError):
        parse_args(["--interface", "::1"])


def test_self_test_passes_offscreen() -> None:
    result = run(["--self-test"], timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test passed" in result.stdout
    for check in ("crypto", "discovery", "storage", "interface"):
        assert f"ok   {check}" in result.stdout


def test_headless_json_ready_then_bye_on_quit(tmp_path: object) -> None:
    result = run(
        ["--headless", "--json", "--ephemeral", "--interface", "127.0.0.1"], stdin="/quit\n"
    )
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["event"] for e in events] == ["ready", "bye"]
    host, _, port = events[0]["listen"].rpartition(":")
    assert host == "127.0.0.1" and 0 < int(port) < 65536
    assert events[0]["profile"] == "ephemeral"


def test_headless_end_of_input_exits_cleanly() -> None:
    result = run(["--headless", "--json", "--ephemeral", "--interface", "127.0.0.1"], stdin="")
    assert result.returncode == 0
    assert json.loads(result.stdout.splitlines()[-1]) == {"event": "bye"}


def test_headless_unknown_command_is_an_error_event_not_a_crash() -> None:
    result = run(
        ["--headless", "--json", "--ephemeral", "--interface", "127.0.0.1"],
        stdin="/frobnicate\n/help\n/quit\n",
    )
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert events[1]["event"] == "error" and events[1]["code"] == "unknown_command"
    assert events[2]["event"] == "info" and "/quit" in events[2]["message"]
    assert events[-1]["event"] == "bye" and result.returncode == 0


def test_headless_unusable_interface_fails_to_start_with_error_event() -> None:
    # 198.18.255.254 is in the benchmark range and is not on this machine: binding fails.
    result = run(["--headless", "--json", "--ephemeral", "--interface", "198.18.255.254"], stdin="")
    assert result.returncode != 0
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert events[0]["event"] == "error" and events[0]["code"] == "start_failed"


def test_headless_human_output_is_plain_text() -> None:
    result = run(["--headless", "--ephemeral", "--interface", "127.0.0.1"], stdin="/quit\n")
    assert result.returncode == 0
    assert result.stdout.splitlines()[0].startswith("* ready: listening on 127.0.0.1:")
