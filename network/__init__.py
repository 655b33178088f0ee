"""Hearth's peer-to-peer layer: Noise, framing, discovery, transport, node, rendezvous.

Sans-IO protocol cores with thin asyncio adapters. Never imports ``messenger`` or ``ui``,
never imports Qt.
"""

PROTOCOL_VERSION = 2
