"""The headless commands that act on posts (``Messenger.post`` with a reply, ``Messenger.acts``)::

    /reply POST-ID TEXT        a post answering POST-ID (shown with it quoted above)
    /react POST-ID REACTION    hear, thanks, care or same; the same again takes it back
    /delete POST-ID            my own post, deleted for everyone
    /search WORDS              the current circle's posts with these words (a `list` event)

POST-ID is a post's id in hex, or a unique prefix of at least 6 digits (as for ``/hide``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from ..events import Event, Info, Listing, PostEvent
from ..facade import Messenger
from ..views import REACTION_LABELS
from .commands import UsageProblem, need

Handler = Callable[[str], Awaitable[None]]

HELP = "/reply POST-ID TEXT, /react POST-ID REACTION, /delete POST-ID, /search WORDS"


class PostPort(Protocol):
    """What the commands need from the terminal session that runs them."""

    @property
    def messenger(self) -> Messenger: ...

    def circle_id(self) -> bytes: ...

    def emit(self, event: Event) -> None: ...


class PostCommands:
    def __init__(self, session: PostPort) -> None:
        self.session = session

    def handlers(self) -> dict[str, Handler]:
        return {
            "reply": self._reply,
            "react": self._react,
            "delete": self._delete,
            "search": self._search,
        }

    async def _post_id(self, circle_id: bytes, text: str) -> bytes:
        return await self.session.messenger.moderation.find_post(circle_id, need(text, "post id"))

    async def _reply(self, arg: str) -> None:
        target, _, text = arg.strip().partition(" ")
        if not text.strip():
            raise UsageProblem("usage: /reply POST-ID TEXT")
        circle_id = self.session.circle_id()
        post_id = await self._post_id(circle_id, target)
        await self.session.messenger.post(circle_id, text.strip(), reply_to=post_id)

    async def _react(self, arg: str) -> None:
        target, _, reaction = arg.strip().partition(" ")
        reaction = reaction.strip().lower()
        if not reaction:
            raise UsageProblem(f"usage: /react POST-ID {'|'.join(REACTION_LABELS)}")
        circle_id = self.session.circle_id()
        post_id = await self._post_id(circle_id, target)
        await self.session.messenger.acts.react(circle_id, post_id, reaction)

    async def _delete(self, arg: str) -> None:
        circle_id = self.session.circle_id()
        post_id = await self._post_id(circle_id, arg)
        await self.session.messenger.acts.retract(circle_id, post_id)
        self.session.emit(Info("deleted for everyone: its text leaves every member's device"))

    async def _search(self, arg: str) -> None:
        found = await self.session.messenger.acts.search(
            self.session.circle_id(), need(arg, "words")
        )
        self.session.emit(Listing("search", tuple(PostEvent(p).fields() for p in found)))
