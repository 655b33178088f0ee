"""The headless commands of ../shared/HEADLESS.md, served against a running :class:`Messenger`."""

from __future__ import annotations

import asyncio
import dataclasses
import shlex
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from .. import joincode
from ..circle import CircleSettings
from ..errors import HearthError
from ..events import CircleEvent, ErrorEvent, Event, Info, Listing, PostEvent, RulesEvent
from ..facade import Messenger
from ..invite_link import looks_like_link
from ..moderating import Moderation
from ..views import CircleSettingsView, CircleView
from .commands import Command, UsageProblem, need
from .post_commands import HELP as POST_HELP
from .post_commands import PostCommands
from .safety import HELP as SAFETY_HELP
from .safety import SafetyCommands

HELP = (
    "commands: /create [--anonymous] NAME, /invite, /code, /approve REQUEST, /deny REQUEST, "
    "/approval ask|auto, "
    "/join LINK-OR-CODE, /circles, /use NAME, /members, "
    "/say TEXT (or any line without /), /dm NAME TEXT, /accept NAME, /history [N], "
    "/rules [TEXT], /lobby on|off, /nick NAME, /leave [GOODBYE], /wipe, /quit; "
    + POST_HELP
    + ", "
    + SAFETY_HELP
)


class UnknownCommand(HearthError):
    code = "unknown_command"


class Session:
    """One terminal's state: the current circle, and whether to stop."""

    def __init__(self, messenger: Messenger, emit: Callable[[Event], None]) -> None:
        self.messenger = messenger
        self.emit = emit
        self.current: bytes | None = None
        self.done = False
        self.wiped = False
        circles = messenger.circles()
        if circles:
            self.current = circles[0].id
        # At a terminal the rules are printed as they arrive (the `rules` event); a person
        # who scripted /join has accepted them by joining.
        messenger.subscribe(self._on_event)
        self._handlers: dict[str, Callable[[str], Awaitable[None]]] = {
            "create": self._create,
            "invite": self._invite,
            "join": self._join,
            "circles": self._circles,
            "use": self._use,
            "members": self._members,
            "say": self._say,
            "dm": self._dm,
            "accept": self._accept,
            "history": self._history,
            "nick": self._nick,
            "leave": self._leave,
            "wipe": self._wipe,
            "help": self._help,
            "code": self._code,
            "approve": self._approve,
            "deny": self._deny,
            "approval": self._approval,
            "rules": self._rules,
            "lobby": self._lobby,
            **SafetyCommands(self).handlers(),
            **PostCommands(self).handlers(),
        }
        self._background: set[asyncio.Task[None]] = set()

    def _on_event(self, event: Event) -> None:
        if isinstance(event, RulesEvent):
            self._spawn(self._accept_rules(event.circle))

    async def _accept_rules(self, circle_id: bytes) -> None:
        try:
            await self.messenger.accept_rules(circle_id)
        except HearthError as exc:
            self.emit(ErrorEvent(exc.code, str(exc)))

    async def handle(self, command: Command) -> None:
        if command.name in ("quit", "exit"):
            self.done = True
            return
        handler = self._handlers.get(command.name)
        if handler is None:
            raise UnknownCommand(f"unknown command: /{command.name} (try /help)")
        await handler(command.arg)

    def _circle(self) -> CircleView:
        if self.current is None:
            raise UsageProblem("no current circle: /create NAME or /join LINK first")
        return self.messenger.circle(self.current)

    # -- the SafetyPort the moderation commands use
    @property
    def moderation(self) -> Moderation:
        return self.messenger.moderation

    def circle_id(self) -> bytes:
        return self._circle().id

    async def _help(self, arg: str) -> None:
        self.emit(Info(HELP))

    async def _create(self, arg: str) -> None:
        """``/create [--anonymous] NAME``: with anonymous posting on (docs/ANONYMITY.md). A
        headless circle lets people with its link in without asking (``/approval ask`` turns
        that off): scripts have nobody to click "let in"."""
        text = need(arg, "circle name")
        default = CircleSettings().retention
        anonymous = text.startswith("--anonymous")
        if anonymous:
            text = need(text[len("--anonymous") :].strip(), "circle name")
        settings = CircleSettingsView(
            default.kind, default.amount, auto_approve=True, anonymous_posting=anonymous
        )
        view = await self.messenger.create_circle(text, settings=settings)
        self.current = view.id

    async def _approval(self, arg: str) -> None:
        """``/approval ask``: a newcomer with the link waits for ``/approve``; ``auto``: not."""
        choice = need(arg, "ask or auto").lower()
        if choice not in ("ask", "auto"):
            raise UsageProblem("/approval ask (newcomers wait for /approve) or /approval auto")
        view = await self._set_approval(self._circle(), auto=choice == "auto")
        self.emit(CircleEvent(view))

    async def _set_approval(self, view: CircleView, *, auto: bool) -> CircleView:
        settings = dataclasses.replace(view.settings, auto_approve=auto)
        return await self.messenger.update_circle(view.id, settings=settings)

    async def _invite(self, arg: str) -> None:
        self.emit(CircleEvent(self._circle()))

    async def _join(self, arg: str) -> None:
        text = need(arg, "invite link or code")
        if looks_like_link(text):
            view = await self.messenger.join_link(text)
            self.current = view.id
        elif joincode.looks_like_code(text):
            # The host has to approve: wait in the background, keep serving commands.
            self._spawn(self._join_by_code(text))
        else:
            view = await self.messenger.join_link(text)  # gives the link parser's clear error
            self.current = view.id

    async def _join_by_code(self, text: str) -> None:
        try:
            view = await self.messenger.join_code(text)
        except HearthError as exc:
            self.emit(ErrorEvent(exc.code, str(exc)))
            return
        self.current = view.id

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro, name="headless-join")
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def close(self) -> None:
        for task in list(self._background):
            task.cancel()
        if self._background:
            await asyncio.gather(*self._background, return_exceptions=True)

    async def _lobby(self, arg: str) -> None:
        """``/lobby on`` makes this peer findable in the open lobby (and current); ``off``
        leaves it. Off by default."""
        wanted = arg.strip().lower()
        if wanted not in ("on", "off"):
            raise UsageProblem("usage: /lobby on|off")
        view = await self.messenger.set_lobby_visible(wanted == "on")
        if view is not None:
            self.current = view.id
        elif self.current is not None and wanted == "off":
            circles = self.messenger.circles()
            self.current = circles[0].id if circles else None
        self.emit(Info("you are in the open lobby" if wanted == "on" else "you left the lobby"))

    async def _rules(self, arg: str) -> None:
        """``/rules`` shows the current circle's rules; ``/rules TEXT`` (host) replaces them."""
        circle = self._circle()
        if arg:
            circle = await self.messenger.update_circle(circle.id, rules=arg.replace("\\n", "\n"))
        self.emit(RulesEvent(circle.id, circle.rules, circle.rules_revision))

    async def _code(self, arg: str) -> None:
        await self.messenger.open_join_code(self._circle().id)

    async def _approve(self, arg: str) -> None:
        self.messenger.approve(need(arg, "request id"))

    async def _deny(self, arg: str) -> None:
        request, _, message = need(arg, "request id").partition(" ")
        self.messenger.deny(request, message.strip() or None)

    async def _circles(self, arg: str) -> None:
        items = tuple(
            {
                "id": c.id.hex(),
                "name": c.name,
                "role": c.role.value,
                "current": c.id == self.current,
            }
            for c in self.messenger.circles()
        )
        self.emit(Listing("circles", items))

    async def _use(self, arg: str) -> None:
        view = self.messenger.find_circle(need(arg, "circle name or id"))
        self.current = view.id
        self.emit(Info(f"now in {view.name}"))

    async def _members(self, arg: str) -> None:
        circle = self._circle()
        items = tuple(
            {
                "member": m.pseudonym,
                "key": m.key.hex(),
                "role": m.role.value,
                "present": m.present,
                "me": m.is_me,
                **({"safety_number": m.safety_number} if m.safety_number else {}),
            }
            for m in self.messenger.members(circle.id)
        )
        self.emit(Listing("members", items))

    async def _say(self, arg: str) -> None:
        await self.messenger.post(self._circle().id, need(arg, "text"))

    def split_member(self, arg: str) -> tuple[str, str]:
        """``NAME TEXT`` where NAME may have spaces: the longest known pseudonym that starts
        the line wins; ``"Quoted Name" text`` works too."""
        circle = self._circle()
        if arg.startswith('"'):
            parts = shlex.split(arg)
            if len(parts) < 2:
                raise UsageProblem("usage: /dm NAME TEXT")
            return parts[0], arg[arg.index('"', 1) + 1 :].strip()
        lowered = arg.lower()
        names = sorted((m.pseudonym for m in self.messenger.members(circle.id)), key=len)
        for name in reversed(names):
            if lowered.startswith(name.lower() + " "):
                return name, arg[len(name) :].strip()
        head, _, rest = arg.partition(" ")
        return head, rest.strip()

    async def _dm(self, arg: str) -> None:
        who, text = self.split_member(need(arg, "member and text"))
        if not text:
            raise UsageProblem("usage: /dm NAME TEXT")
        await self.messenger.send_dm(self._circle().id, who, text)

    async def _accept(self, arg: str) -> None:
        await self.messenger.accept_dm(self._circle().id, need(arg, "member"))

    async def _history(self, arg: str) -> None:
        try:
            count = int(arg) if arg else 20
        except ValueError:
            raise UsageProblem("usage: /history [N]") from None
        posts = await self.messenger.history(self._circle().id, max(1, min(count, 1000)))
        shown = (p for p in posts if not p.hidden)  # hidden by a moderator, or blocked
        self.emit(Listing("history", tuple(PostEvent(p).fields() for p in shown)))

    async def _nick(self, arg: str) -> None:
        view = await self.messenger.set_pseudonym(self._circle().id, need(arg, "name"))
        self.emit(Info(f"you are now {view.my_pseudonym} in {view.name}"))

    async def _leave(self, arg: str) -> None:
        circle = self._circle()
        await self.messenger.leave(circle.id, arg or None)
        circles = self.messenger.circles()
        self.current = circles[0].id if circles else None
        self.emit(Info(f"left {circle.name}"))

    async def _wipe(self, arg: str) -> None:
        await self.messenger.wipe()
        self.wiped = True
        self.done = True
