"""The anonymous lane's messages (``Lane.ANONYMOUS`` on a member link), strict binary forms.

::

    ANNOUNCE  1 | round (8) | n (1, 3..255) | n x member key (32)      collector -> participants
    OUTPUT    2 | round (8) | phase (1) | data                         participant -> collector
    COMBINED  3 | round (8) | phase (1) | data                         collector -> participants
    HAVE      4 | n x post id (32), n <= 512                          on link up: ids I hold
    POSTS     5 | n (1) | n x (length (4) | anonymous post)            released posts a peer lacks
    CUT       6 | a moderator's signed cut-off (messenger/anonymous/cutoff.py)   passed on once

``data`` is 8 bytes in the reservation phase and one 16,320-byte slot per reserved bit (at most
:data:`MAX_SLOTS`) in the data phase. Anything else raises :class:`AnonWireError`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import HearthError
from . import cutoff, dcnet
from .cutoff import CutOff
from .rounds import Announce, Combined, Output, Phase

ANNOUNCE, OUTPUT, COMBINED, HAVE, POSTS, CUT = 1, 2, 3, 4, 5, 6
MAX_HAVE = 512
MAX_POSTS = 16
MAX_POST_BYTES = dcnet.MAX_MESSAGE
KEY = 32


class AnonWireError(HearthError):
    code = "malformed_message"


@dataclass(frozen=True)
class Have:
    ids: tuple[bytes, ...]


@dataclass(frozen=True)
class Posts:
    posts: tuple[bytes, ...]


Message = Announce | Output | Combined | Have | Posts | CutOff


def encode(msg: Message) -> bytes:
    if isinstance(msg, Announce):
        keys = b"".join(msg.participants)
        return (
            bytes([ANNOUNCE])
            + msg.round_no.to_bytes(8, "big")
            + bytes([len(msg.participants)])
            + keys
        )
    if isinstance(msg, Output | Combined):
        kind = OUTPUT if isinstance(msg, Output) else COMBINED
        return bytes([kind]) + msg.round_no.to_bytes(8, "big") + bytes([msg.phase.value]) + msg.data
    if isinstance(msg, Have):
        return bytes([HAVE]) + b"".join(msg.ids[:MAX_HAVE])
    if isinstance(msg, CutOff):
        return bytes([CUT]) + msg.encode()
    out = bytearray([POSTS, len(msg.posts)])
    for post in msg.posts:
        out += len(post).to_bytes(4, "big") + post
    return bytes(out)


def decode(data: bytes) -> Message:
    if not data:
        raise AnonWireError("empty anonymous-lane message")
    kind, body = data[0], data[1:]
    if kind == ANNOUNCE:
        if len(body) < 9:
            raise AnonWireError("short announcement")
        n = body[8]
        if n < 3 or len(body) != 9 + n * KEY:
            raise AnonWireError("bad announcement")
        keys = tuple(body[9 + i * KEY : 9 + (i + 1) * KEY] for i in range(n))
        return Announce(int.from_bytes(body[:8], "big"), keys)
    if kind in (OUTPUT, COMBINED):
        if len(body) < 9:
            raise AnonWireError("short round message")
        try:
            phase = Phase(body[8])
        except ValueError:
            raise AnonWireError("unknown phase") from None
        size = len(body) - 9
        if phase is Phase.RESERVATION and size != dcnet.RESERVATION_BYTES:
            raise AnonWireError("a reservation is 8 bytes")
        if phase is Phase.DATA and (
            size == 0 or size % dcnet.SLOT_SIZE or size // dcnet.SLOT_SIZE > dcnet.MAX_SLOTS
        ):
            raise AnonWireError("data is whole slots")
        cls = Output if kind == OUTPUT else Combined
        return cls(int.from_bytes(body[:8], "big"), phase, bytes(body[9:]))
    if kind == HAVE:
        if len(body) % KEY or len(body) // KEY > MAX_HAVE:
            raise AnonWireError("bad list of ids")
        return Have(tuple(body[i : i + KEY] for i in range(0, len(body), KEY)))
    if kind == POSTS:
        if not body or not 1 <= body[0] <= MAX_POSTS:
            raise AnonWireError("bad list of posts")
        posts, at = [], 1
        for _ in range(body[0]):
            if at + 4 > len(body):
                raise AnonWireError("truncated posts")
            size = int.from_bytes(body[at : at + 4], "big")
            if not 1 <= size <= MAX_POST_BYTES or at + 4 + size > len(body):
                raise AnonWireError("bad post length")
            posts.append(bytes(body[at + 4 : at + 4 + size]))
            at += 4 + size
        if at != len(body):
            raise AnonWireError("trailing bytes")
        return Posts(tuple(posts))
    if kind == CUT:
        try:
            return cutoff.decode(bytes(body))
        except cutoff.CutOffError as exc:
            raise AnonWireError(str(exc)) from None
    raise AnonWireError(f"unknown anonymous-lane message {kind}")
