"""The sans-IO conversation core: signed posts, sync between members, direct messages.

The node drives one :class:`CircleSync` per circle (bytes in, bytes and events out, the clock
passed in); storage plugs in as a :class:`PostLog`.
"""

from .dm import DmSettings
from .dm_envelope import DirectMessage, decode_dm, sign_dm
from .envelope import SignedPost, decode_post, sign_post
from .errors import (
    ComposeError,
    ConversationError,
    DirectMessageError,
    DropReason,
    EnvelopeError,
    PublishError,
    WireError,
)
from .events import (
    ConversationEvent,
    CoolDown,
    DmHeld,
    DmReceived,
    DmRequest,
    DmStateChanged,
    Dropped,
    GapAbandoned,
    LoadPosts,
    Outgoing,
    PeerGoodbye,
    PeerLimited,
    PeerSynced,
    PeerTyping,
    PostReceived,
    SlowDown,
)
from .postlog import MemoryPostLog, PostLog
from .postsync import SyncLimits
from .ratelimit import RateLimits
from .sync import CircleSync, keep_for, keep_forever

__all__ = [
    "CircleSync",
    "ComposeError",
    "ConversationError",
    "ConversationEvent",
    "CoolDown",
    "DirectMessage",
    "DirectMessageError",
    "DmHeld",
    "DmReceived",
    "DmRequest",
    "DmSettings",
    "DmStateChanged",
    "DropReason",
    "Dropped",
    "EnvelopeError",
    "GapAbandoned",
    "LoadPosts",
    "MemoryPostLog",
    "Outgoing",
    "PeerGoodbye",
    "PeerLimited",
    "PeerSynced",
    "PeerTyping",
    "PostLog",
    "PostReceived",
    "PublishError",
    "RateLimits",
    "SignedPost",
    "SlowDown",
    "SyncLimits",
    "WireError",
    "decode_dm",
    "decode_post",
    "keep_for",
    "keep_forever",
    "sign_dm",
    "sign_post",
]
