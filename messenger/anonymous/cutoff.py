"""A moderator's cut-off of one linkage tag for the rest of its window ("stop this flood"),
signed with the moderator's member key and passed on the anonymous lane (docs/ANONYMITY.md,
"Moderation without names").

Wire form (after the lane's kind byte)::

    window (8) | linkage tag (32) | moderator's member key (32) | Ed25519 signature (64)

over ``DOMAIN + circle id + epoch (4) + window + tag``. A member applies it when the signer is
a moderator it knows; the tag names nobody and means nothing after its window.
"""

from __future__ import annotations

from dataclasses import dataclass

import nacl.bindings
import nacl.exceptions
import nacl.signing

from ..errors import HearthError

DOMAIN = b"hearth/anon/v1/cut-off\x00"
SIZE = 8 + 32 + 32 + 64


class CutOffError(HearthError):
    code = "bad_cut_off"


@dataclass(frozen=True)
class CutOff:
    window: int
    tag: bytes
    moderator: bytes
    signature: bytes

    def encode(self) -> bytes:
        return self.window.to_bytes(8, "big") + self.tag + self.moderator + self.signature


def _message(circle_id: bytes, epoch: int, window: int, tag: bytes) -> bytes:
    return DOMAIN + circle_id + epoch.to_bytes(4, "big") + window.to_bytes(8, "big") + tag


def sign(
    key: nacl.signing.SigningKey, circle_id: bytes, epoch: int, window: int, tag: bytes
) -> CutOff:
    signature = key.sign(_message(circle_id, epoch, window, tag)).signature
    return CutOff(window, tag, bytes(key.verify_key), signature)


def decode(data: bytes) -> CutOff:
    if len(data) != SIZE:
        raise CutOffError("a cut-off is 136 bytes")
    return CutOff(int.from_bytes(data[:8], "big"), data[8:40], data[40:72], data[72:])


def verify(cut: CutOff, circle_id: bytes, epoch: int) -> None:
    """Raise :class:`CutOffError` unless ``cut.moderator`` signed it for this circle and epoch
    (whether that key is a moderator is the caller's question)."""
    message = _message(circle_id, epoch, cut.window, cut.tag)
    try:
        nacl.bindings.crypto_sign_open(cut.signature + message, cut.moderator)
    except (nacl.exceptions.CryptoError, ValueError, TypeError):
        raise CutOffError("the cut-off's signature does not verify") from None
