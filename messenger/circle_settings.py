"""A circle's settings, which its host decides for everyone: how long history lives
(:class:`RetentionPolicy`), who may start a direct message (:class:`DirectMessages`), slow mode,
anonymous posting and letting newcomers in without asking (:class:`CircleSettings`); and the
:class:`CircleError` any bad part of a circle raises (:mod:`messenger.circle`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .errors import HearthError
from .views import Retention  # the one enum; views are what front ends see

MAX_SLOW_MODE_SECONDS = 3600
MAX_RETENTION_HOURS = 24 * 365
MAX_RETENTION_DAYS = 3650
COARSE_TIMESTAMP_SECONDS = 900
"""With anonymous posting, timestamps are rounded down to a quarter of an hour."""


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
