"""Optional rendezvous: members on different networks find each other, and talk via a relay.

* :mod:`.address` - ``HOST:PORT:KEY`` addresses;
* :mod:`.tags` - rotating per-circle tags, registration signatures, sealed contact info;
* :mod:`.codec`, :mod:`.session`, :mod:`.core` - the sans-IO protocol and server logic;
* :mod:`.server` - the asyncio server (``hearth-rendezvous``, :mod:`.cli`);
* :mod:`.client` - :class:`RendezvousClient` for the node.
"""

from .address import RendezvousAddress, format_address, parse_address
from .client import (
    ClientConfig,
    IncomingHandler,
    Registration,
    RegistrationHandle,
    RendezvousClient,
)
from .config import ServerConfig
from .connection import ServerLink
from .errors import (
    AddressError,
    ErrorCode,
    HandshakeFailed,
    KeyFileError,
    MalformedMessage,
    ProtocolError,
    Refused,
    RendezvousError,
    Unavailable,
)
from .ratelimit import Rate
from .server import RendezvousServer
from .tags import EPOCH_LENGTH, EpochKeys, epoch_of

__all__ = [
    "EPOCH_LENGTH",
    "AddressError",
    "ClientConfig",
    "EpochKeys",
    "ErrorCode",
    "HandshakeFailed",
    "IncomingHandler",
    "KeyFileError",
    "MalformedMessage",
    "ProtocolError",
    "Rate",
    "Refused",
    "Registration",
    "RegistrationHandle",
    "RendezvousAddress",
    "RendezvousClient",
    "RendezvousError",
    "RendezvousServer",
    "ServerConfig",
    "ServerLink",
    "Unavailable",
    "epoch_of",
    "format_address",
    "parse_address",
]
