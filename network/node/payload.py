"""The node's wrapper around the app's handshake payload: my discovery label + the app's bytes.

It travels encrypted inside the handshake, so only a member of the circle learns which discovery
label belongs to which member; with it both sides know a link's peer and dial only once.
"""

from __future__ import annotations

import msgpack

from .. import strictpack
from ..discovery.labels import is_label
from ..errors import NetworkError

VERSION = 1
MAX_APP_PAYLOAD = 1024


class PayloadError(NetworkError):
    """The peer's handshake payload is not a node payload."""


def wrap(label: str, app_payload: bytes) -> bytes:
    return bytes(msgpack.packb([VERSION, label, app_payload], use_bin_type=True))


def unwrap(data: bytes) -> tuple[str, bytes]:
    try:
        value = strictpack.unpack(data, max_bin=MAX_APP_PAYLOAD)
    except strictpack.Undecodable as exc:
        raise PayloadError("handshake payload is not msgpack") from exc
    if not (isinstance(value, list) and len(value) == 3):
        raise PayloadError("handshake payload has the wrong shape")
    version, label, app = value
    if version != VERSION:
        raise PayloadError(f"unsupported node payload version {version!r}")
    if not isinstance(label, str) or not is_label(label):
        raise PayloadError("handshake payload carries no valid label")
    if not isinstance(app, bytes):
        raise PayloadError("handshake payload carries no app payload")
    return label, app
