"""Circles: who hosts them, what they are called, their secret, and the host's settings.

A :class:`Circle` is an immutable value; changing it (a rotation, new settings, new rules) makes
a new one. Keys come from :mod:`messenger.keyschedule`; one's own identity in the circle is a
:class:`~messenger.identity.Membership`; the settings (:class:`CircleSettings`) and
:class:`CircleError` are :mod:`messenger.circle_settings`'s, importable from here too.

The open lobby (:func:`lobby`) is a well-known circle with no host whose secret everyone can
compute: it is public by construction, and joining it is opt-in.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import nacl.signing

from .circle_settings import (
    COARSE_TIMESTAMP_SECONDS,
    LOBBY_SETTINGS,
    MAX_RETENTION_DAYS,
    MAX_RETENTION_HOURS,
    MAX_SLOW_MODE_SECONDS,
    CircleError,
    CircleProblem,
    CircleSettings,
    DirectMessages,
    RetentionPolicy,
)
from .identity import Membership
from .keyschedule import (
    CIRCLE_ID_SIZE,
    HOST_KEY_SIZE,
    LOBBY_ID,
    LOBBY_SECRET,
    NONCE_SIZE,
    SECRET_SIZE,
    CircleKeys,
    derive_circle_id,
    new_nonce,
    new_secret,
)

__all__ = [
    "CIRCLE_FORMAT",
    "COARSE_TIMESTAMP_SECONDS",
    "LOBBY_SETTINGS",
    "MAX_DESCRIPTION",
    "MAX_NAME",
    "MAX_RETENTION_DAYS",
    "MAX_RETENTION_HOURS",
    "MAX_RULES",
    "MAX_SLOW_MODE_SECONDS",
    "Circle",
    "CircleError",
    "CircleProblem",
    "CircleSettings",
    "DirectMessages",
    "RetentionPolicy",
    "clean_name",
    "clean_text",
    "create_circle",
    "lobby",
    "rules_digest",
]

CIRCLE_FORMAT = 1
MAX_NAME = 64
MAX_DESCRIPTION = 1000
MAX_RULES = 8000
RULES_DIGEST_SIZE = 16
RULES_PERSON = b"hearth-rules"

LOBBY_NAME = "Open lobby"
LOBBY_DESCRIPTION = (
    "A public room for anyone running Hearth nearby. Anyone can join and read it: "
    "share nothing here you would not say in a waiting room."
)
LOBBY_RULES = "Be kind. Nobody moderates the lobby: block anyone who makes it unpleasant."


# -- text ---------------------------------------------------------------------------------------
def clean_text(value: object, *, what: str, max_length: int, multiline: bool) -> str:
    """NFC-normalised, trimmed text with no control characters (line breaks if ``multiline``)."""
    if not isinstance(value, str):
        raise CircleError(CircleProblem.MALFORMED, f"the {what} must be text")
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n")).strip()
    if len(text) > max_length:
        raise CircleError(
            CircleProblem.TOO_LONG, f"the {what} can have at most {max_length} characters"
        )
    for char in text:
        if char == "\n" and multiline:
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Zl", "Zp", "Cs", "Co") or char in _BIDI_CONTROLS:
            raise CircleError(CircleProblem.BAD_TEXT, f"the {what} contains control characters")
    return text


_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_name(value: object) -> str:
    name = " ".join(clean_text(value, what="name", max_length=MAX_NAME, multiline=False).split())
    if not any(unicodedata.category(c)[0] in "LNPS" for c in name):
        raise CircleError(CircleProblem.BAD_NAME, "a circle needs a name")
    return name


def rules_digest(rules: str) -> bytes:
    """A 16-byte digest of the rules, carried in invite links so joiners can check them."""
    return hashlib.blake2b(
        rules.encode("utf-8"), person=RULES_PERSON, digest_size=RULES_DIGEST_SIZE
    ).digest()


# -- the circle ---------------------------------------------------------------------------------
@dataclass(frozen=True, repr=False)
class Circle:
    """A circle as one member knows it. Holds the secret: ``repr`` never shows it."""

    circle_id: bytes
    host_key: bytes | None  # the host's Ed25519 key; None only for the open lobby
    nonce: bytes  # creation nonce: circle_id = H(host_key || nonce); empty for the lobby
    name: str
    secret: bytes
    epoch: int = 0  # how many times the secret was rotated
    description: str = ""
    rules: str = ""
    settings: CircleSettings = field(default_factory=CircleSettings)

    def __post_init__(self) -> None:
        for name, value in (("circle_id", self.circle_id), ("secret", self.secret)):
            if not isinstance(value, bytes):
                raise CircleError(CircleProblem.MALFORMED, f"{name} must be bytes")
        if len(self.circle_id) != CIRCLE_ID_SIZE or len(self.secret) != SECRET_SIZE:
            raise CircleError(CircleProblem.MALFORMED, "circle id or secret size")
        if self.host_key is None:
            if self.circle_id != LOBBY_ID or self.nonce != b"" or self.secret != LOBBY_SECRET:
                raise CircleError(CircleProblem.MALFORMED, "only the open lobby has no host")
        else:
            if not isinstance(self.host_key, bytes) or len(self.host_key) != HOST_KEY_SIZE:
                raise CircleError(CircleProblem.MALFORMED, "host key size")
            if not isinstance(self.nonce, bytes) or len(self.nonce) != NONCE_SIZE:
                raise CircleError(CircleProblem.MALFORMED, "circle nonce size")
            if derive_circle_id(self.host_key, self.nonce) != self.circle_id:
                raise CircleError(CircleProblem.MALFORMED, "circle id does not match its host")
        if not isinstance(self.epoch, int) or isinstance(self.epoch, bool) or self.epoch < 0:
            raise CircleError(CircleProblem.MALFORMED, "epoch")
        if not isinstance(self.settings, CircleSettings):
            raise CircleError(CircleProblem.MALFORMED, "settings")
        object.__setattr__(self, "name", clean_name(self.name))
        object.__setattr__(
            self,
            "description",
            clean_text(
                self.description, what="description", max_length=MAX_DESCRIPTION, multiline=True
            ),
        )
        object.__setattr__(
            self,
            "rules",
            clean_text(self.rules, what="rules", max_length=MAX_RULES, multiline=True),
        )

    # -- derived --------------------------------------------------------------------------
    @cached_property
    def keys(self) -> CircleKeys:
        return CircleKeys.from_secret(self.secret, self.epoch)

    @property
    def id_hex(self) -> str:
        return self.circle_id.hex()

    @property
    def is_lobby(self) -> bool:
        return self.host_key is None

    @property
    def rules_digest(self) -> bytes:
        return rules_digest(self.rules)

    def is_host(self, member_key: bytes) -> bool:
        return self.host_key is not None and member_key == self.host_key

    # -- changes (each returns a new circle) ----------------------------------------------
    def rotated(self, new_secret_value: bytes | None = None) -> Circle:
        """The circle after a secret rotation: a new secret, the next epoch, the same id."""
        if self.is_lobby:
            raise CircleError(CircleProblem.BAD_SETTING, "the open lobby's secret never changes")
        fresh = new_secret() if new_secret_value is None else new_secret_value
        return replace(self, secret=fresh, epoch=self.epoch + 1)

    def with_details(
        self, *, name: str | None = None, description: str | None = None, rules: str | None = None
    ) -> Circle:
        return replace(
            self,
            name=self.name if name is None else name,
            description=self.description if description is None else description,
            rules=self.rules if rules is None else rules,
        )

    def with_settings(self, settings: CircleSettings) -> Circle:
        if self.is_lobby:
            raise CircleError(CircleProblem.BAD_SETTING, "nobody can change the open lobby")
        return replace(self, settings=settings)

    # -- storage --------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """A msgpack-able dict holding the secret: store it only in the encrypted database."""
        return {
            "format": CIRCLE_FORMAT,
            "id": self.circle_id,
            "host": self.host_key,
            "nonce": self.nonce,
            "name": self.name,
            "secret": self.secret,
            "epoch": self.epoch,
            "description": self.description,
            "rules": self.rules,
            "settings": self.settings.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: object) -> Circle:
        if not isinstance(data, dict):
            raise CircleError(CircleProblem.MALFORMED, "a stored circle must be a map")
        if data.get("format") != CIRCLE_FORMAT:
            raise CircleError(CircleProblem.UNSUPPORTED_VERSION, "unknown stored circle format")
        return cls(
            circle_id=data.get("id", b""),
            host_key=data.get("host"),
            nonce=data.get("nonce", b""),
            name=data.get("name", ""),
            secret=data.get("secret", b""),
            epoch=data.get("epoch", -1),
            description=data.get("description", ""),
            rules=data.get("rules", ""),
            settings=CircleSettings.from_dict(data.get("settings")),
        )

    def __repr__(self) -> str:
        return f"Circle(name={self.name!r}, id={self.id_hex[:8]}…, epoch={self.epoch})"


def create_circle(
    name: str,
    pseudonym: str,
    *,
    description: str = "",
    rules: str = "",
    settings: CircleSettings | None = None,
) -> tuple[Circle, Membership]:
    """A new circle with you as its host, and your membership in it."""
    seed = new_secret()  # the host's Ed25519 seed: 32 random bytes like any secret
    host_key = bytes(nacl.signing.SigningKey(seed).verify_key)
    nonce = new_nonce()
    circle_id = derive_circle_id(host_key, nonce)
    membership = Membership.generate(circle_id, pseudonym, signing_seed=seed)
    circle = Circle(
        circle_id=circle_id,
        host_key=host_key,
        nonce=nonce,
        name=name,
        secret=new_secret(),
        description=description,
        rules=rules,
        settings=settings if settings is not None else CircleSettings(),
    )
    return circle, membership


def lobby() -> Circle:
    """The open lobby: the same for everyone, with a public secret and no host."""
    return Circle(
        circle_id=LOBBY_ID,
        host_key=None,
        nonce=b"",
        name=LOBBY_NAME,
        secret=LOBBY_SECRET,
        description=LOBBY_DESCRIPTION,
        rules=LOBBY_RULES,
        settings=LOBBY_SETTINGS,
    )
