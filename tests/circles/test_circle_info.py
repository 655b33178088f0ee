"""The host's signed circle info carries the rules: any text the cleaner accepts round-trips.

This is where a circle's rules travel (the moderation RULES action that duplicated it was never
produced and is gone). Rules text always passes the real cleaner first (``Circle`` runs it), so
text that is not NFC, such as U+2F800, is normalised before it is signed, never refused.
"""

from __future__ import annotations

import hashlib

import msgpack
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nacl.signing import SigningKey

from messenger.circle import Circle, CircleError, rules_digest
from messenger.circle_info import DOMAIN, CircleInfoError, sign_info, verify_info
from messenger.keyschedule import derive_circle_id

SEED = hashlib.sha256(b"circle-info-test-host").digest()
HOST = SigningKey(SEED)
NONCE = bytes(range(16))

# Any text the cleaner accepts (it refuses control characters; line breaks are fine).
rules_text = st.text(
    st.one_of(
        st.just("\n"),
        st.characters(
            exclude_categories=("Cc", "Zl", "Zp", "Cs", "Co"),
            exclude_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
        ),
    ),
    max_size=300,
)


def circle(rules: str) -> Circle:
    key = bytes(HOST.verify_key)
    return Circle(
        circle_id=derive_circle_id(key, NONCE),
        host_key=key,
        nonce=NONCE,
        name="Tuesday circle",
        secret=bytes(32),
        rules=rules,
    )


@settings(max_examples=150, deadline=None)
@given(rules=rules_text, revision=st.integers(1, 2**31 - 1))
def test_any_clean_rules_round_trip(rules: str, revision: int) -> None:
    made = circle(rules)
    info = verify_info(sign_info(HOST, made, revision).signed, made)
    assert info.rules == made.rules and info.revision == revision
    assert rules_digest(info.rules) == made.rules_digest  # what an invite link promised


def test_text_that_is_not_nfc_is_normalised_before_signing() -> None:
    """Regression: U+2F800 is not NFC (it is U+4E3D once normalised); the old moderation
    round-trip strategy generated it raw and failed ~6% of fresh runs."""
    made = circle("\U0002f800 be kind")
    assert made.rules == "\u4e3d be kind"
    assert verify_info(sign_info(HOST, made, 1).signed, made).rules == "\u4e3d be kind"


def signed_raw(made: Circle, rules: str) -> bytes:
    """Circle info as a host could sign it without the cleaner."""
    fields = [1, made.circle_id, 2, "Tuesday circle", "", rules, made.settings.to_dict()]
    body = bytes(msgpack.packb(fields, use_bin_type=True))
    return bytes(msgpack.packb([body, HOST.sign(DOMAIN + body).signature], use_bin_type=True))


def test_a_host_signing_raw_text_is_read_in_its_clean_form() -> None:
    made = circle("")
    assert verify_info(signed_raw(made, "  \U0002f800\n"), made).rules == "\u4e3d"


def test_rules_with_control_characters_are_refused() -> None:
    with pytest.raises(CircleError):
        circle("be kind\x07")
    made = circle("")
    with pytest.raises(CircleInfoError, match="control characters"):
        verify_info(signed_raw(made, "be kind\x07"), made)
