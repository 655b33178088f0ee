"""The places for join-point (spoken-code) connections: a few per address, a cap in all, and a
place for a fresh connection even when every place is held.

A place is cheap to hold: connect, send a hello, then say nothing (or trickle bytes). Refusing
every fresh connection once the cap is reached would let anyone with enough addresses keep a
real newcomer out for as long as each held connection may live. So when every place is held, a
fresh connection takes the place of a held one that its handler never said made progress
(:meth:`PointPlaces.progressed`: for a spoken code, the peer's SPAKE2 message was taken, which
stakes one of the code's three guesses): the one whose address holds the most places, the
oldest of those. Holding every place then costs continuous reconnecting, and a newcomer whose
exchange got going keeps its place. Connections that made progress are never displaced, and the
per-address cap never yields. Each connection lives at most ``point_deadline`` seconds, whatever
it sends, and all of a join point's connections close when the point is withdrawn.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from ..lograte import RefusalLog
from .config import NodeConfig

RawHandler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
"""Serves an incoming connection whose hello named a join point (after the hello bytes)."""


@dataclass(eq=False)
class PointPlace:
    """One held join-point connection."""

    key: bytes  # the join point its hello named
    peer: str  # its remote address
    writer: asyncio.StreamWriter
    arrival: int  # smaller: held longer
    progressed: bool = False


class PointPlaces:
    def __init__(self, config: NodeConfig, refusals: RefusalLog) -> None:
        self._total = config.max_point_connections
        self._per_address = config.max_point_connections_per_address
        self._deadline = config.point_deadline
        self._refusals = refusals
        self._held: dict[asyncio.StreamWriter, PointPlace] = {}
        self._by_peer: Counter[str] = Counter()
        self._arrivals = itertools.count()

    def __len__(self) -> int:
        return len(self._held)

    async def serve(
        self,
        key: bytes,
        handler: RawHandler,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        peer: str,
    ) -> None:
        """Hand a join-point connection to its handler if it gets a place; close it after."""
        place, displaced = self.admit(key, peer, writer)
        if displaced is not None:
            self._refusals.note(displaced.peer, "idle join-point connection displaced")
            displaced.writer.close()
        if place is None:
            self._refusals.note(peer, "too many join-point connections")
            writer.close()
            return
        try:
            async with asyncio.timeout(self._deadline):
                await handler(reader, writer)
        except TimeoutError:
            self._refusals.note(peer, "join-point connection past its deadline")
        finally:
            self.release(place)
            writer.close()

    def admit(
        self, key: bytes, peer: str, writer: asyncio.StreamWriter
    ) -> tuple[PointPlace | None, PointPlace | None]:
        """A place for this connection, or None (its address holds its share, or every place
        is held by connections that made progress); and the held connection it displaced, if
        any, already given up here: the caller closes it."""
        if self._by_peer[peer] >= self._per_address:
            return None, None
        displaced = None
        if len(self._held) >= self._total:
            displaced = self._displaceable()
            if displaced is None:
                return None, None
            self.release(displaced)
        place = PointPlace(key, peer, writer, next(self._arrivals))
        self._held[writer] = place
        self._by_peer[peer] += 1
        return place, displaced

    def _displaceable(self) -> PointPlace | None:
        """The held connection without progress whose address holds the most, oldest first."""
        idle = [p for p in self._held.values() if not p.progressed]
        if not idle:
            return None
        return min(idle, key=lambda p: (-self._by_peer[p.peer], p.arrival))

    def progressed(self, writer: asyncio.StreamWriter) -> None:
        """The handler's word: this connection's exchange got past what a stranger can do for
        free. It keeps its place from now on (until it ends, or its deadline)."""
        place = self._held.get(writer)
        if place is not None:
            place.progressed = True

    def release(self, place: PointPlace) -> None:
        """The connection ended (or was displaced); releasing twice does nothing."""
        if self._held.get(place.writer) is place:
            del self._held[place.writer]
            self._by_peer[place.peer] -= 1
            if self._by_peer[place.peer] <= 0:
                del self._by_peer[place.peer]

    def withdraw(self, keep: Iterable[bytes]) -> list[asyncio.StreamWriter]:
        """Give up the places of every join point not in ``keep`` (its invitation closed);
        the caller closes the connections returned."""
        kept = set(keep)
        gone = [p for p in self._held.values() if p.key not in kept]
        for place in gone:
            self.release(place)
        return [place.writer for place in gone]
