"""Each person's own tools: block, mute, boundaries, content warnings — nothing is announced.

- **Block** a member: their posts are hidden here, their direct messages are refused without a
  word (the conversation core *declines* them: the sender still sees "delivered", so nothing
  tells them), and nobody is told.
- **Mute** a member: their posts still show, but never notify.
- **Boundaries**: words or topics (:mod:`.boundaries`); a post that mentions one collapses behind
  a notice naming what matched.
- **Content warnings**: a post with one stays collapsed until the reader clicks to reveal it.

:func:`should_show` decides, in this order: hidden by moderation (the post, or its author was
removed) → hidden because I blocked the author → collapsed for a boundary → collapsed for a
content warning → shown. My own posts are never hidden or collapsed by my own settings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any, Protocol

from .boundaries import BoundaryMatcher, compile_boundaries
from .errors import PersonalError, Reason, StateError

MAX_LISTED = 1000  # members blocked, or muted, per circle
SETTINGS_FORMAT = 1
KEY_LEN = 32


class Shown(Enum):
    SHOW = "show"
    COLLAPSED_BOUNDARY = "collapsed_boundary"  # behind a notice naming the matched boundaries
    COLLAPSED_WARNING = "collapsed_warning"  # behind the author's content warning
    HIDDEN_BLOCKED = "hidden_blocked"  # I blocked the author
    HIDDEN_MODERATED = "hidden_moderated"  # a moderator hid it, or removed its author


@dataclass(frozen=True)
class Visibility:
    kind: Shown
    matched: tuple[str, ...] = ()  # the boundaries it mentions (COLLAPSED_BOUNDARY)
    warning: str | None = None  # the author's content warning, if any

    @property
    def hidden(self) -> bool:
        return self.kind in (Shown.HIDDEN_BLOCKED, Shown.HIDDEN_MODERATED)

    @property
    def collapsed(self) -> bool:
        return self.kind in (Shown.COLLAPSED_BOUNDARY, Shown.COLLAPSED_WARNING)


SHOW = Visibility(Shown.SHOW)


class PostLike(Protocol):
    """What :func:`should_show` reads of a post (a ``PostView`` has it)."""

    @property
    def id(self) -> bytes: ...
    @property
    def author_key(self) -> bytes: ...
    @property
    def body(self) -> str: ...
    @property
    def content_warning(self) -> str | None: ...


class ModerationView(Protocol):
    """What :func:`should_show` asks the circle's moderation state (``ModerationState`` has it)."""

    def is_hidden(self, post_id: bytes) -> bool: ...
    def is_removed(self, key: bytes) -> bool: ...


@dataclass(frozen=True)
class PersonalSettings:
    """One person's settings in one circle (identities are per circle, so are blocks)."""

    blocked: frozenset[bytes] = frozenset()
    muted: frozenset[bytes] = frozenset()
    boundaries: BoundaryMatcher = field(default_factory=BoundaryMatcher)
    rules_accepted: int = 0  # the rules version last accepted (0: the circle's first rules)

    # -- changes (each returns new settings) ----------------------------------------------
    def block(self, member: bytes) -> PersonalSettings:
        return replace(self, blocked=_add(self.blocked, member, "blocked"))

    def unblock(self, member: bytes) -> PersonalSettings:
        return replace(self, blocked=self.blocked - {member})

    def mute(self, member: bytes) -> PersonalSettings:
        return replace(self, muted=_add(self.muted, member, "muted"))

    def unmute(self, member: bytes) -> PersonalSettings:
        return replace(self, muted=self.muted - {member})

    def with_boundaries(self, texts: Iterable[str]) -> PersonalSettings:
        """New boundaries (raises :class:`PersonalError` for unusable ones)."""
        return replace(self, boundaries=compile_boundaries(texts))

    def accept_rules(self, version: int) -> PersonalSettings:
        return replace(self, rules_accepted=max(self.rules_accepted, version))

    # -- questions ------------------------------------------------------------------------
    def is_blocked(self, member: bytes) -> bool:
        return member in self.blocked

    def is_muted(self, member: bytes) -> bool:
        return member in self.muted

    def accepts_dm_from(self, member: bytes) -> bool:
        """False for blocked members: decline their messages silently (never surface them)."""
        return member not in self.blocked

    def needs_rules_acceptance(self, rules_version: int) -> bool:
        return rules_version > self.rules_accepted

    # -- storage --------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "format": SETTINGS_FORMAT,
            "blocked": sorted(self.blocked),
            "muted": sorted(self.muted),
            "boundaries": list(self.boundaries.texts),
            "rules": self.rules_accepted,
        }

    @classmethod
    def from_dict(cls, data: object) -> PersonalSettings:
        if not isinstance(data, dict) or data.get("format") != SETTINGS_FORMAT:
            raise StateError(Reason.UNKNOWN_VERSION, "stored personal settings")
        blocked, muted = data.get("blocked"), data.get("muted")
        texts, rules = data.get("boundaries"), data.get("rules")
        if not (isinstance(blocked, list) and isinstance(muted, list)):
            raise StateError(Reason.MALFORMED, "stored block and mute lists")
        if not isinstance(texts, list) or type(rules) is not int:
            raise StateError(Reason.MALFORMED, "stored boundaries")
        if not all(isinstance(k, bytes) and len(k) == KEY_LEN for k in (*blocked, *muted)):
            raise StateError(Reason.MALFORMED, "stored member keys")
        try:
            matcher = compile_boundaries(texts)
        except PersonalError as exc:
            raise StateError(exc.reason, "stored boundaries") from None
        return cls(frozenset(blocked), frozenset(muted), matcher, rules)


def _add(keys: frozenset[bytes], member: bytes, what: str) -> frozenset[bytes]:
    if not isinstance(member, bytes) or len(member) != KEY_LEN:
        raise PersonalError(Reason.BAD_VALUE, "not a member key")
    if member not in keys and len(keys) >= MAX_LISTED:
        raise PersonalError(Reason.TOO_MANY, f"at most {MAX_LISTED} members {what}")
    return keys | {member}


def should_show(
    post: PostLike,
    settings: PersonalSettings,
    moderation: ModerationView | None = None,
    *,
    me: bytes | None = None,
) -> Visibility:
    """How to show ``post`` to the person with ``settings`` (see the module docstring)."""
    warning = post.content_warning or None
    if moderation is not None and (
        moderation.is_hidden(post.id) or moderation.is_removed(post.author_key)
    ):
        return Visibility(Shown.HIDDEN_MODERATED, warning=warning)
    if me is not None and post.author_key == me:
        return SHOW if warning is None else Visibility(Shown.SHOW, warning=warning)
    if settings.is_blocked(post.author_key):
        return Visibility(Shown.HIDDEN_BLOCKED, warning=warning)
    matched = settings.boundaries.match(post.body)
    if warning is not None:
        matched += tuple(m for m in settings.boundaries.match(warning) if m not in matched)
    if matched:
        return Visibility(Shown.COLLAPSED_BOUNDARY, matched=matched, warning=warning)
    if warning is not None:
        return Visibility(Shown.COLLAPSED_WARNING, warning=warning)
    return SHOW


def should_notify(
    post: PostLike,
    settings: PersonalSettings,
    moderation: ModerationView | None = None,
    *,
    me: bytes | None = None,
) -> bool:
    """Whether a new post may notify: not mine, not from a muted member, and shown or behind a
    content warning only (a notification then shows the warning, never the body). A post
    collapsed for a boundary never notifies: its preview would show what the person avoids."""
    if me is not None and post.author_key == me:
        return False
    if settings.is_muted(post.author_key):
        return False
    kind = should_show(post, settings, moderation, me=me).kind
    return kind in (Shown.SHOW, Shown.COLLAPSED_WARNING)
