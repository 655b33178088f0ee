"""Who comes in, for the :class:`~messenger.facade.Messenger`: spoken join codes (a host opens
one and reads it aloud; a joiner types it, :mod:`messenger.joining`), and the host's answer to
a newcomer, one who typed a code or one who came with the link (:mod:`messenger.admission`)."""

from __future__ import annotations

from collections.abc import Callable

from network.tasks import TaskSet

from .circle_life import NotAllowed
from .circles import CircleTable
from .joining import Joining
from .network_port import NodeWire
from .profile import NotRunning
from .views import JoinCodeView, Role


class Newcomers:
    """Spoken codes go through the wire's :class:`~messenger.joining.Joining` (there only while
    the peer runs); requests of newcomers with the link are the circles' (``circles.decide``)."""

    def __init__(
        self, circles: CircleTable, wire: NodeWire, tasks: TaskSet, wake: Callable[[], None]
    ) -> None:
        self._circles = circles
        self._wire = wire
        self._tasks = tasks
        self._wake = wake  # the scheduler: an open code is checked for expiry every tick

    def _joiner(self) -> Joining:
        if self._wire.joining is None:
            raise NotRunning("the peer is not running")
        return self._wire.joining

    async def open_code(self, circle_id: bytes, *, auto_approve: bool, reuse: bool) -> JoinCodeView:
        """(Host only.) With ``reuse``, the circle's code that still works, if there is one."""
        rt = self._circles.session(circle_id).rt
        if rt.role is not Role.HOST:
            raise NotAllowed("only the circle's host can open a join code")
        joiner = self._joiner()
        event = joiner.current(circle_id) if reuse else None
        if event is None:
            event = await joiner.open(circle_id, rt.invite_link(), auto_approve=auto_approve)
            self._wake()
        return JoinCodeView(circle_id, event.code, event.expires)

    def approve(self, request: str) -> None:
        if not self._circles.decide(request, True, self._tasks):
            self._joiner().approve(request)

    def deny(self, request: str, message: str | None) -> None:
        if not self._circles.decide(request, False, self._tasks):
            self._joiner().deny(request, message)

    async def join_code(self, text: str, pseudonym: str) -> str:
        """The invite link the host sends once the code is proven and approved."""
        return await self._joiner().join(text, pseudonym)
