"""``hearth-rendezvous``: run a rendezvous server (../shared/HEADLESS.md).

::

    hearth-rendezvous [--listen HOST:PORT]... [--key-file FILE] [--debug] [--log-addresses]
                      [--max-connections N] [--max-connections-per-address N]
                      [--max-connections-per-network N] [--unregistered-timeout SECONDS]

Prints, first, one line per listening socket on stdout: ``{"event": "listening", "address":
ADDRESS}``, where ADDRESS is what clients pass to ``--rendezvous``. Without ``--key-file`` the
key is new on each run and kept in memory only; with it, the key is read from FILE (created,
mode 0600, when missing). Nothing else is written to disk. Ctrl-C or SIGTERM stops it cleanly
(exit status 0). A failure to start prints ``{"event": "error", "code", "message"}`` and exits
with status 1; a bad command line prints one line on stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import sys
from pathlib import Path
from typing import NoReturn

from ..noise import KeyPair
from ..transport import ListenError
from .address import RendezvousAddress
from .config import ServerConfig
from .errors import AddressError, KeyFileError
from .keyfile import load_or_create
from .server import RendezvousServer

DEFAULT_PORT = 7700
DEFAULT_LISTEN = ("0.0.0.0", DEFAULT_PORT)
EXIT_FAILURE = 1
EXIT_USAGE = 2
PROG = "hearth-rendezvous"


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def parse_listen(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (IPv6 in brackets) into (host, port); port 0 picks a free one."""
    host, sep, port_text = text.rpartition(":")
    if not sep or not host:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, not {text!r}")
    if ":" in host and not (host.startswith("[") and host.endswith("]")):
        raise argparse.ArgumentTypeError("an IPv6 host must be in brackets: [::1]:7700")
    if not port_text.isascii() or not port_text.isdigit() or int(port_text) > 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {port_text!r}")
    try:  # the host must be one a client can be given back
        host = RendezvousAddress(host, 1, bytes([9]) * 32).host
    except AddressError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return host, int(port_text)


def _positive_int(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value < 1e9:
        raise argparse.ArgumentTypeError(f"not a positive number: {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description="Hearth's optional rendezvous and relay server.")
    p.add_argument(
        "--listen",
        metavar="HOST:PORT",
        action="append",
        type=parse_listen,
        default=[],
        help=f"listen here (repeatable; default 0.0.0.0:{DEFAULT_PORT}; port 0 picks one)",
    )
    p.add_argument(
        "--key-file",
        metavar="FILE",
        type=Path,
        help="keep the server key in FILE (created 0600 if missing); default: a new key each run",
    )
    defaults = ServerConfig()
    for name, what in (
        ("max_connections", "connections in all"),
        ("max_connections_per_address", "connections from one address"),
        ("max_connections_per_network", "connections from one IPv4 /24 or IPv6 /48"),
    ):
        p.add_argument(
            "--" + name.replace("_", "-"),
            metavar="N",
            type=_positive_int,
            default=getattr(defaults, name),
            help=f"at most N {what} (default {getattr(defaults, name)})",
        )
    p.add_argument(
        "--unregistered-timeout",
        metavar="SECONDS",
        type=_positive_float,
        default=defaults.unregistered_timeout,
        help="close a connection that holds no registration after this long "
        f"(default {defaults.unregistered_timeout:g})",
    )
    p.add_argument("--debug", action="store_true", help="debug logs on stderr")
    p.add_argument(
        "--log-addresses",
        action="store_true",
        help="with --debug: allow client addresses in the logs (never by default)",
    )
    return p


def _emit(event: dict[str, object]) -> None:
    with contextlib.suppress(BrokenPipeError, OSError, ValueError):
        sys.stdout.write(json.dumps(event) + "\n")
        sys.stdout.flush()


async def serve(listen: list[tuple[str, int]], static: KeyPair, config: ServerConfig) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):  # before the listening line: scripts may
        with contextlib.suppress(NotImplementedError, RuntimeError):  # signal us right after
            loop.add_signal_handler(sig, stop.set)
    server = RendezvousServer(static, config)
    try:
        addresses = await server.start(listen)
    except ListenError as exc:
        _emit({"event": "error", "code": "cannot_listen", "message": str(exc)})
        return EXIT_FAILURE
    for address in addresses:
        _emit({"event": "listening", "address": str(address)})
    try:
        await stop.wait()
    finally:
        await server.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    try:
        ns = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
        if ns.log_addresses and not ns.debug:
            raise UsageError("--log-addresses needs --debug")
    except UsageError as exc:
        print(f"{PROG}: error: {exc} (see {PROG} --help)", file=sys.stderr)
        return EXIT_USAGE
    logging.basicConfig(
        level=logging.DEBUG if ns.debug else logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if ns.key_file is not None:
        try:
            static, _ = load_or_create(ns.key_file)
        except KeyFileError as exc:
            _emit({"event": "error", "code": "bad_key_file", "message": str(exc)})
            return EXIT_FAILURE
    else:
        static = KeyPair.generate()
    config = ServerConfig(
        log_addresses=ns.log_addresses,
        max_connections=ns.max_connections,
        max_connections_per_address=ns.max_connections_per_address,
        max_connections_per_network=ns.max_connections_per_network,
        unregistered_timeout=ns.unregistered_timeout,
    )
    try:
        return asyncio.run(serve(ns.listen or [DEFAULT_LISTEN], static, config))
    except KeyboardInterrupt:  # a second Ctrl-C during shutdown
        return 0


if __name__ == "__main__":
    sys.exit(main())
