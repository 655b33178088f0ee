"""The headless main loop: start the peer, serve commands from stdin, print events, exit cleanly."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from ..errors import HearthError
from ..events import Bye, ErrorEvent, Info, Ready
from ..facade import Messenger
from ..options import LaunchOptions
from .commands import Command, parse_line
from .output import EventPrinter
from .stdin import LineReader

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_START_FAILED = 1

HELP = (
    "commands: /create NAME, /invite, /code, /approve REQ, /deny REQ, /join LINK-OR-CODE, "
    "/circles, /use NAME, /members, /say TEXT, /dm NAME TEXT, /history [N], /nick NAME, "
    "/remove NAME, /block NAME, /report NAME REASON, /leave, /wipe, /quit"
)


class _Session:
    def __init__(self, messenger: Messenger, printer: EventPrinter) -> None:
        self.messenger = messenger
        self.printer = printer
        self.done = False

    async def handle(self, command: Command) -> None:
        if command.name in ("quit", "exit"):
            self.done = True
            return
        if command.name == "help":
            self.printer(Info(HELP))
            return
        self.printer(
            ErrorEvent("unknown_command", f"unknown or not yet available command: /{command.name}")
        )


async def run_headless(
    options: LaunchOptions, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    printer = EventPrinter(stdout or sys.stdout, options.json)
    messenger = Messenger(options)
    messenger.subscribe(printer)
    try:
        await messenger.start()
    except HearthError as exc:
        printer(ErrorEvent(exc.code, str(exc)))
        await messenger.close()
        return EXIT_START_FAILED
    printer(Ready(listen=", ".join(messenger.listen_addresses), profile=messenger.profile_label))
    session = _Session(messenger, printer)
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
        await messenger.close()
        printer(Bye())
    return EXIT_OK
