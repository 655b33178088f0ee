"""The two sides of a dining-cryptographers round, sans-IO: a member and the round's collector.

A round, as the lane will carry it::

    collector -> all   Announce(round, participants)           who takes part, in order
    member -> collector  Output(round, RESERVATION, bytes)     everyone, sender or not
    collector -> all   Combined(round, RESERVATION, xor)       the bits set (empty: round over)
    member -> collector  Output(round, DATA, bytes)            one slot per bit
    collector -> all   Combined(round, DATA, xor)              the messages

The collector (the host, else the present moderator or member with the lowest key) learns
nothing from the outputs, each of which is uniformly random to it; it can only stall a round or
name a smaller crowd, and a member sends nothing real in a round that leaves out someone it is
linked to (:func:`dcnet.safe_to_send`). A member's message leaves its queue only when it came out
whole; after a collision it waits a random number of rounds, so two colliders part ways.

When one of its links comes up the member draws its wait again (0 to ``LINK_UP_ROUNDS``
rounds, from the OS's randomness): a report that became due while it was away does not go out
in the first round after it is back, where "X came back, then a report" would point at X.
"""

from __future__ import annotations

import secrets
from collections import deque
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

from . import dcnet


class Phase(Enum):
    RESERVATION = dcnet.PHASE_RESERVATION
    DATA = dcnet.PHASE_DATA


@dataclass(frozen=True)
class Announce:
    round_no: int
    participants: tuple[bytes, ...]


@dataclass(frozen=True)
class Output:
    round_no: int
    phase: Phase
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Combined:
    round_no: int
    phase: Phase
    data: bytes = field(repr=False)


@dataclass
class _Round:
    announce: Announce
    my_bit: int | None = None
    sending: bytes | None = None
    slot_bits: list[int] = field(default_factory=list)


LINK_UP_ROUNDS = 4  # after a link comes up, wait 0..4 rounds (drawn again each time)


class MemberRounds:
    """One member's part: answers announcements, keeps its queue until its message is out."""

    def __init__(
        self,
        me: bytes,
        pair_keys: Mapping[bytes, bytes],
        max_backoff: int = 3,
        link_up_rounds: int = LINK_UP_ROUNDS,
    ) -> None:
        self.me = me
        self._keys = dict(pair_keys)
        self._queue: deque[bytes] = deque()
        self._round: _Round | None = None
        self._skip = 0
        self._max_backoff = max_backoff
        self._link_up_rounds = link_up_rounds
        self.last_round = -1

    def link_came_up(self) -> None:
        """One of my links came up: draw again how many rounds to wait before sending."""
        self._skip = secrets.randbelow(self._link_up_rounds + 1)

    @property
    def pending(self) -> int:
        return len(self._queue)

    def rekey(self, pair_keys: Mapping[bytes, bytes]) -> None:
        """New pair keys (the roster or the epoch changed); the queue stays."""
        self._keys = dict(pair_keys)
        self._round = None

    def submit(self, message: bytes) -> None:
        if not message or len(message) > dcnet.MAX_MESSAGE:
            raise ValueError(f"an anonymous message holds 1 to {dcnet.MAX_MESSAGE} bytes")
        self._queue.append(message)

    def on_announce(self, announce: Announce, linked: Collection[bytes]) -> Output | None:
        """The reservation output for a new round (None when not a participant, or stale)."""
        if announce.round_no <= self.last_round or self.me not in announce.participants:
            return None
        if list(announce.participants) != sorted(set(announce.participants)):
            return None
        if not set(announce.participants) - {self.me} <= self._keys.keys():
            return None  # someone this member shares no key with: not a round of this epoch
        self.last_round = announce.round_no
        want = bool(self._queue) and dcnet.safe_to_send(announce.participants, self.me, linked)
        if self._skip:  # a wait drawn after a collision or a link coming up: rounds use it up
            self._skip -= 1
            want = False
        out, bit = dcnet.reservation(
            self._keys, announce.participants, self.me, announce.round_no, want=want
        )
        self._round = _Round(announce, bit, self._queue[0] if want else None)
        return Output(announce.round_no, Phase.RESERVATION, out)

    def on_combined(self, combined: Combined) -> tuple[Output | None, list[bytes]]:
        """The data output after a reservation; the round's messages after the data phase."""
        current = self._round
        if current is None or combined.round_no != current.announce.round_no:
            return None, []
        participants = current.announce.participants
        if combined.phase is Phase.RESERVATION:
            if len(combined.data) != dcnet.RESERVATION_BYTES:
                self._round = None
                return None, []
            current.slot_bits = dcnet.slots(combined.data)
            if not current.slot_bits:
                self._round = None
                return None, []
            out = dcnet.data(
                self._keys,
                participants,
                self.me,
                combined.round_no,
                current.slot_bits,
                my_bit=current.my_bit,
                message=current.sending or b"",
            )
            return Output(combined.round_no, Phase.DATA, out), []
        self._round = None
        try:
            opened = dcnet.open_slots(combined.data, len(current.slot_bits))
        except ValueError:
            opened = []
        messages = [m for m in opened if m is not None]
        if current.sending is not None:
            if current.sending in messages:
                self._queue.popleft()
            else:  # collided or disrupted: wait a random number of rounds, then again
                self._skip = secrets.randbelow(self._max_backoff + 1)
        return None, messages


class Collector:
    """Gathers one output per participant per phase and publishes their XOR."""

    def __init__(self) -> None:
        self._announce: Announce | None = None
        self._phase = Phase.RESERVATION
        self._outputs: dict[bytes, bytes] = {}
        self._size = dcnet.RESERVATION_BYTES

    def start(self, round_no: int, participants: Sequence[bytes]) -> Announce:
        announce = Announce(round_no, tuple(sorted(set(participants))))
        self._announce, self._phase, self._outputs = announce, Phase.RESERVATION, {}
        self._size = dcnet.RESERVATION_BYTES
        return announce

    def on_output(self, member: bytes, output: Output) -> Combined | None:
        """Take one member's output; the combination once every participant has sent one."""
        announce = self._announce
        if (
            announce is None
            or output.round_no != announce.round_no
            or output.phase is not self._phase
            or member not in announce.participants
            or member in self._outputs
            or len(output.data) != self._size
        ):
            return None
        self._outputs[member] = output.data
        if len(self._outputs) < len(announce.participants):
            return None
        combined = Combined(
            announce.round_no, self._phase, dcnet.xor(self._outputs.values(), self._size)
        )
        self._outputs = {}
        if self._phase is Phase.RESERVATION:
            bits = dcnet.slots(combined.data)
            if bits:
                self._phase, self._size = Phase.DATA, len(bits) * dcnet.SLOT_SIZE
            else:
                self._announce = None
        else:
            self._announce = None
        return combined

    def abandon(self) -> None:
        """A participant did not answer in time: the round is void; members keep their queues."""
        self._announce = None
        self._outputs = {}


@dataclass(frozen=True)
class RoundLimits:
    """How often rounds run and how much one linkage tag may post (docs/ANONYMITY.md)."""

    round_every_ms: int = 20_000  # an empty round, then the next after this long
    quiet_every_ms: int = 300_000
    """Between rounds in a circle without anonymous posting, where only anonymous reports use
    them: a report waits a few minutes more, an idle laptop stays quiet."""
    round_timeout_ms: int = 10_000  # a participant who has not answered by then voids the round
    per_window: int = 10  # anonymous posts per linkage tag (one member) per window
    answer_after_ms: int = 25
    """A member answers each phase this long after it heard the phase begin ..."""
    answer_jitter_ms: int = 25
    """... plus up to this long more, at random (the collector sees every arrival)."""
