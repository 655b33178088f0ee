"""Invite links: round trips, copy-paste mangling that must be survived, damage that must not."""

from __future__ import annotations

import base64
import contextlib
import hashlib

import msgpack
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from messenger.circle import CircleError, clean_name, create_circle
from messenger.invite_link import (
    PREFIX,
    InviteLink,
    InviteLinkError,
    InviteLinkProblem,
    looks_like_link,
    parse,
)

FIXED = InviteLink(
    name="Tuesday evening",
    secret=bytes(range(32)),
    host_key=bytes(range(32, 64)),
    nonce=bytes(range(64, 80)),
    epoch=3,
    rendezvous="198.18.0.1:7400:ab12cd34",
    rules_digest=bytes(range(16)),
)
TEXT = FIXED.to_text()
PAYLOAD = TEXT[len(PREFIX) :]
ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"


def _problem(text: str) -> InviteLinkProblem:
    with pytest.raises(InviteLinkError) as caught:
        parse(text)
    assert caught.value.code == caught.value.problem.value
    assert str(caught.value)
    return caught.value.problem


def _raw_link(version: int, body: bytes) -> str:
    signed = bytes([version]) + body
    check = hashlib.blake2b(signed, person=b"hearth-invite", digest_size=4).digest()
    return PREFIX + base64.b32encode(signed + check).decode().rstrip("=").lower()


# -- the format -----------------------------------------------------------------------------------
def test_format_is_plain_lowercase_base32() -> None:
    assert TEXT.startswith("hearth://join/")
    assert set(PAYLOAD) <= set(ALPHABET)
    assert parse(TEXT) == FIXED


def test_circle_id_is_derived_and_link_makes_the_circle() -> None:
    circle, _ = create_circle("Tuesday", "Quiet Heron", rules="Be kind.")
    link = InviteLink.for_circle(circle.rotated(), rendezvous="host:1:key")
    again = parse(link.to_text())
    assert again.circle_id == circle.circle_id and again.epoch == 1
    joined = again.to_circle()
    assert joined.circle_id == circle.circle_id and joined.secret == link.secret
    assert again.rules_match(circle) and not again.rules_match(circle.with_details(rules="Other"))
    assert InviteLink.for_circle(circle, with_rules=False).rules_digest is None


def test_repr_hides_the_secret() -> None:
    assert FIXED.secret.hex() not in repr(FIXED)


_names = st.text(min_size=1, max_size=64).filter(lambda s: _valid_name(s) is not None)


def _valid_name(text: str) -> str | None:
    try:
        return clean_name(text)
    except CircleError:
        return None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    name=_names,
    secret=st.binary(min_size=32, max_size=32),
    host=st.binary(min_size=32, max_size=32),
    nonce=st.binary(min_size=16, max_size=16),
    epoch=st.integers(min_value=0, max_value=2**40),
    rendezvous=st.none()
    | st.text(
        alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=255
    ),
    digest=st.none() | st.binary(min_size=16, max_size=16),
)
def test_round_trip(
    name: str,
    secret: bytes,
    host: bytes,
    nonce: bytes,
    epoch: int,
    rendezvous: str | None,
    digest: bytes | None,
) -> None:
    link = InviteLink(name, secret, host, nonce, epoch, rendezvous, digest)
    assert parse(link.to_text()) == link
    assert parse(link.to_text().upper()) == link


# -- what copy-paste does to a link, and must be survived --------------------------------------
def _wrap(text: str, width: int, joiner: str) -> str:
    return joiner.join(text[i : i + width] for i in range(0, len(text), width))


@pytest.mark.parametrize(
    "mangled",
    [
        f"  {TEXT}  \n",
        f"<{TEXT}>",
        f'"{TEXT}"',
        f"'{TEXT}'",
        f"“{TEXT}”",
        f"«{TEXT}»",
        f"({TEXT})",
        f"{TEXT}.",
        f"{TEXT},",
        f"{TEXT}!",
        f"{TEXT}?!",
        f"{TEXT};",
        TEXT.upper(),
        "HEARTH://JOIN/" + PAYLOAD,
        "Hearth://Join/" + PAYLOAD,
        f"Hi! Join us here: {TEXT} See you on Tuesday.",
        f"Join us here:\n{TEXT}\n\nSee you on Tuesday.",
        f"[the link]({TEXT})",
        _wrap(TEXT, 40, "\n"),
        _wrap(TEXT, 76, "\r\n"),
        _wrap(TEXT, 60, "\n> "),  # a quoted e-mail reply
        "> " + _wrap(TEXT, 60, "\n> > "),  # quoted twice
        _wrap(TEXT, 75, "=\r\n"),  # quoted-printable soft line breaks
        _wrap(TEXT, 30, " "),
        _wrap(TEXT, 20, "\u200b"),  # zero-width spaces from a rich-text editor
        _wrap(TEXT, 25, "\u00ad"),  # soft hyphens
        TEXT.replace("://", "://\n", 1),
        f"<{_wrap(TEXT, 50, chr(10))}>",
        f"\t{TEXT}\u00a0",
        "ｈｅａｒｔｈ://join/" + PAYLOAD,  # full-width letters from an input method
    ],
)
def test_survives_copy_paste(mangled: str) -> None:
    assert parse(mangled) == FIXED


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(PAYLOAD)), st.sampled_from(["\n", " ", "\n> ", "\r\n", "=\n"])
        ),
        max_size=8,
    )
)
def test_survives_breaks_anywhere(breaks: list[tuple[int, str]]) -> None:
    payload = PAYLOAD
    for position, separator in sorted(breaks, reverse=True):
        payload = payload[:position] + separator + payload[position:]
    assert parse(PREFIX + payload) == FIXED


# -- damage that must be caught -------------------------------------------------------------------
def test_every_single_flipped_character_is_caught() -> None:
    for position in range(len(PAYLOAD)):
        for replacement in ALPHABET:
            if replacement == PAYLOAD[position]:
                continue
            damaged = PAYLOAD[:position] + replacement + PAYLOAD[position + 1 :]
            assert _problem(PREFIX + damaged) is InviteLinkProblem.DAMAGED


@pytest.mark.parametrize("cut", [1, 2, 3, 5, 8, 13, 40, len(PAYLOAD) - 1])
def test_truncated_links_are_damaged(cut: int) -> None:
    assert _problem(TEXT[:-cut]) is InviteLinkProblem.DAMAGED


def test_every_truncation_is_caught() -> None:
    for length in range(1, len(PAYLOAD)):
        with pytest.raises(InviteLinkError):
            parse(PREFIX + PAYLOAD[:length])


@pytest.mark.parametrize(
    "damaged",
    [
        TEXT + "a",
        TEXT + "q2",
        PREFIX + PAYLOAD[:50] + "x" + PAYLOAD[50:],
        PREFIX + PAYLOAD[:50] + PAYLOAD[51:],
        PREFIX + PAYLOAD[:50] + PAYLOAD[51] + PAYLOAD[50] + PAYLOAD[52:],  # swapped pair
        PREFIX + PAYLOAD + PAYLOAD,
        PREFIX + PAYLOAD[:60] + "18" + PAYLOAD[60:],  # digits outside base32 end the link early
        PREFIX,
        PREFIX + "!!!",
    ],
)
def test_extra_missing_or_swapped_characters_are_damaged(damaged: str) -> None:
    assert _problem(damaged) is InviteLinkProblem.DAMAGED


@pytest.mark.parametrize(
    "foreign",
    [
        "https://example.org/join/" + PAYLOAD,
        "hearth://chat/" + PAYLOAD,
        "hearths://join/" + PAYLOAD,
        "heart://join/" + PAYLOAD,
        "mailto:someone@example.org",
        "just some words",
        "7-amber-lantern",
        PAYLOAD,
    ],
)
def test_foreign_links_are_not_hearth_links(foreign: str) -> None:
    assert _problem(foreign) is InviteLinkProblem.NOT_HEARTH_LINK


@pytest.mark.parametrize("version", [0, 2, 7, 255])
def test_other_versions_are_unsupported(version: int) -> None:
    body = FIXED.raw()[1:-4]
    assert _problem(_raw_link(version, body)) is InviteLinkProblem.UNSUPPORTED_VERSION


@pytest.mark.parametrize(
    "body",
    [
        b"\xc1",
        msgpack.packb({"name": "x"}),
        msgpack.packb(["x", bytes(32), bytes(32), bytes(16)]),
        msgpack.packb(["x", bytes(31), bytes(32), bytes(16), 0, None, None]),
        msgpack.packb(["x", bytes(32), bytes(32), bytes(16), -1, None, None]),
        msgpack.packb(["x", bytes(32), bytes(32), bytes(16), True, None, None]),
        msgpack.packb(["", bytes(32), bytes(32), bytes(16), 0, None, None]),
        msgpack.packb(["x\ny", bytes(32), bytes(32), bytes(16), 0, None, None]),
        msgpack.packb([5, bytes(32), bytes(32), bytes(16), 0, None, None]),
        msgpack.packb(["x", bytes(32), bytes(32), bytes(16), 0, "has space", None]),
        msgpack.packb(["x", bytes(32), bytes(32), bytes(16), 0, 7, None]),
        msgpack.packb(["x", bytes(32), bytes(32), bytes(16), 0, None, bytes(15)]),
        msgpack.packb(["x", bytes(32), bytes(32), bytes(16), 0, None, "digest"]),
    ],
)
def test_intact_but_invalid_content_is_invalid(body: bytes) -> None:
    assert _problem(_raw_link(1, body)) is InviteLinkProblem.INVALID


def test_later_fields_from_a_minor_extension_are_ignored() -> None:
    fields = [*msgpack.unpackb(FIXED.raw()[1:-4]), "future"]
    assert parse(_raw_link(1, msgpack.packb(fields))) == FIXED


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", InviteLinkProblem.EMPTY),
        ("  \n ", InviteLinkProblem.EMPTY),
        ("x" * 20000, InviteLinkProblem.TOO_LONG),
    ],
)
def test_empty_and_huge(text: str, problem: InviteLinkProblem) -> None:
    assert _problem(text) is problem


def test_not_text_is_refused() -> None:
    with pytest.raises(InviteLinkError):
        parse(b"hearth://join/abc")


def test_making_a_link_to_the_lobby_is_refused() -> None:
    from messenger.circle import lobby

    with pytest.raises(InviteLinkError):
        InviteLink.for_circle(lobby())


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_a_link_or_a_typed_error(text: str) -> None:
    for candidate in (text, PREFIX + text, TEXT[: len(TEXT) // 2] + text):
        with contextlib.suppress(InviteLinkError):
            parse(candidate)


def test_looks_like_link() -> None:
    assert looks_like_link(TEXT) and looks_like_link("https://example.org/x")
    assert looks_like_link("HEARTH://join/abc")
    assert not looks_like_link("7-amber-lantern") and not looks_like_link("7 amber lantern")
