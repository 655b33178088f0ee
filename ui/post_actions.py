"""Acts on posts in the window, beside the controller: reply (the composer shows the post being
answered), react (the context menu, keys 1-4 or a click on a chip), delete my own post for
everyone (asked first; the post becomes "This post was deleted" on every screen), and search the
open circle (results under the header; choosing one jumps to the post)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from messenger.events import Event, PostRetractedEvent, ReactionsEvent
from messenger.facade import Messenger
from messenger.views import PostView

from .dialogs.confirm import ConfirmDialog
from .main_window import MainWindow

Spawn = Callable[[Coroutine[Any, Any, None]], object]
JUMP_PAGE = 1000  # posts loaded to find a search result older than what is shown


class PostActions:
    def __init__(self, window: MainWindow, messenger: Messenger, spawn: Spawn) -> None:
        self.window = window
        self.messenger = messenger
        self.spawn = spawn
        area = window.conversation
        view = area.messages
        view.replyRequested.connect(area.composer.set_reply)
        view.reactRequested.connect(lambda post, name: self.spawn(self.react(post, name)))
        view.deleteRequested.connect(self.confirm_delete)
        area.searchRequested.connect(lambda cid, words: self.spawn(self.search(cid, words)))
        area.searchResultChosen.connect(lambda post: self.spawn(self.jump(post)))
        messenger.subscribe(self.on_event)

    def _open_circle(self) -> bytes | None:
        circle = self.window.conversation.circle
        return circle.id if circle is not None else None

    def on_event(self, event: Event) -> None:
        area = self.window.conversation
        if isinstance(event, ReactionsEvent) and event.circle == self._open_circle():
            area.model.set_reactions(event.id, event.reactions)
        elif isinstance(event, PostRetractedEvent) and event.circle == self._open_circle():
            area.model.mark_deleted(event.id)
            reply = area.composer.reply_post
            if reply is not None and reply.id == event.id:
                area.composer.set_reply(None)

    async def react(self, post: object, name: str) -> None:
        assert isinstance(post, PostView)
        await self.messenger.acts.react(post.circle_id, post.id, name)

    def confirm_delete(self, post: object) -> ConfirmDialog:
        """Deleting is for everyone and for good: ask first, Cancel the default."""
        assert isinstance(post, PostView)
        w = self.window
        dialog = w.confirm(
            w.tr("Delete for everyone?"),
            w.tr(
                "Your post is removed from every member's device, and replies to it say it was "
                "deleted. This cannot be undone."
            ),
            w.tr("Delete for everyone"),
            w.tr("Delete the post for everyone"),
        )
        dialog.confirmed.connect(lambda: self.spawn(self.delete(post)))
        return dialog

    async def delete(self, post: PostView) -> None:
        await self.messenger.acts.retract(post.circle_id, post.id)
        self.window.statusBar().showMessage(self.window.tr("Your post was deleted."), 6000)

    async def search(self, circle_id: bytes, words: str) -> None:
        found = await self.messenger.acts.search(circle_id, words) if words else []
        if circle_id == self._open_circle():
            self.window.conversation.show_search_results(words, found)

    async def jump(self, post: object) -> None:
        """Show a search result in the conversation: loaded first if it is older than the
        posts shown."""
        assert isinstance(post, PostView)
        area = self.window.conversation
        if area.messages.select_post(post.id) or post.circle_id != self._open_circle():
            return
        posts = await self.messenger.history(post.circle_id, JUMP_PAGE, None)
        if post.circle_id == self._open_circle() and any(p.id == post.id for p in posts):
            area.model.reset(posts, has_older=len(posts) >= JUMP_PAGE)
            area.messages.select_post(post.id)
