"""What travels on a member link: one tag byte saying which part of the core a message is for."""

from __future__ import annotations

from enum import IntEnum

from .errors import HearthError


class Lane(IntEnum):
    CONVERSATION = 0  # posts, sync, direct messages (messenger.conversation.wire)
    ROSTER = 1  # signed identity statements of the members we know
    MODERATION = 2  # signed moderation events
    CIRCLE_INFO = 3  # the host's signed name, description, rules and settings
    ANONYMOUS = 4  # dining-cryptographers rounds and anonymous posts by id (messenger.anonymity)


class MuxError(HearthError):
    code = "malformed_message"


def pack(lane: Lane, body: bytes) -> bytes:
    return bytes([lane]) + body


def unpack(data: bytes) -> tuple[Lane, bytes]:
    if not data:
        raise MuxError("empty message")
    try:
        lane = Lane(data[0])
    except ValueError:
        raise MuxError(f"unknown lane {data[0]}") from None
    return lane, data[1:]
