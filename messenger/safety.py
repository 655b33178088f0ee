"""Safety numbers: short codes two members (or a whole circle) compare aloud to rule out a
man in the middle.

* :func:`pair_code` — for two members: 6 groups of 5 digits (about 99 bits), the same on both
  sides (the keys are sorted first), different for every pair and every circle::

      digest = BLAKE2b-240(message = circle_id || min(key_a, key_b) || max(key_a, key_b),
                           person  = b"hearth-safety-pr")
      group i = int(digest[5i : 5i+5], big-endian) mod 100000, zero-padded to 5 digits

* :func:`circle_code` — for the whole roster: 4 groups of 4 digits (about 53 bits) over the
  sorted, de-duplicated member keys; everyone who sees the same members sees the same code::

      digest = BLAKE2b-160(message = circle_id || count (2 bytes) || sorted keys,
                           person  = b"hearth-safety-cc")
      group i = int(digest[5i : 5i+5]) mod 10000, zero-padded to 4 digits

The keys are the members' Ed25519 identity keys (which the Noise handshake binds to the session).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import HearthError

KEY_SIZE = 32
PAIR_PERSON = b"hearth-safety-pr"
CIRCLE_PERSON = b"hearth-safety-cc"
PAIR_GROUPS, PAIR_DIGITS = 6, 5
CIRCLE_GROUPS, CIRCLE_DIGITS = 4, 4
CHUNK = 5  # bytes of digest per group: 2^40 ≫ 10^5, so the modulo bias is negligible
MAX_ROSTER = 10000


class SafetyError(HearthError):
    code = "bad_safety_input"


@dataclass(frozen=True)
class SafetyNumber:
    groups: tuple[str, ...]

    def __str__(self) -> str:
        return " ".join(self.groups)

    @property
    def digits(self) -> str:
        return "".join(self.groups)

    def matches(self, typed: str) -> bool:
        """Whether ``typed`` (spaces, dashes and all) is this number."""
        return "".join(c for c in typed if c.isdigit()) == self.digits


def _groups(digest: bytes, count: int, digits: int) -> tuple[str, ...]:
    modulus = 10**digits
    return tuple(
        str(int.from_bytes(digest[i * CHUNK : (i + 1) * CHUNK], "big") % modulus).zfill(digits)
        for i in range(count)
    )


def _check_key(key: bytes) -> bytes:
    if not isinstance(key, bytes) or len(key) != KEY_SIZE:
        raise SafetyError("a member key must be 32 bytes")
    return key


def pair_code(circle_id: bytes, key_a: bytes, key_b: bytes) -> SafetyNumber:
    """The safety number of two members of one circle (symmetric in ``key_a``, ``key_b``)."""
    low, high = sorted((_check_key(key_a), _check_key(key_b)))
    if low == high:
        raise SafetyError("a safety number needs two different members")
    digest = hashlib.blake2b(
        circle_id + low + high, person=PAIR_PERSON, digest_size=PAIR_GROUPS * CHUNK
    ).digest()
    return SafetyNumber(_groups(digest, PAIR_GROUPS, PAIR_DIGITS))


def circle_code(circle_id: bytes, member_keys: Iterable[bytes]) -> SafetyNumber:
    """The code of the whole roster: the same for everyone who sees the same members."""
    keys = sorted({_check_key(key) for key in member_keys})
    if not keys:
        raise SafetyError("a circle code needs at least one member")
    if len(keys) > MAX_ROSTER:
        raise SafetyError("too many members for a circle code")
    message = circle_id + len(keys).to_bytes(2, "big") + b"".join(keys)
    digest = hashlib.blake2b(
        message, person=CIRCLE_PERSON, digest_size=CIRCLE_GROUPS * CHUNK
    ).digest()
    return SafetyNumber(_groups(digest, CIRCLE_GROUPS, CIRCLE_DIGITS))
