"""What a circle's protocol (:class:`~messenger.session.CircleSession`) asks the world to do:
its outputs, one ordered stream, performed in order by its pump (:mod:`messenger.pump`).

The protocol never awaits and never touches a socket, the database or a front end. Each call
(a message received, a link up or lost, a command, a tick) changes its state and queues outputs:
send this, close that link, show this event, write this to the database, read that and give
me the answer. One stream, not one per kind, because their order is the protocol's promise:
what a step stored is written before anything acknowledging it is sent, and a post is shown
after it was stored.

A read (:class:`Read`) carries what to do with the answer (``then``), run on the loop when the
pump hands the answer back (:meth:`Outputs.resume`); what ``then`` queues goes to the front of
the stream, where the rest of the step would have been had it not waited. That is the only
place a step is split.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from network.node import PeerKey

from .events import Event
from .mux import Lane
from .storage import Store

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Send:
    """A message to a link, on a lane."""

    peer: PeerKey
    lane: Lane
    body: bytes


@dataclass(frozen=True, slots=True)
class SendLater:
    """A message to a link not before ``at_ms`` (an anonymous round's answer, whose moment
    must not depend on what this process was doing)."""

    at_ms: int
    peer: PeerKey
    lane: Lane
    body: bytes


@dataclass(frozen=True, slots=True)
class Disconnect:
    """Close a link (what was sent on it before still goes first)."""

    peer: PeerKey


@dataclass(frozen=True, slots=True)
class Show:
    """An event for the front ends."""

    event: Event


@dataclass(frozen=True, slots=True)
class Write:
    """Database work on the database thread whose answer the protocol does not need."""

    work: Callable[[Store], object]


@dataclass(frozen=True, slots=True)
class Read(Generic[T]):
    """Database work whose answer the protocol needs: ``then(answer)`` runs on the loop."""

    work: Callable[[Store], T]
    then: Callable[[T], None]


@dataclass(frozen=True, slots=True)
class Rebind:
    """The node serves the circles' bindings again (a new epoch, a removal)."""


@dataclass(frozen=True, slots=True)
class InviteChanged:
    """Open spoken codes hand out a new invite link for this circle."""

    circle_id: bytes
    link: str


Output = Send | SendLater | Disconnect | Show | Write | Read[Any] | Rebind | InviteChanged


class Outputs:
    """The ordered stream."""

    def __init__(self) -> None:
        self.queue: deque[Output] = deque()
        """What is to be done, first first: the pump takes from the left."""

    def put(self, output: Output) -> None:
        self.queue.append(output)

    def send(self, peer: PeerKey, lane: Lane, body: bytes) -> None:
        self.queue.append(Send(peer, lane, body))

    def write(self, work: Callable[[Store], object]) -> None:
        self.queue.append(Write(work))

    def read(self, work: Callable[[Store], T], then: Callable[[T], None]) -> None:
        self.queue.append(Read(work, then))

    def show(self, event: Event) -> None:
        self.queue.append(Show(event))

    def resume(self, then: Callable[[T], None], answer: T) -> None:
        """Run a read's ``then`` with its answer; what it queues goes first."""
        waiting = len(self.queue)
        try:
            then(answer)
        finally:
            added = len(self.queue) - waiting
            if added and waiting:
                self.queue.rotate(added)  # the last ``added`` to the front, in their order
