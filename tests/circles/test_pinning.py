"""Key pinning: first sight pins, the same key passes, a different key is flagged."""

from __future__ import annotations

import msgpack
import pytest

from messenger.pinning import KeyPins, PinningError, PinStatus

CIRCLE, OTHER = bytes(16), bytes([1]) * 16
KEY, NEW_KEY = bytes([7]) * 32, bytes([8]) * 32


def test_first_sight_then_same_then_changed() -> None:
    pins = KeyPins()
    first = pins.check(CIRCLE, "Quiet Heron", KEY)
    assert first.status is PinStatus.NEW and first.pinned == KEY and not first.changed
    assert pins.check(CIRCLE, "Quiet Heron", KEY).status is PinStatus.SAME
    changed = pins.check(CIRCLE, "Quiet Heron", NEW_KEY)
    assert changed.status is PinStatus.CHANGED and changed.changed
    assert changed.pinned == KEY and changed.key == NEW_KEY
    # Flagged every time until someone accepts it; the old pin stays.
    assert pins.check(CIRCLE, "Quiet Heron", NEW_KEY).status is PinStatus.CHANGED
    assert pins.pinned(CIRCLE, "Quiet Heron") == KEY


def test_lookalike_names_share_a_pin() -> None:
    pins = KeyPins()
    pins.check(CIRCLE, "Quiet Heron", KEY)
    assert pins.check(CIRCLE, "quiet  HERON", NEW_KEY).status is PinStatus.CHANGED
    assert pins.check(CIRCLE, "Ｑｕｉｅｔ Heron", NEW_KEY).status is PinStatus.CHANGED


def test_pins_are_per_circle() -> None:
    pins = KeyPins()
    pins.check(CIRCLE, "Quiet Heron", KEY)
    assert pins.check(OTHER, "Quiet Heron", NEW_KEY).status is PinStatus.NEW


def test_accepting_a_changed_key() -> None:
    pins = KeyPins()
    pins.check(CIRCLE, "Quiet Heron", KEY)
    pins.accept(CIRCLE, "Quiet Heron", NEW_KEY)
    assert pins.check(CIRCLE, "Quiet Heron", NEW_KEY).status is PinStatus.SAME
    assert pins.check(CIRCLE, "Quiet Heron", KEY).status is PinStatus.CHANGED


def test_forget_one_or_a_whole_circle() -> None:
    pins = KeyPins()
    pins.check(CIRCLE, "Quiet Heron", KEY)
    pins.check(CIRCLE, "Kind Otter", KEY)
    pins.check(OTHER, "Quiet Heron", KEY)
    pins.forget(CIRCLE, "Kind Otter")
    assert pins.pinned(CIRCLE, "Kind Otter") is None and len(pins) == 2
    pins.forget(CIRCLE)
    assert pins.pinned(CIRCLE, "Quiet Heron") is None and pins.pinned(OTHER, "Quiet Heron") == KEY


def test_round_trip_through_msgpack() -> None:
    pins = KeyPins()
    pins.check(CIRCLE, "Quiet Heron", KEY)
    pins.check(OTHER, KEY.hex(), KEY)  # a member id works as the name
    again = KeyPins.from_dict(msgpack.unpackb(msgpack.packb(pins.to_dict())))
    assert again.check(CIRCLE, "Quiet Heron", NEW_KEY).status is PinStatus.CHANGED
    assert again.check(OTHER, KEY.hex(), KEY).status is PinStatus.SAME


@pytest.mark.parametrize(
    "stored",
    [
        None,
        {"format": 2, "pins": []},
        {"format": 1},
        {"format": 1, "pins": [[CIRCLE, "x"]]},
        {"format": 1, "pins": [[CIRCLE, 5, KEY]]},
        {"format": 1, "pins": [[CIRCLE, "x", b"short"]]},
    ],
)
def test_damaged_stored_pins_are_refused(stored: object) -> None:
    with pytest.raises(PinningError):
        KeyPins.from_dict(stored)


def test_bad_keys_are_refused() -> None:
    with pytest.raises(PinningError):
        KeyPins().check(CIRCLE, "Quiet Heron", b"short")
    with pytest.raises(PinningError):
        KeyPins().accept(CIRCLE, "Quiet Heron", "text")  # type: ignore[arg-type]
