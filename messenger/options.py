"""The command line of ``hearth`` (../shared/HEADLESS.md), parsed into :class:`LaunchOptions`.

Front-end independent: the desktop app and the headless peer start from the same options.
"""

from __future__ import annotations

import argparse
import ipaddress
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from network.rendezvous.address import parse_address
from network.rendezvous.errors import AddressError

from . import __version__
from .paths import default_profile_dir


@dataclass(frozen=True)
class LaunchOptions:
    profile: Path
    profile_given: bool = False
    ephemeral: bool = False
    interfaces: tuple[str, ...] = field(default_factory=tuple)
    rendezvous: str | None = None
    headless: bool = False
    json: bool = False
    self_test: bool = False
    passphrase_file: Path | None = None
    link: str | None = None  # hearth://… given on the command line (a clicked invite link)


class UsageError(Exception):
    """A bad command line: one line of text, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _ipv4(value: str) -> str:
    try:
        return str(ipaddress.IPv4Address(value))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an IPv4 address: {value!r}") from None


def _rendezvous(value: str) -> str:
    try:
        return str(parse_address(value))
    except AddressError as exc:
        raise argparse.ArgumentTypeError(
            f"not a rendezvous address (HOST:PORT:KEY): {exc}"
        ) from None


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="hearth",
        description="Hearth: a peer-to-peer anonymous messenger for small circles.",
        epilog="Headless commands are read from standard input; see /help once running.",
    )
    p.add_argument("--profile", metavar="DIR", type=Path, help="where the profile lives")
    p.add_argument(
        "--ephemeral", action="store_true", help="keep everything in memory; write nothing"
    )
    p.add_argument(
        "--interface",
        metavar="ADDR",
        action="append",
        type=_ipv4,
        default=[],
        help="bind discovery and listening to this IPv4 address (repeatable)",
    )
    p.add_argument(
        "--rendezvous", metavar="ADDRESS", type=_rendezvous, help="optional rendezvous server"
    )
    p.add_argument("--headless", action="store_true", help="run without a window, on stdin/stdout")
    p.add_argument("--json", action="store_true", help="with --headless: one JSON event per line")
    p.add_argument(
        "--passphrase-file",
        metavar="FILE",
        type=Path,
        help="headless: read the profile passphrase from FILE (or set HEARTH_PASSPHRASE)",
    )
    p.add_argument("--self-test", action="store_true", help="check the installation and exit")
    p.add_argument(
        "link",
        nargs="?",
        metavar="hearth://LINK",
        help="an invite link: opens the join dialog (in the running Hearth, if there is one)",
    )
    p.add_argument("--version", action="version", version=f"hearth {__version__}")
    return p


def parse_args(argv: list[str] | None = None) -> LaunchOptions:
    """Parse ``argv``; raise :class:`UsageError` with one line of text when it is wrong."""
    ns = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    if ns.json and not ns.headless:
        raise UsageError("--json needs --headless")
    if ns.ephemeral and ns.profile is not None:
        raise UsageError("--ephemeral and --profile exclude each other")
    if ns.passphrase_file is not None and not ns.headless:
        raise UsageError("--passphrase-file needs --headless")
    if ns.link is not None and not ns.link.lower().startswith("hearth://"):
        raise UsageError("the argument is not a hearth:// link")
    if ns.link is not None and ns.headless:
        raise UsageError("a link opens the desktop app; headless, use /join LINK")
    return LaunchOptions(
        profile=ns.profile if ns.profile is not None else default_profile_dir(),
        profile_given=ns.profile is not None,
        ephemeral=ns.ephemeral,
        interfaces=tuple(ns.interface),
        rendezvous=ns.rendezvous,
        headless=ns.headless,
        json=ns.json,
        self_test=ns.self_test,
        passphrase_file=ns.passphrase_file,
        link=ns.link,
    )
