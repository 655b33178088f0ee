"""Invite links: ``hearth://join/<payload>``, made to survive chat, e-mail and copy-paste.

Payload (version 1)::

    raw      = version (1 byte) || body || check (4 bytes)
    body     = msgpack([name, secret (32), host_key (32), nonce (16), epoch,
                        rendezvous address or nil, rules digest (16) or nil])
    check    = BLAKE2b(version || body, person=b"hearth-invite", digest_size=4)
    payload  = lowercase RFC 4648 base32 of raw, without padding

The circle id is not carried as such: it is derived from the host key and the nonce
(:func:`messenger.keyschedule.derive_circle_id`), so a link can never pair a circle's id with
another host. The 4-byte check catches damage (a wrong link passes by chance once in 4 billion);
it is not a signature: whoever has the link has the circle's secret. Every future version keeps
the same check trailer, so damage is told apart from a newer version.

Base32 (letters and the digits 2-7) is case-insensitive and has no characters that mail clients,
chat apps or Markdown rewrite. :func:`parse` is forgiving: it finds the link inside surrounding
text, quotes or angle brackets, ignores case, line breaks, ``>`` quote marks and quoted-printable
``=`` breaks inside the payload, and stops at trailing punctuation or words.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from typing import Any

import msgpack

from network import strictpack

from .circle import Circle, CircleError, clean_name
from .errors import HearthError
from .keyschedule import HOST_KEY_SIZE, NONCE_SIZE, SECRET_SIZE, derive_circle_id

SCHEME = "hearth"
PREFIX = "hearth://join/"
VERSION = 1
CHECK_SIZE = 4
CHECK_PERSON = b"hearth-invite"
RULES_DIGEST_SIZE = 16
MAX_RENDEZVOUS = 255
MAX_RAW = 1024
MAX_TEXT = 16384
MAX_SEGMENTS = 64

_PREFIX_RE = re.compile(r"hearth\s*:\s*/\s*/\s*join\s*/", re.IGNORECASE)
_ANY_HEARTH_RE = re.compile(r"hearth\s*:", re.IGNORECASE)
_OTHER_URI_RE = re.compile(r"[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_BASE32 = frozenset("abcdefghijklmnopqrstuvwxyz234567")
# Characters that may be inserted inside a payload in transit: white space, e-mail quote marks,
# quoted-printable soft breaks, zero-width spaces, soft hyphens, word joiners, BOMs.
_SEPARATORS = frozenset(">=\u200b\u200c\u200d\u2060\u00ad\ufeff")


class InviteLinkProblem(Enum):
    EMPTY = "empty"
    NOT_HEARTH_LINK = "not_hearth_link"
    UNSUPPORTED_VERSION = "unsupported_version"
    DAMAGED = "damaged"
    INVALID = "invalid"
    TOO_LONG = "too_long"


_MESSAGES = {
    InviteLinkProblem.EMPTY: "There is no link here. Paste the whole invitation link.",
    InviteLinkProblem.NOT_HEARTH_LINK: (
        "This is not a Hearth invitation. Invitation links start with hearth://join/."
    ),
    InviteLinkProblem.UNSUPPORTED_VERSION: (
        "This invitation was made by a newer version of Hearth. Please update the app."
    ),
    InviteLinkProblem.DAMAGED: (
        "This invitation link is damaged or incomplete. Ask for it again, or copy all of it."
    ),
    InviteLinkProblem.INVALID: "This invitation link is not valid.",
    InviteLinkProblem.TOO_LONG: "This is far too long to be a Hearth invitation link.",
}


class InviteLinkError(HearthError):
    """A link that cannot be used; ``code`` is the problem's value (``"damaged"``, ...)."""

    code = "bad_invite_link"

    def __init__(self, problem: InviteLinkProblem, detail: str = "") -> None:
        super().__init__(_MESSAGES[problem] + (f" ({detail})" if detail else ""))
        self.problem = problem
        self.code = problem.value


def _check(data: bytes) -> bytes:
    return hashlib.blake2b(data, person=CHECK_PERSON, digest_size=CHECK_SIZE).digest()


def _clean_rendezvous(value: object) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= MAX_RENDEZVOUS:
        raise InviteLinkError(InviteLinkProblem.INVALID, "rendezvous address")
    if not all("!" <= c <= "~" for c in value):
        raise InviteLinkError(InviteLinkProblem.INVALID, "rendezvous address")
    return value


@dataclass(frozen=True, repr=False)
class InviteLink:
    """What an invitation carries. Holds the circle secret: ``repr`` never shows it."""

    name: str
    secret: bytes
    host_key: bytes
    nonce: bytes
    epoch: int = 0
    rendezvous: str | None = None
    rules_digest: bytes | None = None

    def __post_init__(self) -> None:
        sizes = (
            (self.secret, SECRET_SIZE),
            (self.host_key, HOST_KEY_SIZE),
            (self.nonce, NONCE_SIZE),
        )
        if not all(isinstance(value, bytes) and len(value) == size for value, size in sizes):
            raise InviteLinkError(InviteLinkProblem.INVALID, "key sizes")
        if not isinstance(self.epoch, int) or isinstance(self.epoch, bool) or self.epoch < 0:
            raise InviteLinkError(InviteLinkProblem.INVALID, "epoch")
        if self.rules_digest is not None and (
            not isinstance(self.rules_digest, bytes) or len(self.rules_digest) != RULES_DIGEST_SIZE
        ):
            raise InviteLinkError(InviteLinkProblem.INVALID, "rules digest")
        if self.rendezvous is not None:
            _clean_rendezvous(self.rendezvous)
        try:
            object.__setattr__(self, "name", clean_name(self.name))
        except CircleError as exc:
            raise InviteLinkError(InviteLinkProblem.INVALID, "circle name") from exc

    @property
    def version(self) -> int:
        return VERSION

    @property
    def circle_id(self) -> bytes:
        return derive_circle_id(self.host_key, self.nonce)

    @classmethod
    def for_circle(
        cls, circle: Circle, *, rendezvous: str | None = None, with_rules: bool = True
    ) -> InviteLink:
        """The invitation to ``circle`` (at its current epoch)."""
        if circle.host_key is None:
            raise InviteLinkError(InviteLinkProblem.INVALID, "the open lobby needs no invitation")
        return cls(
            name=circle.name,
            secret=circle.secret,
            host_key=circle.host_key,
            nonce=circle.nonce,
            epoch=circle.epoch,
            rendezvous=rendezvous,
            rules_digest=circle.rules_digest if with_rules and circle.rules else None,
        )

    def to_circle(self) -> Circle:
        """The circle as a newcomer first knows it (description, rules and settings come from
        the host once connected; check the rules with :meth:`rules_match`)."""
        return Circle(
            circle_id=self.circle_id,
            host_key=self.host_key,
            nonce=self.nonce,
            name=self.name,
            secret=self.secret,
            epoch=self.epoch,
        )

    def rules_match(self, circle: Circle) -> bool:
        """Whether ``circle``'s rules are the ones this link promised (true if it promised none)."""
        return self.rules_digest is None or self.rules_digest == circle.rules_digest

    def raw(self) -> bytes:
        fields: list[Any] = [
            self.name,
            self.secret,
            self.host_key,
            self.nonce,
            self.epoch,
            self.rendezvous,
            self.rules_digest,
        ]
        signed = bytes([VERSION]) + bytes(msgpack.packb(fields, use_bin_type=True))
        return signed + _check(signed)

    def to_text(self) -> str:
        """The link as people share it: ``hearth://join/<lowercase base32>``."""
        return PREFIX + _b32encode(self.raw())

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return f"InviteLink(name={self.name!r}, epoch={self.epoch}, <secret hidden>)"


def _b32encode(raw: bytes) -> str:
    return base64.b32encode(raw).decode("ascii").rstrip("=").lower()


def _b32decode(payload: str) -> bytes | None:
    if len(payload) % 8 in (1, 3, 6):  # lengths base32 never produces
        return None
    try:
        return base64.b32decode(payload.upper() + "=" * (-len(payload) % 8))
    except (binascii.Error, ValueError):
        return None


def _segments(rest: str) -> list[str]:
    """The runs of base32 characters after the prefix, split where something was inserted."""
    segments: list[str] = []
    current: list[str] = []
    for char in rest:
        lower = char.lower()
        if lower in _BASE32:
            current.append(lower)
        elif char.isspace() or char in _SEPARATORS:
            if current:
                segments.append("".join(current))
                current = []
                if len(segments) >= MAX_SEGMENTS:
                    break
        else:  # punctuation, a quote, a closing bracket: the link ended
            break
    if current and len(segments) < MAX_SEGMENTS:
        segments.append("".join(current))
    return segments


def _decode(raw: bytes) -> InviteLink:
    if raw[0] != VERSION:
        raise InviteLinkError(InviteLinkProblem.UNSUPPORTED_VERSION)
    try:
        fields = strictpack.unpack(
            raw[1:-CHECK_SIZE], max_bin=64, max_str=1024, max_array=32, max_map=0
        )
    except strictpack.Undecodable:
        raise InviteLinkError(InviteLinkProblem.INVALID, "unreadable content") from None
    if not isinstance(fields, list) or len(fields) < 7:
        raise InviteLinkError(InviteLinkProblem.INVALID, "missing fields")
    name, secret, host_key, nonce, epoch, rendezvous, digest = fields[:7]  # later: extensions
    if not isinstance(name, str):
        raise InviteLinkError(InviteLinkProblem.INVALID, "circle name")
    if not all(isinstance(value, bytes) for value in (secret, host_key, nonce)):
        raise InviteLinkError(InviteLinkProblem.INVALID, "keys")
    if not isinstance(epoch, int) or isinstance(epoch, bool):
        raise InviteLinkError(InviteLinkProblem.INVALID, "epoch")
    if rendezvous is not None and not isinstance(rendezvous, str):
        raise InviteLinkError(InviteLinkProblem.INVALID, "rendezvous address")
    if digest is not None and not isinstance(digest, bytes):
        raise InviteLinkError(InviteLinkProblem.INVALID, "rules digest")
    return InviteLink(
        name=name,
        secret=secret,
        host_key=host_key,
        nonce=nonce,
        epoch=epoch,
        rendezvous=rendezvous,
        rules_digest=digest,
    )


def parse(text: object) -> InviteLink:
    """The invitation in ``text`` (a link, perhaps inside a message); :class:`InviteLinkError`."""
    if not isinstance(text, str):
        raise InviteLinkError(InviteLinkProblem.NOT_HEARTH_LINK, "not text")
    if len(text) > MAX_TEXT:
        raise InviteLinkError(InviteLinkProblem.TOO_LONG)
    text = unicodedata.normalize("NFKC", text)  # full-width letters and odd spaces to ASCII
    if not text.strip():
        raise InviteLinkError(InviteLinkProblem.EMPTY)
    found = _PREFIX_RE.search(text)
    if found is None:
        if _ANY_HEARTH_RE.search(text):
            raise InviteLinkError(InviteLinkProblem.NOT_HEARTH_LINK, "not an invitation")
        raise InviteLinkError(InviteLinkProblem.NOT_HEARTH_LINK)
    segments = _segments(text[found.end() :])
    if not segments:
        raise InviteLinkError(InviteLinkProblem.DAMAGED, "the payload is missing")
    # Try the longest run of segments first: line breaks may sit inside the payload, and words
    # may follow it. The check decides which reading is the link.
    for count in range(len(segments), 0, -1):
        candidate = "".join(segments[:count])
        raw = _b32decode(candidate)
        if raw is None or len(raw) > MAX_RAW or len(raw) < 1 + CHECK_SIZE + 1:
            continue
        if _check(raw[:-CHECK_SIZE]) == raw[-CHECK_SIZE:] and _b32encode(raw) == candidate:
            return _decode(raw)
    raise InviteLinkError(InviteLinkProblem.DAMAGED)


def looks_like_link(text: str) -> bool:
    """Whether ``text`` is meant as an invite link (rather than a spoken code)."""
    return _ANY_HEARTH_RE.search(text) is not None or (
        _OTHER_URI_RE.match(text.strip()) is not None and "//" in text
    )
