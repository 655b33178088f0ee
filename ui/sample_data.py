"""Sample views for screenshots, benchmarks and tests: a realistic circle, and many posts.

Plain :mod:`messenger.views` values built directly — no core, no network.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import replace

from messenger.circle import create_circle
from messenger.invite_link import InviteLink
from messenger.views import (
    CircleSettingsView,
    CircleView,
    DeliveryState,
    JoinCodeView,
    JoinRequestView,
    MemberView,
    PostView,
    QuoteView,
    ReactionView,
    Retention,
    Role,
)

CIRCLE_ID = hashlib.blake2b(b"sample circle", digest_size=16).digest()


def key(name: str) -> bytes:
    return hashlib.blake2b(name.encode(), digest_size=32).digest()


def post_id(n: int, salt: bytes = b"") -> bytes:
    return hashlib.blake2b(n.to_bytes(8, "big") + salt, digest_size=32).digest()


ME = "Quiet Heron"
RULES = (
    "What is said here stays here.\n"
    "Speak for yourself; listen without fixing.\n"
    "Be kind. No names of people who are not here.\n"
    "You can pass: nobody has to share."
)


def sample_link() -> str:
    """A genuine invite link (of a throwaway circle) so screenshots show the real format."""
    made, _ = create_circle("Tuesday evening group", ME, rules=RULES)
    return InviteLink.for_circle(made).to_text()


def circle(role: Role = Role.HOST, unread: int = 0) -> CircleView:
    return CircleView(
        id=CIRCLE_ID,
        name="Tuesday evening group",
        description="A small peer-support circle that meets in the community room on Tuesdays.",
        rules=RULES,
        role=role,
        my_pseudonym=ME,
        my_key=key(ME),
        settings=CircleSettingsView(retention=Retention.DAYS, retention_amount=30),
        unread=unread,
        members_present=4,
        invite_link=sample_link(),
        roster_code="4821 0937 5512 3306",
    )


def other_circles() -> list[CircleView]:
    base = circle()
    return [
        base,
        CircleView(
            id=hashlib.blake2b(b"grief", digest_size=16).digest(),
            name="Grief circle",
            description="",
            rules="",
            role=Role.MEMBER,
            my_pseudonym="Gentle Fern",
            my_key=key("Gentle Fern"),
            settings=CircleSettingsView(),
            unread=3,
            members_present=2,
        ),
        CircleView(
            id=hashlib.blake2b(b"feedback", digest_size=16).digest(),
            name="Team feedback (anonymous)",
            description="",
            rules="",
            role=Role.MEMBER,
            my_pseudonym="Calm Otter",
            my_key=key("Calm Otter"),
            settings=CircleSettingsView(anonymous_posting=True),
            unread=0,
            members_present=6,
            members=7,
        ),
    ]


def members() -> list[MemberView]:
    people = [
        (ME, Role.HOST, True, True, False),
        ("Amber Fox", Role.MODERATOR, True, False, False),
        ("Patient Willow", Role.MEMBER, True, False, True),
        ("Bright Wren", Role.MEMBER, True, False, False),
        ("Still Lake", Role.MEMBER, False, False, False),
    ]
    return [
        MemberView(
            circle_id=CIRCLE_ID,
            key=key(name),
            pseudonym=name,
            role=role,
            present=present,
            is_me=me,
            key_changed=changed,
            safety_number="37261 04587 99120 45566 10293 88471 20031 65512 90877 31405 12874 66310",
        )
        for name, role, present, me, changed in people
    ]


def conversation(now: float) -> list[PostView]:
    """A short, realistic exchange ending a little before ``now``."""
    lines = [
        ("Amber Fox", -3600, "Good evening everyone. Glad you could make it tonight.", None),
        (
            "Amber Fox",
            -3540,
            "As usual: share if you want to, pass if you don't. What has been on your mind "
            "this week?",
            None,
        ),
        (
            "Bright Wren",
            -3300,
            "I had a better week than the last one. I went for a walk every morning, which "
            "sounds small, but it helped more than I expected.",
            None,
        ),
        (ME, -3180, "That doesn't sound small at all. Thank you for sharing it.", None),
        (
            "Patient Willow",
            -2900,
            "It has been a year since my dad died, and the week around the date was hard. "
            "I kept thinking about the hospital.",
            "grief, hospital",
        ),
        ("Amber Fox", -2700, "Thank you for trusting us with that, Willow.", None),
        (
            ME,
            -600,
            "Next week we start ten minutes later, at 7:10 — the room is booked before us.",
            None,
        ),
    ]
    posts = []
    for n, (author, offset, body, warning) in enumerate(lines):
        mine = author == ME
        posts.append(
            PostView(
                circle_id=CIRCLE_ID,
                id=post_id(n),
                author_key=key(author),
                author=author,
                seq=n + 1,
                ts=now + offset,
                body=body,
                content_warning=warning,
                mine=mine,
                state=DeliveryState.DELIVERED if mine else DeliveryState.SENT,
            )
        )
    return posts


def with_replies_and_reactions(now: float) -> list[PostView]:
    """:func:`conversation` with reactions and two replies, one of them to a post its author
    deleted afterwards (id ``post_id(41)``: mark it deleted in the model)."""
    posts = conversation(now)
    walk, willow = posts[2], posts[4]
    posts[2] = replace(
        walk,
        reactions=(ReactionView("hear", 3, mine=True), ReactionView("thanks", 1)),
    )
    posts[4] = replace(willow, reactions=(ReactionView("care", 4), ReactionView("same", 1)))
    reply = PostView(
        circle_id=CIRCLE_ID,
        id=post_id(40),
        author_key=key("Bright Wren"),
        author="Bright Wren",
        seq=9,
        ts=now - 2500,
        body="Same here with my mum, three years ago. The first year is the hardest. "
        "Be gentle with yourself.",
        reply_to=willow.id,
        quote=QuoteView(willow.id, willow.author, willow.body),
        reactions=(ReactionView("hear", 2, mine=True),),
    )
    deleted = PostView(
        circle_id=CIRCLE_ID,
        id=post_id(41),
        author_key=key("Amber Fox"),
        author="Amber Fox",
        seq=10,
        ts=now - 2300,
        body="Sorry, I have to leave early tonight.",
    )
    answer = PostView(
        circle_id=CIRCLE_ID,
        id=post_id(42),
        author_key=key(ME),
        author=ME,
        seq=11,
        ts=now - 2200,
        body="No worries, Amber — we can talk about it next week.",
        reply_to=deleted.id,
        quote=QuoteView(deleted.id, "", "", deleted=True),
        mine=True,
        state=DeliveryState.DELIVERED,
    )
    return sorted([*posts, reply, deleted, answer], key=lambda p: (p.ts, p.seq))


def join_code(now: float) -> JoinCodeView:
    return JoinCodeView(circle_id=CIRCLE_ID, code="7-amber-lantern", expires=now + 272)


def join_request() -> JoinRequestView:
    return JoinRequestView(circle_id=CIRCLE_ID, request="r-1", pseudonym="Hopeful Finch")


_TEXT = (
    "the quiet room felt warmer once people started talking about their week and what helped "
    "them most when things were heavy a walk a friend some sleep music tea the garden honestly "
    "I do not know yet but thank you for listening it means a lot to hear that"
)
_WORDS = tuple(_TEXT.split())
_AUTHORS = ("Amber Fox", "Bright Wren", "Patient Willow", "Still Lake", ME, "")


def generated_posts(count: int, seed: int = 8, start: float = 1.7e9) -> Iterator[PostView]:
    """``count`` posts oldest first: varied lengths, some warnings, some mine, some anonymous."""
    rng = random.Random(seed)
    keys = {name: key(name) for name in _AUTHORS}
    seqs = dict.fromkeys(_AUTHORS, 0)
    ts = start
    for n in range(count):
        author = _AUTHORS[rng.randrange(len(_AUTHORS))]
        seqs[author] += 1
        ts += rng.choice((5.0, 20.0, 60.0, 240.0, 900.0))
        words = rng.choice((4, 8, 14, 25, 40, 70))
        body = " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize() + "."
        yield PostView(
            circle_id=CIRCLE_ID,
            id=post_id(n, b"gen"),
            author_key=keys[author],
            author=author,
            seq=seqs[author],
            ts=ts,
            body=body,
            content_warning="loss" if n % 97 == 0 else None,
            mine=author == ME,
            state=DeliveryState.READ if author == ME else DeliveryState.SENT,
        )
