"""Memberships and the signed identity statement carried in the Noise handshake."""

from __future__ import annotations

import msgpack
import nacl.bindings
import nacl.signing
import pytest

from messenger.identity import (
    MAX_STATEMENT_SIZE,
    STATEMENT_DOMAIN,
    IdentityError,
    IdentityProblem,
    Membership,
    verify,
)

CIRCLE = bytes(range(16))
OTHER_CIRCLE = bytes(range(1, 17))


@pytest.fixture
def member() -> Membership:
    return Membership.generate(CIRCLE, "Quiet Heron")


def _problem(payload: bytes, static: bytes, circle: bytes = CIRCLE) -> IdentityProblem:
    with pytest.raises(IdentityError) as caught:
        verify(payload, static, circle)
    return caught.value.problem


def test_statement_encodes_to_the_payload(member: Membership) -> None:
    statement = member.identity_statement()
    assert statement.encode() == member.statement()
    assert statement.member_key == member.member_key and statement.version == 1


def test_statement_verifies(member: Membership) -> None:
    identity = verify(member.statement(), member.noise_public, CIRCLE)
    assert identity.member_key == member.member_key
    assert identity.pseudonym == "Quiet Heron"
    assert identity.noise_static == member.noise_public
    assert identity.member_id == member.member_key.hex()


def test_noise_public_key_is_x25519_of_private(member: Membership) -> None:
    assert member.noise_public == nacl.bindings.crypto_scalarmult_base(member.noise_private)
    assert len(member.noise_private) == 32 and len(member.member_key) == 32


def test_memberships_share_nothing() -> None:
    a = Membership.generate(CIRCLE, "Quiet Heron")
    b = Membership.generate(OTHER_CIRCLE, "Quiet Heron")
    assert a.noise_private != b.noise_private and a.signing_seed != b.signing_seed
    assert a.member_key != b.member_key and a.noise_public != b.noise_public


def test_wrong_static_is_rejected(member: Membership) -> None:
    other = Membership.generate(CIRCLE, "Kind Otter")
    assert _problem(member.statement(), other.noise_public) is IdentityProblem.BAD_SIGNATURE


def test_wrong_circle_is_rejected(member: Membership) -> None:
    problem = _problem(member.statement(), member.noise_public, OTHER_CIRCLE)
    assert problem is IdentityProblem.BAD_SIGNATURE


def test_forged_signature_is_rejected(member: Membership) -> None:
    version, key, signature, name = msgpack.unpackb(member.statement())
    forged = bytes([signature[0] ^ 1]) + signature[1:]
    payload = msgpack.packb([version, key, forged, name])
    assert _problem(payload, member.noise_public) is IdentityProblem.BAD_SIGNATURE


def test_someone_elses_key_with_my_signature_is_rejected(member: Membership) -> None:
    version, _, signature, name = msgpack.unpackb(member.statement())
    impostor = bytes(nacl.signing.SigningKey.generate().verify_key)
    payload = msgpack.packb([version, impostor, signature, name])
    assert _problem(payload, member.noise_public) is IdentityProblem.BAD_SIGNATURE


def test_renamed_statement_is_rejected(member: Membership) -> None:
    version, key, signature, _ = msgpack.unpackb(member.statement())
    payload = msgpack.packb([version, key, signature, "Host Person"])
    assert _problem(payload, member.noise_public) is IdentityProblem.BAD_SIGNATURE


def test_signature_covers_the_documented_bytes(member: Membership) -> None:
    _, key, signature, name = msgpack.unpackb(member.statement())
    encoded = name.encode()
    signed = STATEMENT_DOMAIN + member.noise_public + CIRCLE + bytes([len(encoded)]) + encoded
    nacl.signing.VerifyKey(key).verify(signed, signature)


def _signed_statement(signer: Membership, name: str) -> bytes:
    encoded = name.encode()
    signed = STATEMENT_DOMAIN + signer.noise_public + CIRCLE + bytes([len(encoded)]) + encoded
    return bytes(msgpack.packb([1, signer.member_key, signer.sign(signed), name]))


@pytest.mark.parametrize(
    "name",
    ["x" * 33, "", "   ", "tab\there", "\u202eevil", "Host", "Quiet  Heron", " Quiet Heron"],
)
def test_bad_or_uncanonical_pseudonyms_are_rejected(member: Membership, name: str) -> None:
    payload = _signed_statement(member, name)
    assert _problem(payload, member.noise_public) is IdentityProblem.BAD_PSEUDONYM


def test_oversize_pseudonym_is_rejected_before_decoding(member: Membership) -> None:
    payload = msgpack.packb([1, member.member_key, bytes(64), "x" * 1000])
    assert _problem(payload, member.noise_public) is IdentityProblem.OVERSIZE
    assert _problem(bytes(MAX_STATEMENT_SIZE + 1), member.noise_public) is IdentityProblem.OVERSIZE


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"\xc1",
        b"not msgpack at all",
        msgpack.packb({"v": 1}),
        msgpack.packb([1, b"k", b"s"]),
        msgpack.packb([1, bytes(31), bytes(64), "Quiet Heron"]),
        msgpack.packb([1, bytes(32), bytes(63), "Quiet Heron"]),
        msgpack.packb([1, bytes(32), bytes(64), 7]),
        msgpack.packb([1, "key", bytes(64), "Quiet Heron"]),
        msgpack.packb([1, bytes(32), bytes(64), "Quiet Heron"]) + b"trailing",
        msgpack.packb([[[[[[[[]]]]]]]]),
    ],
)
def test_malformed_statements_are_rejected(member: Membership, payload: bytes) -> None:
    assert _problem(payload, member.noise_public) is IdentityProblem.MALFORMED


@pytest.mark.parametrize("version", [0, 2, 255])
def test_unsupported_versions_are_rejected(member: Membership, version: int) -> None:
    payload = msgpack.packb([version, member.member_key, bytes(64), "Quiet Heron"])
    assert _problem(payload, member.noise_public) is IdentityProblem.UNSUPPORTED_VERSION


@pytest.mark.parametrize("version", [True, "1", None, 1.0])
def test_versions_that_are_not_numbers_are_malformed(member: Membership, version: object) -> None:
    payload = msgpack.packb([version, member.member_key, bytes(64), "Quiet Heron"])
    assert _problem(payload, member.noise_public) is IdentityProblem.MALFORMED


def test_membership_round_trips_through_msgpack(member: Membership) -> None:
    stored = msgpack.unpackb(msgpack.packb(member.to_dict()))
    again = Membership.from_dict(stored)
    assert again == member and again.member_key == member.member_key
    assert verify(again.statement(), member.noise_public, CIRCLE).member_key == member.member_key


@pytest.mark.parametrize(
    "change",
    [
        {"format": 2},
        {"circle": b"short"},
        {"noise": "text"},
        {"signing": None},
        {"pseudonym": ""},
        {"pseudonym": 5},
    ],
)
def test_damaged_membership_is_refused(member: Membership, change: dict[str, object]) -> None:
    with pytest.raises(IdentityError):
        Membership.from_dict({**member.to_dict(), **change})
    with pytest.raises(IdentityError):
        Membership.from_dict(["not", "a", "map"])


def test_repr_shows_no_private_key(member: Membership) -> None:
    text = repr(member)
    assert member.noise_private.hex() not in text and member.signing_seed.hex() not in text


def test_new_pseudonym_keeps_keys(member: Membership) -> None:
    renamed = member.with_pseudonym("  Brave   Wren ")
    assert renamed.pseudonym == "Brave Wren" and renamed.member_key == member.member_key
    assert verify(renamed.statement(), member.noise_public, CIRCLE).pseudonym == "Brave Wren"
