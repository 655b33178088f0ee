"""What the host says about its circle: name, description, rules and settings, signed, versioned.

The invite link carries only what is needed to find and enter the circle; everything else
comes from the host as a :class:`CircleInfo` signed with the host's key in this circle, and
spreads from member to member like a post. A member keeps the highest version it has seen;
rules that change must be accepted again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import msgpack
import nacl.exceptions
import nacl.signing

from .circle import Circle, CircleError, CircleSettings, clean_name, clean_text
from .errors import HearthError

VERSION = 1
DOMAIN = b"hearth/circle-info/1"
MAX_BYTES = 32 * 1024
MAX_DESCRIPTION = 2000
MAX_RULES = 8000


class CircleInfoError(HearthError):
    code = "bad_circle_info"


@dataclass(frozen=True)
class CircleInfo:
    circle_id: bytes
    revision: int
    name: str
    description: str
    rules: str
    settings: CircleSettings
    signed: bytes = field(default=b"", repr=False, compare=False)

    def apply_to(self, circle: Circle) -> Circle:
        updated = circle.with_details(
            name=self.name, description=self.description, rules=self.rules
        )
        return updated if circle.is_lobby else updated.with_settings(self.settings)


def _content(info: CircleInfo) -> list[Any]:
    return [
        VERSION,
        info.circle_id,
        info.revision,
        info.name,
        info.description,
        info.rules,
        info.settings.to_dict(),
    ]


def sign_info(key: nacl.signing.SigningKey, circle: Circle, revision: int) -> CircleInfo:
    """The host's signed statement of ``circle``'s details at ``revision``."""
    info = CircleInfo(
        circle.circle_id, revision, circle.name, circle.description, circle.rules, circle.settings
    )
    body = bytes(msgpack.packb(_content(info), use_bin_type=True))
    signature = key.sign(DOMAIN + body).signature
    signed = bytes(msgpack.packb([body, signature], use_bin_type=True))
    return CircleInfo(**{**info.__dict__, "signed": signed})


def verify_info(data: bytes, circle: Circle) -> CircleInfo:
    """Check a signed circle info against the circle's host key; raise CircleInfoError."""
    if len(data) > MAX_BYTES:
        raise CircleInfoError("circle info too large")
    if circle.host_key is None:
        raise CircleInfoError("the open lobby has no host")
    try:
        body, signature = msgpack.unpackb(data, raw=False)
        nacl.signing.VerifyKey(circle.host_key).verify(DOMAIN + body, signature)
        fields = msgpack.unpackb(body, raw=False, strict_map_key=False)
    except nacl.exceptions.BadSignatureError:
        raise CircleInfoError("circle info not signed by the host") from None
    except (ValueError, TypeError, msgpack.UnpackException) as exc:
        raise CircleInfoError(f"malformed circle info: {type(exc).__name__}") from None
    if not (isinstance(fields, list) and len(fields) == 7 and fields[0] == VERSION):
        raise CircleInfoError("unsupported circle info")
    _, circle_id, revision, name, description, rules, settings = fields
    if circle_id != circle.circle_id:
        raise CircleInfoError("circle info for another circle")
    if not isinstance(revision, int) or isinstance(revision, bool) or revision < 1:
        raise CircleInfoError("bad circle info revision")
    try:
        return CircleInfo(
            circle_id,
            revision,
            clean_name(name),
            clean_text(description, what="description", max_length=MAX_DESCRIPTION, multiline=True),
            clean_text(rules, what="rules", max_length=MAX_RULES, multiline=True),
            CircleSettings.from_dict(settings),
            signed=data,
        )
    except CircleError as exc:
        raise CircleInfoError(f"invalid circle info: {exc}") from None
