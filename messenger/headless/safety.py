"""The headless moderation and personal-safety commands (``Messenger.moderation``)::

/remove NAME            (host, co-moderators) remove a member; the host rotates the secret
/block NAME, /unblock NAME, /mute NAME, /unmute NAME
/report [--signed] NAME-OR-POST-ID [REASON] [DETAILS]   to the moderators only; anonymous
                        unless --signed; REASON is one of harassment, hate, threat,
                        self_harm, spam, privacy, other (default: other)
/hide POST-ID           (host, co-moderators) hide a post for everyone
/appoint NAME, /dismiss NAME   (host) co-moderators
/slow SECONDS           (host, co-moderators) slow mode; 0 turns it off
/close                  (host) close the circle for good
/reports                (moderators) the open reports
/boundaries [WORD, ...] show, or set (comma-separated; "-" clears), words whose posts collapse
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from ..errors import HearthError
from ..events import Event, Info, Listing
from ..moderating import REPORT_REASONS, Moderation, ModerationRefused
from .commands import need

Handler = Callable[[str], Awaitable[None]]

HELP = (
    "moderation: /remove NAME, /block NAME, /unblock NAME, /mute NAME, /unmute NAME, "
    "/report [--signed] NAME-OR-POST-ID [REASON] [DETAILS], /hide POST-ID, /appoint NAME, "
    "/dismiss NAME, /slow SECONDS, /close, /reports, /boundaries [WORD, ...]"
)


class SafetyPort(Protocol):
    """What the commands need from the terminal session that runs them."""

    @property
    def moderation(self) -> Moderation: ...

    def circle_id(self) -> bytes:
        """The current circle (a usage error if there is none)."""
        ...

    def split_member(self, arg: str) -> tuple[str, str]:
        """``NAME REST`` where NAME may have spaces or be quoted."""
        ...

    def emit(self, event: Event) -> None: ...


class SafetyCommands:
    """The commands above, for one terminal session."""

    def __init__(self, session: SafetyPort) -> None:
        self.session = session

    def handlers(self) -> dict[str, Handler]:
        return {
            "remove": self._remove,
            "block": self._block,
            "unblock": self._unblock,
            "mute": self._mute,
            "unmute": self._unmute,
            "report": self._report,
            "hide": self._hide,
            "appoint": self._appoint,
            "dismiss": self._dismiss,
            "slow": self._slow,
            "close": self._close,
            "reports": self._reports,
            "boundaries": self._boundaries,
        }

    @property
    def _mod(self) -> Moderation:
        return self.session.moderation

    def _circle_id(self) -> bytes:
        return self.session.circle_id()

    def _name(self, arg: str) -> str:
        return need(arg.strip().strip('"'), "member name")

    async def _remove(self, arg: str) -> None:
        await self._mod.remove(self._circle_id(), self._name(arg))

    async def _block(self, arg: str) -> None:
        await self._mod.block(self._circle_id(), self._name(arg))

    async def _unblock(self, arg: str) -> None:
        await self._mod.unblock(self._circle_id(), self._name(arg))

    async def _mute(self, arg: str) -> None:
        await self._mod.mute(self._circle_id(), self._name(arg), True)

    async def _unmute(self, arg: str) -> None:
        await self._mod.mute(self._circle_id(), self._name(arg), False)

    async def _report(self, arg: str) -> None:
        text = need(arg, "member (or post id) and reason")
        anonymous = True
        if text.startswith("--signed"):
            anonymous, text = False, text[len("--signed") :].strip()
        circle_id = self._circle_id()
        head, _, rest = text.partition(" ")
        post_id = await self._post_or_none(circle_id, head)
        if post_id is not None:
            who: str | bytes = await self._mod.author_of(circle_id, post_id)
        else:
            who, rest = self.session.split_member(text + " ")
        word, _, details = rest.strip().partition(" ")
        if word.lower() in REPORT_REASONS:
            reason, details = word.lower(), details.strip()
        else:
            reason, details = "other", rest.strip()
        if reason == "other" and not details:
            raise ModerationRefused("say in a few words what is wrong (or give a reason)")
        await self._mod.report(
            circle_id, who, reason, details, post_id=post_id, anonymous=anonymous
        )
        when = "within a minute, naming nobody" if anonymous else "now, signed by you"
        self.session.emit(Info(f"your report goes to the circle's moderators {when}"))

    async def _post_or_none(self, circle_id: bytes, text: str) -> bytes | None:
        if len(text) < 6 or any(c not in "0123456789abcdefABCDEF" for c in text):
            return None
        try:
            return await self._mod.find_post(circle_id, text)
        except HearthError:
            return None

    async def _hide(self, arg: str) -> None:
        circle_id = self._circle_id()
        post_id = await self._mod.find_post(circle_id, need(arg, "post id"))
        await self._mod.hide(circle_id, post_id)

    async def _appoint(self, arg: str) -> None:
        await self._mod.appoint(self._circle_id(), self._name(arg))

    async def _dismiss(self, arg: str) -> None:
        await self._mod.dismiss(self._circle_id(), self._name(arg))

    async def _slow(self, arg: str) -> None:
        try:
            seconds = int(need(arg, "seconds"))
        except ValueError:
            raise ModerationRefused("usage: /slow SECONDS (0 turns slow mode off)") from None
        await self._mod.set_slow_mode(self._circle_id(), seconds)

    async def _close(self, arg: str) -> None:
        await self._mod.close_circle(self._circle_id())

    async def _reports(self, arg: str) -> None:
        reports = self._mod.reports(self._circle_id())
        self.session.emit(Listing("reports", tuple(r.fields() for r in reports)))

    async def _boundaries(self, arg: str) -> None:
        circle_id = self._circle_id()
        if arg:
            words = [] if arg.strip() == "-" else [w.strip() for w in arg.split(",") if w.strip()]
            await self._mod.set_boundaries(circle_id, words)
        current = self._mod.boundaries(circle_id)
        self.session.emit(Listing("boundaries", tuple({"boundary": b} for b in current)))
