"""The node: one listener, dials to discovered peers, one secure link per (member, circle)."""

from .config import CircleBinding, NodeConfig, PayloadVerifier
from .events import NodeEvent, PeerConnected, PeerKey, PeerLost, PeerMessage
from .node import ConnectError, DiscoveredPeer, Node, NodeError
from .points import RawHandler

__all__ = [
    "CircleBinding",
    "ConnectError",
    "DiscoveredPeer",
    "Node",
    "NodeConfig",
    "NodeError",
    "NodeEvent",
    "PayloadVerifier",
    "PeerConnected",
    "PeerKey",
    "PeerLost",
    "PeerMessage",
    "RawHandler",
]
