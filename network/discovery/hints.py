"""Circle hints in an mDNS TXT record: sans-IO, bytes in and bytes out.

An announcement carries exactly three TXT strings and nothing else:

- ``v=2``: the discovery protocol version (2: dialing starts with the responder's
  challenge, :mod:`network.node.hello`);
- ``n=<22 chars>``: 16 fresh random bytes, base64url without padding;
- ``h=<43 chars>``: :data:`HINT_SLOTS` hints of :data:`HINT_SIZE` bytes, concatenated,
  base64url without padding. For each circle announced the hint is
  ``BLAKE2b(key=circle discovery key, data=n, digest_size=4)``; the remaining slots are random
  decoys, and the slots are shuffled.

A member who holds the same discovery key computes the same hint from ``n`` and recognises it;
to anyone else the hints are random bytes, and since ``n`` is fresh on every announcement they
link nothing across hosts, runs or re-announcements.

At most :data:`HINT_SLOTS` circles are announced: with more, only the first
:data:`HINT_SLOTS` keys (in the caller's order, after dropping duplicates) get a hint. The
others are still *recognised* by :func:`match` in other peers' announcements, so a peer in one
of them can still be found and dialled from the other side.

Parsing is strict: anything that is not exactly this shape raises :class:`MalformedAnnouncement`
(:func:`parse_txt`) or is ignored with a debug log (:func:`read_txt`).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .errors import InvalidCircleKey, MalformedAnnouncement, UnsupportedVersion

log = logging.getLogger(__name__)

Rng = Callable[[int], bytes]
"""A source of random bytes: ``rng(n)`` returns ``n`` bytes (``secrets.token_bytes``)."""

DISCOVERY_VERSION = 2
HINT_SLOTS = 8
HINT_SIZE = 4
NONCE_SIZE = 16
MIN_KEY_SIZE = 16
MAX_KEY_SIZE = 64  # BLAKE2b's longest key
MAX_TXT_SIZE = 255
"""Longer TXT data is rejected before it is looked at (ours is 75 bytes)."""

_B64URL = re.compile(rb"[A-Za-z0-9_-]*")
_KEYS = (b"v", b"n", b"h")


@dataclass(frozen=True)
class Announcement:
    """The decoded content of one Hearth TXT record."""

    version: int
    nonce: bytes
    hints: tuple[bytes, ...]


def check_keys(keys: Sequence[bytes]) -> list[bytes]:
    """Validate circle discovery keys; return them without duplicates, in their first order."""
    unique: list[bytes] = []
    for index, key in enumerate(keys):
        if not isinstance(key, bytes):
            raise InvalidCircleKey(f"circle key #{index} is {type(key).__name__}, not bytes")
        if not MIN_KEY_SIZE <= len(key) <= MAX_KEY_SIZE:
            raise InvalidCircleKey(
                f"circle key #{index} is {len(key)} bytes; "
                f"expected {MIN_KEY_SIZE} to {MAX_KEY_SIZE}"
            )
        if key not in unique:
            unique.append(key)
    return unique


def hint(key: bytes, nonce: bytes) -> bytes:
    """The 4-byte hint that says "I am in the circle of ``key``" under ``nonce``."""
    return hashlib.blake2b(nonce, key=key, digest_size=HINT_SIZE).digest()


def build_announcement(keys: Sequence[bytes], rng: Rng = secrets.token_bytes) -> Announcement:
    """A fresh announcement for these circle keys: new nonce, hints, decoys, shuffled."""
    unique = check_keys(keys)
    if len(unique) > HINT_SLOTS:
        log.debug(
            "announcing %d of %d circles (%d hint slots)", HINT_SLOTS, len(unique), HINT_SLOTS
        )
    nonce = _take(rng, NONCE_SIZE)
    slots = [hint(key, nonce) for key in unique[:HINT_SLOTS]]
    slots += [_take(rng, HINT_SIZE) for _ in range(HINT_SLOTS - len(slots))]
    return Announcement(DISCOVERY_VERSION, nonce, tuple(_shuffled(slots, rng)))


def encode_txt(announcement: Announcement) -> bytes:
    """The raw TXT record data (length-prefixed strings) for an announcement."""
    if len(announcement.nonce) != NONCE_SIZE or len(announcement.hints) != HINT_SLOTS:
        raise ValueError("announcement has the wrong nonce size or number of hints")
    if any(len(h) != HINT_SIZE for h in announcement.hints):
        raise ValueError("announcement has a hint of the wrong size")
    strings = (
        b"v=%d" % announcement.version,
        b"n=" + _b64encode(announcement.nonce),
        b"h=" + _b64encode(b"".join(announcement.hints)),
    )
    return b"".join(bytes((len(s),)) + s for s in strings)


def build_txt(keys: Sequence[bytes], rng: Rng = secrets.token_bytes) -> bytes:
    """Raw TXT record data announcing these circle keys (see :func:`build_announcement`)."""
    return encode_txt(build_announcement(keys, rng))


def parse_txt(text: bytes) -> Announcement:
    """Decode raw TXT record data; raise :class:`MalformedAnnouncement` unless it is exact."""
    if not isinstance(text, bytes):
        raise MalformedAnnouncement(f"TXT data is {type(text).__name__}, not bytes")
    if len(text) > MAX_TXT_SIZE:
        raise MalformedAnnouncement(f"TXT data is {len(text)} bytes, more than {MAX_TXT_SIZE}")
    fields: dict[bytes, bytes] = {}
    for string in _split_strings(text):
        key, sep, value = string.partition(b"=")
        if not sep:
            raise MalformedAnnouncement(f"TXT string without '=' ({len(string)} bytes)")
        if key in fields:
            raise MalformedAnnouncement(f"duplicate TXT key {key[:16]!r}")
        fields[key] = value
    if b"v" not in fields:
        raise MalformedAnnouncement("no version (v) in TXT")
    if fields[b"v"] != b"%d" % DISCOVERY_VERSION:
        raise UnsupportedVersion(f"unsupported discovery version {fields[b'v'][:16]!r}")
    unknown = sorted(k for k in fields if k not in _KEYS)
    if unknown:
        raise MalformedAnnouncement(f"unexpected TXT key {unknown[0][:16]!r}")
    for key in _KEYS:
        if key not in fields:
            raise MalformedAnnouncement(f"no {key.decode()} in TXT")
    nonce = _b64decode(fields[b"n"], NONCE_SIZE, "nonce (n)")
    packed = _b64decode(fields[b"h"], HINT_SLOTS * HINT_SIZE, "hints (h)")
    hints = tuple(packed[i : i + HINT_SIZE] for i in range(0, len(packed), HINT_SIZE))
    return Announcement(DISCOVERY_VERSION, nonce, hints)


def read_txt(text: bytes) -> Announcement | None:
    """Like :func:`parse_txt`, but a malformed record is logged at debug level and gives None."""
    try:
        return parse_txt(text)
    except MalformedAnnouncement as exc:
        log.debug("ignoring announcement: %s", exc.reason)
        return None


def match(announcement: Announcement, keys: Sequence[bytes]) -> frozenset[int]:
    """Indices into ``keys`` of the circles whose hint appears in the announcement."""
    check_keys(keys)
    present = set(announcement.hints)
    return frozenset(i for i, key in enumerate(keys) if hint(key, announcement.nonce) in present)


def match_txt(text: bytes, keys: Sequence[bytes]) -> frozenset[int]:
    """Indices of ``keys`` recognised in raw TXT data; empty when the data is malformed."""
    announcement = read_txt(text)
    return frozenset() if announcement is None else match(announcement, keys)


def _split_strings(text: bytes) -> list[bytes]:
    strings: list[bytes] = []
    pos = 0
    while pos < len(text):  # bounded: pos grows by at least 1 each round
        length = text[pos]
        start = pos + 1
        if length == 0:
            raise MalformedAnnouncement("empty TXT string")
        if start + length > len(text):
            raise MalformedAnnouncement("TXT string runs past the end of the record")
        strings.append(text[start : start + length])
        pos = start + length
    return strings


def _b64encode(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def _b64decode(value: bytes, size: int, what: str) -> bytes:
    if _B64URL.fullmatch(value) is None:
        raise MalformedAnnouncement(f"{what} is not unpadded base64url")
    if len(value) != len(_b64encode(bytes(size))):
        raise MalformedAnnouncement(f"{what} has {len(value)} characters, not {size} bytes' worth")
    data = base64.urlsafe_b64decode(value + b"=" * (-len(value) % 4))
    if len(data) != size or _b64encode(data) != value:
        raise MalformedAnnouncement(f"{what} is not canonical base64url")
    return data


def _take(rng: Rng, size: int) -> bytes:
    data = rng(size)
    if len(data) != size:
        raise ValueError(f"rng returned {len(data)} bytes, expected {size}")
    return data


def _shuffled(items: list[bytes], rng: Rng) -> list[bytes]:
    """Fisher–Yates with indices drawn from ``rng`` by rejection sampling (no modulo bias)."""
    out = list(items)
    for i in range(len(out) - 1, 0, -1):
        j = _below(i + 1, rng)
        out[i], out[j] = out[j], out[i]
    return out


def _below(bound: int, rng: Rng) -> int:
    limit = 256 - 256 % bound
    for _ in range(64):  # each draw fails with probability < 1/2
        byte = _take(rng, 1)[0]
        if byte < limit:
            return byte % bound
    raise ValueError("rng kept returning out-of-range bytes")
