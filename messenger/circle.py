"""Circles: who hosts them, what they are called, their secret, and the host's settings.

A :class:`Circle` is an immutable value; changing it (a rotation, new settings, new rules) makes
a new one. Keys come from :mod:`messenger.keyschedule`; one's own identity in the circle is a
:class:`~messenger.identity.Membership`.

The open lobby (:func:`lobby`) is a well-known circle with no host whose secret everyone can
compute: it is public by construction, and joining it is opt-in.
"""

from __future__ import annotations

import hashlib
import math
import unicodedata
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import cached_property
from typing import Any

import nacl.signing

from .errors import HearthError
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
from .views import Retention  # the one enum; views are what front ends see

CIRCLE_FORMAT = 1
MAX_NAME = 64
MAX_DESCRIPTION = 1000
MAX_RULES = 8000
MAX_SLOW_MODE_SECONDS = 3600
MAX_RETENTION_HOURS = 24 * 365
MAX_RETENTION_DAYS = 3650
COARSE_TIMESTAMP_SECONDS = 900
"""With anonymous posting, timestamps are rounded down to a quarter of an hour."""
RULES_DIGEST_SIZE = 16
RULES_PERSON = b"hearth-rules"

LOBBY_NAME = "Open lobby"
LOBBY_DESCRIPTION = (
    "A public room for anyone running Hearth nearby. Anyone can join and read it: "
    "share nothing here you would not say in a waiting room."
)
LOBBY_RULES = "Be kind. Nobody moderates the lobby: block anyone who makes it unpleasant."


class CircleProblem(Enum):
    BAD_NAME = "bad_name"
    TOO_LONG = "too_long"
    BAD_TEXT = "bad_text"
    BAD_SETTING = "bad_setting"
    MALFORMED = "malformed"
    UNSUPPORTED_VERSION = "unsupported_version"


class CircleError(HearthError):
    code = "bad_circle"

    def __init__(self, problem: CircleProblem, message: str) -> None:
        super().__init__(message)
        self.problem = problem


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


# -- settings -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RetentionPolicy:
    """How long history lives: this session only, N hours, N days, or forever."""

    kind: Retention
    amount: int = 0

    def __post_init__(self) -> None:
        limits = {Retention.HOURS: MAX_RETENTION_HOURS, Retention.DAYS: MAX_RETENTION_DAYS}
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise CircleError(CircleProblem.BAD_SETTING, "a retention amount must be a number")
        if self.kind in limits:
            if not 1 <= self.amount <= limits[self.kind]:
                raise CircleError(
                    CircleProblem.BAD_SETTING,
                    f"retention in {self.kind.value} must be between 1 and {limits[self.kind]}",
                )
        elif self.amount != 0:
            raise CircleError(CircleProblem.BAD_SETTING, f"{self.kind.value} takes no amount")

    @classmethod
    def session(cls) -> RetentionPolicy:
        return cls(Retention.SESSION)

    @classmethod
    def hours(cls, amount: int) -> RetentionPolicy:
        return cls(Retention.HOURS, amount)

    @classmethod
    def days(cls, amount: int) -> RetentionPolicy:
        return cls(Retention.DAYS, amount)

    @classmethod
    def forever(cls) -> RetentionPolicy:
        return cls(Retention.FOREVER)

    @property
    def keeps_on_disk(self) -> bool:
        return self.kind is not Retention.SESSION

    @property
    def max_age_seconds(self) -> int | None:
        """How old a post may get; ``None`` when age alone never removes it."""
        if self.kind is Retention.HOURS:
            return self.amount * 3600
        if self.kind is Retention.DAYS:
            return self.amount * 86400
        return None

    def cutoff(self, now: float) -> float | None:
        """Posts older than this timestamp are dropped (and not synced); ``None``: keep."""
        age = self.max_age_seconds
        return None if age is None else now - age

    def describe(self) -> str:
        if self.kind is Retention.SESSION:
            return "History is kept for this session only and never written to disk."
        if self.kind is Retention.FOREVER:
            return "History is kept until members delete it."
        unit = self.kind.value if self.amount != 1 else self.kind.value[:-1]
        return f"History is kept for {self.amount} {unit}."

    def to_value(self) -> list[Any]:
        return [self.kind.value, self.amount]

    @classmethod
    def from_value(cls, value: object) -> RetentionPolicy:
        if not (isinstance(value, list | tuple) and len(value) == 2):
            raise CircleError(CircleProblem.MALFORMED, "retention")
        try:
            kind = Retention(value[0])
        except ValueError:
            raise CircleError(CircleProblem.BAD_SETTING, "unknown retention") from None
        return cls(kind, value[1])


class DirectMessages(Enum):
    """Who may start a direct message (the recipient still accepts it first)."""

    ANYONE = "anyone"
    MODERATORS = "moderators"  # only conversations with the host or a moderator
    NOBODY = "nobody"

    def allows(self, *, sender_is_moderator: bool, recipient_is_moderator: bool) -> bool:
        if self is DirectMessages.ANYONE:
            return True
        if self is DirectMessages.MODERATORS:
            return sender_is_moderator or recipient_is_moderator
        return False


@dataclass(frozen=True)
class CircleSettings:
    """What the host decides for everyone in the circle."""

    retention: RetentionPolicy = field(default_factory=lambda: RetentionPolicy.days(7))
    direct_messages: DirectMessages = DirectMessages.ANYONE
    slow_mode_seconds: int = 0  # a member may post at most once per this many seconds
    anonymous_posting: bool = False  # posts show no author to members, timestamps are coarse
    auto_approve: bool = False  # a newcomer with the link is let in without asking the host

    def __post_init__(self) -> None:
        if not isinstance(self.retention, RetentionPolicy):
            raise CircleError(CircleProblem.BAD_SETTING, "retention")
        if not isinstance(self.direct_messages, DirectMessages):
            raise CircleError(CircleProblem.BAD_SETTING, "direct messages")
        slow = self.slow_mode_seconds
        if not isinstance(slow, int) or isinstance(slow, bool):
            raise CircleError(CircleProblem.BAD_SETTING, "slow mode must be whole seconds")
        if not 0 <= slow <= MAX_SLOW_MODE_SECONDS:
            raise CircleError(
                CircleProblem.BAD_SETTING,
                f"slow mode must be between 0 and {MAX_SLOW_MODE_SECONDS} seconds",
            )
        if not isinstance(self.anonymous_posting, bool):
            raise CircleError(CircleProblem.BAD_SETTING, "anonymous posting must be on or off")
        if not isinstance(self.auto_approve, bool):
            raise CircleError(CircleProblem.BAD_SETTING, "auto-approve must be on or off")

    def post_timestamp(self, now: float) -> float:
        """The timestamp a new post carries: coarse (rounded down) with anonymous posting."""
        if self.anonymous_posting:
            return float(math.floor(now / COARSE_TIMESTAMP_SECONDS) * COARSE_TIMESTAMP_SECONDS)
        return now

    def may_post(self, last_post: float | None, now: float) -> bool:
        """Whether slow mode lets a member who last posted at ``last_post`` post at ``now``."""
        return last_post is None or now - last_post >= self.slow_mode_seconds

    def to_dict(self) -> dict[str, Any]:
        return {
            "retention": self.retention.to_value(),
            "dm": self.direct_messages.value,
            "slow": self.slow_mode_seconds,
            "anon": self.anonymous_posting,
            "auto": self.auto_approve,
        }

    @classmethod
    def from_dict(cls, data: object) -> CircleSettings:
        if not isinstance(data, dict):
            raise CircleError(CircleProblem.MALFORMED, "settings")
        try:
            direct = DirectMessages(data.get("dm"))
        except ValueError:
            raise CircleError(CircleProblem.BAD_SETTING, "unknown direct-message rule") from None
        return cls(
            retention=RetentionPolicy.from_value(data.get("retention")),
            direct_messages=direct,
            slow_mode_seconds=data.get("slow", -1),
            anonymous_posting=data.get("anon", "missing"),
            auto_approve=data.get("auto", False),
        )


LOBBY_SETTINGS = CircleSettings(retention=RetentionPolicy.session())


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
