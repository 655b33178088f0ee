"""Personal settings: what each person sees, and what notifies them."""

from __future__ import annotations

import pytest

from messenger.moderation import (
    Hide,
    PersonalError,
    PersonalSettings,
    Reason,
    Remove,
    Shown,
    StateError,
    Visibility,
    should_notify,
    should_show,
    sign_event,
)
from messenger.moderation.personal import MAX_LISTED
from messenger.views import PostView

from .helpers import ALICE, BOB, CIRCLE, HOST, MALLORY, T0, state


def view(
    author: bytes, body: str, *, warning: str | None = None, pid: bytes = bytes(32)
) -> PostView:
    return PostView(
        circle_id=CIRCLE.circle_id,
        id=pid,
        author_key=author,
        author="someone",
        seq=1,
        ts=T0 / 1000,
        body=body,
        content_warning=warning,
    )


ME = ALICE.member_key
PLAIN = PersonalSettings()


def test_plain_post_shows() -> None:
    assert should_show(view(BOB.member_key, "hello"), PLAIN) == Visibility(Shown.SHOW)
    assert should_notify(view(BOB.member_key, "hello"), PLAIN, me=ME)


def test_content_warning_collapses_until_revealed() -> None:
    seen = should_show(view(BOB.member_key, "the details", warning="loss"), PLAIN)
    assert seen == Visibility(Shown.COLLAPSED_WARNING, warning="loss")
    assert seen.collapsed and not seen.hidden
    assert should_notify(view(BOB.member_key, "the details", warning="loss"), PLAIN)


def test_boundaries_collapse_and_name_what_matched() -> None:
    settings = PLAIN.with_boundaries(["Suicide", "knives"])
    seen = should_show(view(BOB.member_key, "I found a knife"), settings)
    assert seen == Visibility(Shown.COLLAPSED_BOUNDARY, matched=("knives",))
    # the content warning is read too, and kept for the notice
    seen = should_show(view(BOB.member_key, "more", warning="suicide mention"), settings)
    assert seen == Visibility(
        Shown.COLLAPSED_BOUNDARY, matched=("Suicide",), warning="suicide mention"
    )
    # a boundary-collapsed post never notifies: its preview would show it
    assert not should_notify(view(BOB.member_key, "I found a knife"), settings)


def test_blocked_author_is_hidden_silently() -> None:
    settings = PLAIN.block(MALLORY.member_key)
    seen = should_show(view(MALLORY.member_key, "hello"), settings)
    assert seen.kind is Shown.HIDDEN_BLOCKED and seen.hidden
    assert not settings.accepts_dm_from(MALLORY.member_key)
    assert settings.accepts_dm_from(BOB.member_key)
    assert not should_notify(view(MALLORY.member_key, "hello"), settings)
    assert (
        should_show(view(MALLORY.member_key, "hi"), settings.unblock(MALLORY.member_key)).kind
        is Shown.SHOW
    )


def test_muted_author_shows_without_notifying() -> None:
    settings = PLAIN.mute(BOB.member_key)
    assert should_show(view(BOB.member_key, "hello"), settings).kind is Shown.SHOW
    assert not should_notify(view(BOB.member_key, "hello"), settings)
    assert should_notify(view(BOB.member_key, "hello"), settings.unmute(BOB.member_key))


def test_moderation_hides_first() -> None:
    mod = state()
    hidden_post = bytes([7]) * 32
    mod.apply(sign_event(HOST, 1, T0, Hide(hidden_post)), T0)
    mod.apply(sign_event(HOST, 2, T0, Remove(MALLORY.member_key)), T0)
    settings = PLAIN.block(BOB.member_key).with_boundaries(["hello"])
    assert should_show(view(BOB.member_key, "hello", pid=hidden_post), settings, mod).kind is (
        Shown.HIDDEN_MODERATED
    )
    assert should_show(view(MALLORY.member_key, "x"), PLAIN, mod).kind is Shown.HIDDEN_MODERATED
    assert should_show(view(BOB.member_key, "hello"), settings, mod).kind is Shown.HIDDEN_BLOCKED
    # even my own post, if a moderator hid it
    assert should_show(view(ME, "mine", pid=hidden_post), settings, mod, me=ME).hidden


def test_my_own_posts_are_not_collapsed_by_my_settings() -> None:
    settings = PLAIN.with_boundaries(["grief"]).block(ME)
    mine = view(ME, "my grief", warning="grief")
    assert should_show(mine, settings, me=ME) == Visibility(Shown.SHOW, warning="grief")
    assert not should_notify(mine, settings, me=ME)


def test_rules_acceptance() -> None:
    settings = PLAIN
    assert not settings.needs_rules_acceptance(0)
    assert settings.needs_rules_acceptance(1)
    settings = settings.accept_rules(2).accept_rules(1)
    assert settings.rules_accepted == 2 and not settings.needs_rules_acceptance(2)


def test_limits() -> None:
    with pytest.raises(PersonalError) as info:
        PLAIN.block(b"short")
    assert info.value.reason is Reason.BAD_VALUE
    many = PersonalSettings(blocked=frozenset(i.to_bytes(32, "big") for i in range(MAX_LISTED)))
    with pytest.raises(PersonalError) as info:
        many.block(BOB.member_key)
    assert info.value.reason is Reason.TOO_MANY
    assert many.block((0).to_bytes(32, "big")) == many  # already there


def test_round_trip() -> None:
    settings = (
        PLAIN.block(MALLORY.member_key).mute(BOB.member_key).with_boundaries(["cats", "Café"])
    ).accept_rules(3)
    back = PersonalSettings.from_dict(settings.to_dict())
    assert back == settings


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"format": 2},
        {"format": 1, "blocked": "x", "muted": [], "boundaries": [], "rules": 0},
        {"format": 1, "blocked": [b"x"], "muted": [], "boundaries": [], "rules": 0},
        {"format": 1, "blocked": [], "muted": [], "boundaries": ["!!"], "rules": 0},
        {"format": 1, "blocked": [], "muted": [], "boundaries": [], "rules": "0"},
    ],
)
def test_damaged_settings(data: object) -> None:
    with pytest.raises(StateError):
        PersonalSettings.from_dict(data)
