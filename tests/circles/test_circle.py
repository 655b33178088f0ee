"""Circles: creation, ids, rotation, settings, the lobby, storage round trips."""

from __future__ import annotations

from collections.abc import Callable

import msgpack
import pytest

from messenger.circle import (
    COARSE_TIMESTAMP_SECONDS,
    Circle,
    CircleError,
    CircleProblem,
    CircleSettings,
    DirectMessages,
    RetentionPolicy,
    create_circle,
    lobby,
)
from messenger.identity import Membership, verify
from messenger.keyschedule import LOBBY_ID, LOBBY_SECRET, CircleKeys, derive_circle_id
from messenger.views import Retention


@pytest.fixture
def made() -> tuple[Circle, Membership]:
    return create_circle(
        "  Tuesday   evening ",
        "Quiet Heron",
        description="We meet weekly.",
        rules="Be kind.\nWhat is said here stays here.",
    )


def test_creating_makes_you_host(made: tuple[Circle, Membership]) -> None:
    circle, membership = made
    assert circle.name == "Tuesday evening"
    assert circle.host_key == membership.member_key
    assert circle.is_host(membership.member_key)
    assert membership.circle_id == circle.circle_id
    assert circle.circle_id == derive_circle_id(circle.host_key, circle.nonce)
    assert circle.epoch == 0 and not circle.is_lobby
    statement = membership.statement()
    assert verify(statement, membership.noise_public, circle.circle_id)


def test_two_circles_share_nothing() -> None:
    a, ma = create_circle("One", "Quiet Heron")
    b, mb = create_circle("One", "Quiet Heron")
    assert a.circle_id != b.circle_id and a.secret != b.secret and a.host_key != b.host_key
    assert ma.member_key != mb.member_key and ma.noise_public != mb.noise_public


def test_rotation_changes_keys_not_id(made: tuple[Circle, Membership]) -> None:
    circle, _ = made
    rotated = circle.rotated()
    assert rotated.circle_id == circle.circle_id and rotated.epoch == 1
    assert rotated.secret != circle.secret
    assert rotated.keys.noise_psk != circle.keys.noise_psk
    assert rotated.keys.discovery_key != circle.keys.discovery_key
    assert rotated.keys == CircleKeys.from_secret(rotated.secret, 1)
    assert rotated.rotated(bytes(32)).secret == bytes(32)


def test_an_id_that_does_not_match_its_host_is_refused(made: tuple[Circle, Membership]) -> None:
    circle, _ = made
    stored = circle.to_dict()
    stored["host"] = bytes(32)
    with pytest.raises(CircleError) as caught:
        Circle.from_dict(stored)
    assert caught.value.problem is CircleProblem.MALFORMED


def test_round_trip_through_msgpack(made: tuple[Circle, Membership]) -> None:
    circle, _ = made
    settings = CircleSettings(
        retention=RetentionPolicy.hours(12),
        direct_messages=DirectMessages.MODERATORS,
        slow_mode_seconds=30,
        anonymous_posting=True,
    )
    changed = circle.with_settings(settings).rotated()
    again = Circle.from_dict(msgpack.unpackb(msgpack.packb(changed.to_dict())))
    assert again == changed and again.settings == settings and again.keys == changed.keys


def test_lobby_is_fixed_public_and_hostless() -> None:
    room = lobby()
    assert room == lobby() and room.is_lobby and room.host_key is None
    assert room.circle_id == LOBBY_ID and room.secret == LOBBY_SECRET
    assert room.settings.retention.kind is Retention.SESSION
    assert Circle.from_dict(msgpack.unpackb(msgpack.packb(room.to_dict()))) == room
    with pytest.raises(CircleError):
        room.rotated()
    with pytest.raises(CircleError):
        room.with_settings(CircleSettings())


def test_only_the_lobby_may_lack_a_host(made: tuple[Circle, Membership]) -> None:
    circle, _ = made
    stored = circle.to_dict()
    stored["host"] = None
    with pytest.raises(CircleError):
        Circle.from_dict(stored)


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", CircleProblem.BAD_NAME),
        ("   ", CircleProblem.BAD_NAME),
        ("x" * 65, CircleProblem.TOO_LONG),
        ("Tues\nday", CircleProblem.BAD_TEXT),
        ("\u202eyadseuT", CircleProblem.BAD_TEXT),
        (None, CircleProblem.MALFORMED),
    ],
)
def test_bad_names_are_refused(name: object, problem: CircleProblem) -> None:
    with pytest.raises(CircleError) as caught:
        create_circle(name, "Quiet Heron")  # type: ignore[arg-type]
    assert caught.value.problem is problem


def test_rules_keep_line_breaks_but_not_controls(made: tuple[Circle, Membership]) -> None:
    circle, _ = made
    assert circle.with_details(rules="One\r\nTwo").rules == "One\nTwo"
    with pytest.raises(CircleError):
        circle.with_details(rules="One\x00Two")
    with pytest.raises(CircleError):
        circle.with_details(rules="x" * 8001)
    assert circle.with_details(rules="New").rules_digest != circle.rules_digest


@pytest.mark.parametrize(
    ("policy", "age", "on_disk"),
    [
        (RetentionPolicy.session(), None, False),
        (RetentionPolicy.hours(3), 3 * 3600, True),
        (RetentionPolicy.days(7), 7 * 86400, True),
        (RetentionPolicy.forever(), None, True),
    ],
)
def test_retention(policy: RetentionPolicy, age: int | None, on_disk: bool) -> None:
    assert policy.max_age_seconds == age and policy.keeps_on_disk is on_disk
    assert policy.cutoff(1_000_000.0) == (None if age is None else 1_000_000.0 - age)
    assert policy.describe().startswith("History is kept")
    assert RetentionPolicy.from_value(policy.to_value()) == policy


def test_retention_singular_unit() -> None:
    assert RetentionPolicy.days(1).describe() == "History is kept for 1 day."


@pytest.mark.parametrize(
    "make",
    [
        lambda: RetentionPolicy.hours(0),
        lambda: RetentionPolicy.days(-1),
        lambda: RetentionPolicy.days(100000),
        lambda: RetentionPolicy(Retention.FOREVER, 3),
        lambda: RetentionPolicy(Retention.DAYS, True),
        lambda: RetentionPolicy.from_value(["weeks", 2]),
        lambda: RetentionPolicy.from_value("days"),
        lambda: CircleSettings(slow_mode_seconds=-1),
        lambda: CircleSettings(slow_mode_seconds=86400),
        lambda: CircleSettings(slow_mode_seconds=1.5),  # type: ignore[arg-type]
        lambda: CircleSettings(anonymous_posting="yes"),  # type: ignore[arg-type]
        lambda: CircleSettings.from_dict({"retention": ["days", 1], "dm": "strangers"}),
        lambda: CircleSettings.from_dict([]),
    ],
)
def test_bad_settings_are_refused(make: Callable[[], object]) -> None:
    with pytest.raises(CircleError):
        make()


def test_direct_message_rule() -> None:
    anyone, mods, nobody = DirectMessages.ANYONE, DirectMessages.MODERATORS, DirectMessages.NOBODY
    assert anyone.allows(sender_is_moderator=False, recipient_is_moderator=False)
    assert not mods.allows(sender_is_moderator=False, recipient_is_moderator=False)
    assert mods.allows(sender_is_moderator=False, recipient_is_moderator=True)
    assert mods.allows(sender_is_moderator=True, recipient_is_moderator=False)
    assert not nobody.allows(sender_is_moderator=True, recipient_is_moderator=True)


def test_slow_mode_and_coarse_timestamps() -> None:
    plain = CircleSettings(slow_mode_seconds=60)
    assert plain.may_post(None, 100.0) and plain.may_post(40.0, 100.0)
    assert not plain.may_post(41.0, 100.0)
    assert plain.post_timestamp(1234.5) == 1234.5
    anon = CircleSettings(anonymous_posting=True)
    stamp = anon.post_timestamp(10 * COARSE_TIMESTAMP_SECONDS + 17.25)
    assert stamp == 10 * COARSE_TIMESTAMP_SECONDS


def test_repr_hides_the_secret(made: tuple[Circle, Membership]) -> None:
    circle, _ = made
    assert circle.secret.hex() not in repr(circle)
