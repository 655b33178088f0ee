"""Reports: moderators open them, nobody else can, anonymous ones carry no trace of the reporter."""

from __future__ import annotations

import msgpack
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from messenger.conversation import SignedPost
from messenger.conversation.envelope import coarse_ts
from messenger.moderation import (
    Reason,
    ReportError,
    ReportQueue,
    ReportReason,
    ReportStatus,
    StateError,
    make_report,
    open_report,
)
from messenger.moderation.reports import REPORT_DOMAIN, decode_inner, decode_sealed

from .helpers import ALICE, BOB, CAROL, CIRCLE, HOST, MALLORY, T0, post

MODERATORS = (HOST.member_key, CAROL.member_key)
NOW = T0 + 123_456


def mallory_post() -> SignedPost:
    return post(MALLORY, 3, "something cruel about Alice", NOW - 1000)


def anonymous_report() -> bytes:
    return make_report(
        CIRCLE.circle_id,
        MALLORY.member_key,
        ReportReason.HARASSMENT,
        "She keeps doing this after the group.",
        moderators=MODERATORS,
        now=NOW,
        evidence=mallory_post(),
    ).data


def test_each_moderator_opens_the_report() -> None:
    evidence = mallory_post()
    sealed = make_report(
        CIRCLE.circle_id,
        MALLORY.member_key,
        ReportReason.HARASSMENT,
        "Details.",
        moderators=MODERATORS,
        now=NOW,
        evidence=evidence,
    )
    assert set(sealed.recipients) == set(MODERATORS)
    assert decode_sealed(sealed.data) == sealed
    for moderator in (HOST, CAROL):
        report = open_report(sealed.data, moderator)
        assert report.id == sealed.id
        assert report.member == MALLORY.member_key
        assert report.reason is ReportReason.HARASSMENT and report.details == "Details."
        assert report.evidence == evidence
        assert report.post_id == evidence.id
        assert report.reporter is None and report.anonymous
        assert report.ts == coarse_ts(NOW)


def test_an_ordinary_member_cannot_open_it() -> None:
    data = anonymous_report()
    with pytest.raises(ReportError) as info:
        open_report(data, BOB)
    assert info.value.reason is Reason.NOT_ADDRESSED
    # claiming a moderator's slot does not help: the key box opens only with that key
    fields = msgpack.unpackb(data, raw=False)
    fields["k"][0][0] = BOB.member_key
    forged = msgpack.packb(fields, use_bin_type=True)
    with pytest.raises(ReportError) as info:
        open_report(forged, BOB)
    assert info.value.reason is Reason.CANNOT_OPEN


def test_anonymous_report_carries_nothing_of_the_reporter() -> None:
    """Alice reports anonymously: neither the sealed bytes nor the opened ones name her."""
    sealed = make_report(
        CIRCLE.circle_id,
        MALLORY.member_key,
        ReportReason.THREAT,
        "",
        moderators=MODERATORS,
        now=NOW,
    )
    inner = open_report(sealed.data, HOST).inner
    traces = [
        ALICE.member_key,
        ALICE.noise_public,
        ALICE.pseudonym.encode(),
        ALICE.signing_seed,
        ALICE.noise_private,
        bytes(ALICE.signing_key.verify_key.to_curve25519_public_key()),
    ]
    for blob in (sealed.data, inner):
        for trace in traces:
            assert trace not in blob
    fields = msgpack.unpackb(inner, raw=False)
    assert fields["s"] is None and fields["t"] == coarse_ts(NOW)
    # two anonymous reports of the same thing look unrelated
    again = make_report(
        CIRCLE.circle_id,
        MALLORY.member_key,
        ReportReason.THREAT,
        "",
        moderators=MODERATORS,
        now=NOW,
    )
    assert again.id != sealed.id


def test_signed_report_names_its_reporter() -> None:
    sealed = make_report(
        CIRCLE.circle_id,
        MALLORY.member_key,
        ReportReason.SPAM,
        "Signed.",
        moderators=MODERATORS,
        now=NOW,
        reporter=ALICE,
    )
    report = open_report(sealed.data, CAROL)
    assert report.reporter == ALICE.member_key and not report.anonymous
    assert report.ts == NOW
    # a moderator cannot pin it on someone else: the signature is the reporter's
    fields = msgpack.unpackb(report.inner, raw=False)
    fields["s"][0] = BOB.member_key
    with pytest.raises(ReportError) as info:
        decode_inner(msgpack.packb(fields, use_bin_type=True), report.id)
    assert info.value.reason is Reason.BAD_SIGNATURE
    content = {k: v for k, v in fields.items() if k != "s"}
    ALICE.signing_key.verify_key.verify(
        REPORT_DOMAIN + msgpack.packb(content, use_bin_type=True), report_signature(report.inner)
    )


def report_signature(inner: bytes) -> bytes:
    return bytes(msgpack.unpackb(inner, raw=False)["s"][1])


def test_evidence_must_be_the_reported_members_post() -> None:
    with pytest.raises(ReportError) as info:
        make_report(
            CIRCLE.circle_id,
            BOB.member_key,
            ReportReason.OTHER,
            "",
            moderators=MODERATORS,
            now=NOW,
            evidence=mallory_post(),
        )
    assert info.value.reason is Reason.BAD_EVIDENCE
    # made up by a reporter: a post Mallory never signed
    report = open_report(anonymous_report(), HOST)
    fields = msgpack.unpackb(report.inner, raw=False)
    evidence = msgpack.unpackb(fields["e"], raw=False)
    evidence["b"] = "words she never wrote"
    fields["e"] = msgpack.packb(evidence, use_bin_type=True)
    with pytest.raises(ReportError) as info:
        decode_inner(msgpack.packb(fields, use_bin_type=True), report.id)
    assert info.value.reason is Reason.BAD_EVIDENCE
    fields["e"] = post(BOB, 1, "Bob's post", NOW).signed
    with pytest.raises(ReportError) as info:
        decode_inner(msgpack.packb(fields, use_bin_type=True), report.id)
    assert info.value.reason is Reason.BAD_EVIDENCE


def test_what_make_report_refuses() -> None:
    args = (CIRCLE.circle_id, MALLORY.member_key, ReportReason.OTHER)
    with pytest.raises(ReportError) as info:
        make_report(*args, "", moderators=(), now=NOW)
    assert info.value.reason is Reason.NOT_ADDRESSED
    with pytest.raises(ReportError) as info:
        make_report(*args, "x" * 2001, moderators=MODERATORS, now=NOW)
    assert info.value.reason is Reason.OVERSIZE
    with pytest.raises(ReportError) as info:
        make_report(*args, "", moderators=[bytes(32)], now=NOW)
    assert info.value.reason is Reason.BAD_VALUE
    with pytest.raises(ReportError) as info:
        make_report(*args, "", moderators=[bytes([i]) * 32 for i in range(20)], now=NOW)
    assert info.value.reason is Reason.TOO_MANY


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda f: f.update(v=2), Reason.UNKNOWN_VERSION),
        (lambda f: f.update(z=1), Reason.BAD_FIELDS),
        (lambda f: f.update(k=[]), Reason.BAD_VALUE),
        (lambda f: f.update(k=[[bytes(32)]]), Reason.BAD_FIELDS),
        (lambda f: f.update(k=[f["k"][0], f["k"][0]]), Reason.BAD_VALUE),
        (lambda f: f.update(c=bytes(3)), Reason.BAD_VALUE),
        (lambda f: f.update(b=b"short"), Reason.BAD_VALUE),
    ],
)
def test_malformed_sealed_reports(change: object, reason: Reason) -> None:
    fields = msgpack.unpackb(anonymous_report(), raw=False)
    change(fields)  # type: ignore[operator]
    with pytest.raises(ReportError) as info:
        decode_sealed(msgpack.packb(fields, use_bin_type=True))
    assert info.value.reason is reason
    assert info.value.code == "bad_report"


def test_tampered_body_cannot_be_opened() -> None:
    fields = msgpack.unpackb(anonymous_report(), raw=False)
    body = bytearray(fields["b"])
    body[-1] ^= 1
    fields["b"] = bytes(body)
    with pytest.raises(ReportError) as info:
        open_report(msgpack.packb(fields, use_bin_type=True), HOST)
    assert info.value.reason is Reason.CANNOT_OPEN


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=500))
def test_random_bytes_raise_only_report_errors(data: bytes) -> None:
    with pytest.raises(ReportError):
        open_report(data, HOST)


# -- the queue ----------------------------------------------------------------------------------
def opened(n: int) -> list[object]:
    return [
        open_report(
            make_report(
                CIRCLE.circle_id,
                MALLORY.member_key,
                ReportReason.SPAM,
                f"report {i}",
                moderators=MODERATORS,
                now=NOW,
            ).data,
            HOST,
        )
        for i in range(n)
    ]


def test_queue_statuses_and_order() -> None:
    a, b, c = opened(3)
    queue = ReportQueue(CIRCLE.circle_id)
    assert queue.add(a, T0 + 3) is not None  # type: ignore[arg-type]
    assert queue.add(b, T0 + 1) is not None  # type: ignore[arg-type]
    assert queue.add(a, T0 + 9) is None  # type: ignore[arg-type]
    queue.add(c, T0 + 2)  # type: ignore[arg-type]
    assert [q.report for q in queue.items()] == [b, c, a]
    assert queue.open_count == 3
    queue.set_status(c.id, ReportStatus.ACTIONED)  # type: ignore[attr-defined]
    queue.set_status(b.id, ReportStatus.DISMISSED)  # type: ignore[attr-defined]
    assert [q.report for q in queue.items(ReportStatus.OPEN)] == [a]
    assert queue.get(c.id).status is ReportStatus.ACTIONED  # type: ignore[attr-defined]
    assert queue.open_count == 1
    with pytest.raises(ReportError) as info:
        queue.get(bytes(32))
    assert info.value.reason is Reason.UNKNOWN_REPORT


def test_queue_forgets_closed_reports_first() -> None:
    a, b, c = opened(3)
    queue = ReportQueue(CIRCLE.circle_id, max_items=2)
    queue.add(a, T0)  # type: ignore[arg-type]
    queue.add(b, T0 + 1)  # type: ignore[arg-type]
    queue.set_status(b.id, ReportStatus.DISMISSED)  # type: ignore[attr-defined]
    queue.add(c, T0 + 2)  # type: ignore[arg-type]
    assert [q.report for q in queue.items()] == [a, c]


def test_queue_round_trip() -> None:
    a, b = opened(2)
    queue = ReportQueue(CIRCLE.circle_id)
    queue.add(a, T0)  # type: ignore[arg-type]
    queue.add(b, T0 + 1)  # type: ignore[arg-type]
    queue.set_status(a.id, ReportStatus.ACTIONED)  # type: ignore[attr-defined]
    back = ReportQueue.from_dict(queue.to_dict())
    assert back.items() == queue.items()


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"format": 2},
        {"format": 1, "circle": CIRCLE.circle_id, "items": "x"},
        {"format": 1, "circle": CIRCLE.circle_id, "items": [[1, 2]]},
        {"format": 1, "circle": CIRCLE.circle_id, "items": [[bytes(32), b"\x80", 1, "open"]]},
        {"format": 1, "circle": CIRCLE.circle_id, "items": [[bytes(32), b"x", "1", "open"]]},
    ],
)
def test_queue_refuses_damaged_state(data: object) -> None:
    with pytest.raises(StateError):
        ReportQueue.from_dict(data)
