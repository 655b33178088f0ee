"""The headless main loop: start the peer, serve commands from stdin, print events, exit cleanly."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from ..errors import HearthError
from ..events import Bye, ErrorEvent, Ready
from ..facade import Messenger
from ..options import LaunchOptions
from ..profile_open import headless_passphrase
from . import timings
from .commands import parse_line
from .output import EventPrinter
from .session import Session
from .stdin import LineReader

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_START_FAILED = 1


def utf8_stdio() -> None:
    """Commands and events are UTF-8 on every system.

    Windows gives a process its console's code page (cp1252, cp850, …) for stdin and stdout,
    so ``/create Árbol`` piped in UTF-8 was misread, and a byte that code page cannot decode
    ended the session. Bytes that are not UTF-8 become U+FFFD (the command is then refused or
    taken as written) instead of ending anything.
    """
    for stream, errors in ((sys.stdin, "replace"), (sys.stdout, "backslashreplace")):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors=errors)


async def run_headless(
    options: LaunchOptions,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    *,
    messenger: Messenger | None = None,
) -> int:
    if stdin is None and stdout is None:
        utf8_stdio()
    printer = EventPrinter(stdout or sys.stdout, options.json)
    if messenger is None:
        try:
            config = timings.messenger_config(options.interfaces)
        except timings.TimingsError as exc:
            printer(ErrorEvent(exc.code, str(exc)))
            return EXIT_START_FAILED
        messenger = Messenger(options, config=config)
    messenger.subscribe(printer)
    try:
        await messenger.start(headless_passphrase(options))
    except HearthError as exc:
        printer(ErrorEvent(exc.code, str(exc)))
        await messenger.close()
        return EXIT_START_FAILED
    printer(Ready(listen=", ".join(messenger.listen_addresses), profile=messenger.profile_label))
    session = Session(messenger, printer)
    reader = LineReader(stdin or sys.stdin)
    try:
        while not session.done:
            line = await reader.readline()
            if line is None:
                break
            command = parse_line(line)
            if command is None:
                continue
            try:
                await session.handle(command)
            except HearthError as exc:
                printer(ErrorEvent(exc.code, str(exc)))
    finally:
        await session.close()
        if not session.wiped:
            await messenger.close()
        printer(Bye())
    return EXIT_OK
