"""Shared makings for the moderation tests: a circle, its host and members, signed events."""

from __future__ import annotations

import hashlib

from nacl.signing import SigningKey

from messenger.circle import Circle
from messenger.conversation import SignedPost, sign_post
from messenger.identity import Membership
from messenger.keyschedule import derive_circle_id
from messenger.moderation import Action, ModerationState, SignedEvent, sign_event

T0 = 1_700_000_000_000  # ms
NONCE = bytes(range(16))


def seed(name: str) -> bytes:
    return hashlib.sha256(b"moderation-test-" + name.encode()).digest()


def host_key_of(name: str = "host") -> bytes:
    return bytes(SigningKey(seed(name)).verify_key)


def make_circle(host: str = "host", *, secret: bytes | None = None, rules: str = "") -> Circle:
    key = host_key_of(host)
    return Circle(
        circle_id=derive_circle_id(key, NONCE),
        host_key=key,
        nonce=NONCE,
        name="Tuesday circle",
        secret=secret or seed("secret-" + host),
        rules=rules,
    )


CIRCLE = make_circle()
OTHER_CIRCLE = make_circle("other-host")


def member(name: str, circle: Circle = CIRCLE) -> Membership:
    """A deterministic membership; ``"host"`` is the circle's host."""
    pseudonym = "Facilitator" if name == "host" else name.capitalize()
    return Membership(circle.circle_id, pseudonym, seed(name + "-noise"), seed(name))


HOST = member("host")
ALICE = member("alice")
BOB = member("bob")
CAROL = member("carol")
MALLORY = member("mallory")


def event(
    who: Membership, seq: int, action: Action, ts: int = T0, *, circle: Circle = CIRCLE
) -> SignedEvent:
    del circle
    return sign_event(who, seq, ts, action)


def state(me: Membership | None = None, circle: Circle = CIRCLE) -> ModerationState:
    return ModerationState.for_circle(circle, me=None if me is None else me.member_key)


def post(author: Membership, seq: int, body: str, ts: int = T0, **kw: object) -> SignedPost:
    return sign_post(author.signing_key, author.circle_id, seq, body, ts, **kw)  # type: ignore[arg-type]
