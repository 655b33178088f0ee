"""Secret rotation: only the intended member can use a hand-over, forged ones are refused, and
old epochs are kept only for members who were away."""

from __future__ import annotations

from dataclasses import replace

import msgpack
import nacl.public
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from messenger.circle import lobby
from messenger.identity import Membership
from messenger.moderation import (
    LinkKind,
    Reason,
    Rotate,
    RotationError,
    RotationKeeper,
    StateError,
    decode_event,
    decode_handover,
    make_handover,
    open_handover,
    plan_rotation,
)
from messenger.moderation import rotation as rot

from .helpers import ALICE, BOB, CIRCLE, HOST, MALLORY, OTHER_CIRCLE, T0, seed

NEW_SECRET = seed("the new secret")
ROTATED = replace(CIRCLE, secret=NEW_SECRET, epoch=1)
DAY = 24 * 3600 * 1000


def handover_for(who: Membership, circle: object = ROTATED) -> bytes:
    return make_handover(HOST, circle, who.member_key, T0).signed  # type: ignore[arg-type]


def test_the_intended_member_gets_the_new_secret() -> None:
    handover = decode_handover(handover_for(ALICE), CIRCLE.host_key)
    assert handover.recipient == ALICE.member_key and handover.epoch == 1
    circle = open_handover(handover, ALICE, CIRCLE)
    assert circle.secret == NEW_SECRET and circle.epoch == 1
    assert circle.circle_id == CIRCLE.circle_id and circle.name == CIRCLE.name
    assert circle.keys.noise_psk != CIRCLE.keys.noise_psk
    assert circle.keys.discovery_key != CIRCLE.keys.discovery_key
    assert NEW_SECRET not in handover.signed  # sealed, never in the clear


def test_another_member_cannot_use_it() -> None:
    handover = decode_handover(handover_for(ALICE), CIRCLE.host_key)
    with pytest.raises(RotationError) as info:
        open_handover(handover, BOB, CIRCLE)
    assert info.value.reason is Reason.NOT_FOR_ME
    # nor by pretending it is theirs: the box opens only with Alice's key
    with pytest.raises(RotationError) as info:
        open_handover(replace(handover, recipient=BOB.member_key), BOB, CIRCLE)
    assert info.value.reason is Reason.CANNOT_OPEN
    with pytest.raises(nacl.exceptions.CryptoError):
        nacl.public.SealedBox(BOB.signing_key.to_curve25519_private_key()).decrypt(handover.sealed)


def test_forged_by_someone_other_than_the_host() -> None:
    fake_host = Membership(
        CIRCLE.circle_id, "Facilitator", MALLORY.noise_private, MALLORY.signing_seed
    )
    made = make_handover(fake_host, ROTATED, ALICE.member_key, T0)  # the role is checked on use
    with pytest.raises(RotationError) as info:
        decode_handover(made.signed, CIRCLE.host_key)
    assert info.value.reason is Reason.NOT_FROM_HOST
    # signed by a co-moderator: accepted when the caller names them, and says who signed
    as_co = decode_handover(made.signed, {HOST.member_key, MALLORY.member_key})
    assert as_co.signer == MALLORY.member_key
    # Mallory signs one herself, as if she were the host
    content = rot._content(CIRCLE.circle_id, 1, ALICE.member_key, b"x" * rot.SEALED_LEN, T0)
    signature = MALLORY.sign(rot.HANDOVER_DOMAIN + content)
    data = bytes([content[0] + 1]) + content[1:] + msgpack.packb("g") + msgpack.packb(signature)
    with pytest.raises(RotationError) as info:
        decode_handover(data, CIRCLE.host_key)
    assert info.value.reason is Reason.NOT_FROM_HOST


@pytest.mark.parametrize("field", ["c", "e", "m", "x", "t"])
def test_tampering_breaks_the_host_signature(field: str) -> None:
    fields = msgpack.unpackb(handover_for(ALICE), raw=False)
    value = fields[field]
    fields[field] = value + 1 if isinstance(value, int) else bytes([value[0] ^ 1]) + value[1:]
    with pytest.raises(RotationError) as info:
        decode_handover(msgpack.packb(fields, use_bin_type=True), CIRCLE.host_key)
    assert info.value.reason is Reason.NOT_FROM_HOST


def test_box_sealed_for_another_epoch_is_refused() -> None:
    """The host's signature is good but the sealed secret names another epoch."""
    box = nacl.public.SealedBox(rot.x25519_public(ALICE.member_key))
    sealed = bytes(box.encrypt(rot._seal_plaintext(CIRCLE.circle_id, 7, NEW_SECRET)))
    content = rot._content(CIRCLE.circle_id, 1, ALICE.member_key, sealed, T0)
    signature = HOST.sign(rot.HANDOVER_DOMAIN + content)
    data = bytes([content[0] + 1]) + content[1:] + msgpack.packb("g") + msgpack.packb(signature)
    with pytest.raises(RotationError) as info:
        open_handover(decode_handover(data, CIRCLE.host_key), ALICE, CIRCLE)
    assert info.value.reason is Reason.CANNOT_OPEN


def test_stale_and_foreign_hand_overs() -> None:
    handover = decode_handover(handover_for(ALICE), CIRCLE.host_key)
    with pytest.raises(RotationError) as info:
        open_handover(handover, ALICE, ROTATED)
    assert info.value.reason is Reason.STALE_EPOCH
    with pytest.raises(RotationError) as info:
        open_handover(handover, ALICE, OTHER_CIRCLE)
    assert info.value.reason is Reason.WRONG_CIRCLE
    with pytest.raises(RotationError) as info:
        decode_handover(handover.signed, None)
    assert info.value.reason is Reason.NO_HOST


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", Reason.MALFORMED),
        (b"\x91\x01", Reason.MALFORMED),
        (msgpack.packb({"v": 2}), Reason.UNKNOWN_VERSION),
        (msgpack.packb({"v": True}), Reason.UNKNOWN_VERSION),
        (msgpack.packb({"v": 1, "c": b""}), Reason.BAD_FIELDS),
        (b"\x00" * 600, Reason.OVERSIZE),
    ],
)
def test_malformed_hand_overs(data: bytes, reason: Reason) -> None:
    with pytest.raises(RotationError) as info:
        decode_handover(data, CIRCLE.host_key)
    assert info.value.reason is reason
    assert info.value.code == "bad_rotation"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes_raise_only_rotation_errors(data: bytes) -> None:
    with pytest.raises(RotationError):
        decode_handover(data, CIRCLE.host_key)


def test_plan_rotation() -> None:
    plan = plan_rotation(
        HOST,
        CIRCLE,
        recipients=[BOB.member_key, ALICE.member_key, HOST.member_key, ALICE.member_key],
        seq=4,
        now=T0,
        min_epoch=2,
        new_secret=NEW_SECRET,
    )
    assert plan.circle.epoch == 3 and plan.circle.secret == NEW_SECRET
    event = decode_event(plan.event.signed)
    assert event.seq == 4 and event.actor == HOST.member_key
    assert event.action == Rotate(3, tuple(sorted([ALICE.member_key, BOB.member_key])))
    assert [h.recipient for h in plan.handovers] == sorted([ALICE.member_key, BOB.member_key])
    for who in (ALICE, BOB):
        mine = next(h for h in plan.handovers if h.recipient == who.member_key)
        assert open_handover(mine, who, CIRCLE).secret == NEW_SECRET
    with pytest.raises(RotationError) as info:
        plan_rotation(HOST, lobby(), recipients=[], seq=1, now=T0)
    assert info.value.reason is Reason.NO_HOST
    with pytest.raises(RotationError) as info:
        make_handover(HOST, ROTATED, b"\x00" * 31, T0)
    assert info.value.reason is Reason.BAD_VALUE


# -- old epochs ---------------------------------------------------------------------------------
def keeper_after_rotation() -> RotationKeeper:
    keeper = RotationKeeper(CIRCLE.circle_id, CIRCLE.host_key, grace_ms=DAY)
    keeper.advance(CIRCLE, T0)
    keeper.hold(decode_handover(handover_for(who), CIRCLE.host_key) for who in (ALICE, BOB))
    return keeper


def test_link_decisions() -> None:
    keeper = keeper_after_rotation()
    decide = keeper.decide
    # current epoch: any member not removed, even one we never met (a new joiner)
    assert decide(ALICE.member_key, 1, 1, T0, is_member=True).kind is LinkKind.ACCEPT
    assert decide(seed("newcomer"), 1, 1, T0, is_member=True).kind is LinkKind.ACCEPT
    # old epoch: only for a hand-over we hold
    assert decide(ALICE.member_key, 0, 1, T0, is_member=True).kind is LinkKind.HANDOVER_ONLY
    fresh = decide(seed("made-up identity"), 0, 1, T0, is_member=True)
    assert fresh.kind is LinkKind.REFUSE and fresh.reason is Reason.NOT_ADDRESSED
    # a removed member is refused at every epoch
    for epoch in (0, 1):
        refused = decide(MALLORY.member_key, epoch, 1, T0, is_member=False)
        assert refused.kind is LinkKind.REFUSE and refused.reason is Reason.REMOVED
        assert not refused.accepted
    # after the grace period, or at an epoch we never kept
    late = decide(ALICE.member_key, 0, 1, T0 + DAY, is_member=True)
    assert late.kind is LinkKind.REFUSE and late.reason is Reason.STALE_EPOCH
    assert decide(ALICE.member_key, 5, 1, T0, is_member=True).kind is LinkKind.REFUSE


def test_bindings_and_expiry() -> None:
    keeper = keeper_after_rotation()
    bindings = keeper.bindings(ROTATED, T0)
    assert [(b.epoch, b.current, b.announce) for b in bindings] == [
        (1, True, True),
        (0, False, False),
    ]
    assert bindings[1].keys.noise_psk == CIRCLE.keys.noise_psk
    assert repr(bindings[1]) == "EpochBinding(epoch=0, current=False)"
    assert keeper.pending() == {ALICE.member_key, BOB.member_key}
    keeper.seen_current(ALICE.member_key)
    keeper.seen_current(MALLORY.member_key)  # not one of ours: no effect
    assert keeper.pending() == {BOB.member_key}
    assert not keeper.expire(T0)
    keeper.seen_current(BOB.member_key)
    assert keeper.expire(T0)  # everyone made it: the old epoch goes
    assert [b.epoch for b in keeper.bindings(ROTATED, T0)] == [1]


def test_old_epoch_expires_after_the_grace_period() -> None:
    keeper = keeper_after_rotation()
    assert not keeper.expire(T0 + DAY - 1)
    assert keeper.expire(T0 + DAY)
    assert keeper.old == {}


def test_keeper_holds_only_the_newest_epoch() -> None:
    keeper = keeper_after_rotation()
    epoch2 = replace(CIRCLE, secret=seed("two"), epoch=2)
    newer = decode_handover(handover_for(ALICE, epoch2), CIRCLE.host_key)
    assert keeper.hold([newer]) == [newer]
    assert keeper.handover_epoch == 2 and keeper.handover_for(BOB.member_key) is None
    older = decode_handover(handover_for(BOB), CIRCLE.host_key)
    assert keeper.hold([older]) == []
    assert keeper.hold([newer]) == []  # already held


def test_keeper_round_trip() -> None:
    keeper = keeper_after_rotation()
    keeper.seen_current(ALICE.member_key)
    back = RotationKeeper.from_dict(keeper.to_dict(), CIRCLE.host_key, grace_ms=DAY)
    assert back.pending() == {BOB.member_key}
    assert [b.epoch for b in back.bindings(ROTATED, T0)] == [1, 0]
    assert back.handover_for(BOB.member_key) == keeper.handover_for(BOB.member_key)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"format": 9},
        {"format": 1, "circle": 1, "old": [], "handovers": [], "seen": []},
        {
            "format": 1,
            "circle": CIRCLE.circle_id,
            "old": [[0, b"short", 1]],
            "handovers": [],
            "seen": [],
        },
        {"format": 1, "circle": CIRCLE.circle_id, "old": [[0]], "handovers": [], "seen": []},
        {"format": 1, "circle": CIRCLE.circle_id, "old": [], "handovers": [b"\x00"], "seen": []},
        {"format": 1, "circle": CIRCLE.circle_id, "old": [], "handovers": [3], "seen": []},
        {"format": 1, "circle": CIRCLE.circle_id, "old": "x", "handovers": [], "seen": []},
    ],
)
def test_keeper_refuses_damaged_state(data: object) -> None:
    with pytest.raises(StateError):
        RotationKeeper.from_dict(data, CIRCLE.host_key)
