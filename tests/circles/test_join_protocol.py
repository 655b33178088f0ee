"""The join protocol over SPAKE2, driven in memory with real bytes in both directions."""

from __future__ import annotations

from dataclasses import dataclass, field

import msgpack
import pytest

from messenger.circle import create_circle
from messenger.invite_link import InviteLink
from messenger.joincode import (
    DEFAULT_REFUSAL,
    AttemptFailed,
    AttemptRefused,
    CodeAccepted,
    FailureReason,
    HostSession,
    HostState,
    Invitation,
    InvitationClosed,
    InvitationState,
    JoinCode,
    JoinEvent,
    JoinFailed,
    JoinRequested,
    JoinStateError,
    NewcomerAdmitted,
    NewcomerDenied,
    NewcomerSession,
    NewcomerState,
    Refused,
    Welcomed,
    frame,
)
from messenger.joincode.messages import Kind
from messenger.pseudonym import PseudonymError

CODE = JoinCode(7, ("amber", "lantern"))
WRONG = JoinCode(7, ("amber", "lagoon"))
OPENED = 1000.0


@pytest.fixture(scope="module")
def link() -> InviteLink:
    circle, _ = create_circle("Tuesday evening", "Quiet Heron", rules="Be kind.")
    return InviteLink.for_circle(circle)


def _invitation(link: InviteLink, **options: object) -> Invitation:
    return Invitation(CODE, link.to_text(), now=OPENED, **options)  # type: ignore[arg-type]


@dataclass
class Exchange:
    host: HostSession
    newcomer: NewcomerSession
    host_events: list[JoinEvent] = field(default_factory=list)
    newcomer_events: list[JoinEvent] = field(default_factory=list)
    host_bytes: list[bytes] = field(default_factory=list)

    def pump(self, now: float = OPENED + 1, chunk: int | None = None) -> Exchange:
        """Carry bytes both ways until both sides fall silent (bounded)."""
        for _ in range(10):
            to_host = self.newcomer.data_to_send()
            for piece in _pieces(to_host, chunk):
                self.host_events += self.host.receive_data(piece, now)
            to_newcomer = self.host.data_to_send()
            if to_newcomer:
                self.host_bytes.append(to_newcomer)
            for piece in _pieces(to_newcomer, chunk):
                self.newcomer_events += self.newcomer.receive_data(piece)
            if not to_host and not to_newcomer:
                return self
        raise AssertionError("the exchange did not settle")


def _pieces(data: bytes, chunk: int | None) -> list[bytes]:
    if not data:
        return []
    if chunk is None:
        return [data]
    return [data[i : i + chunk] for i in range(0, len(data), chunk)]


def _start(invitation: Invitation, code: JoinCode = CODE, name: str = "Kind Otter") -> Exchange:
    return Exchange(invitation.new_session(), NewcomerSession(code, name))


# -- the happy paths ------------------------------------------------------------------------------
def test_right_code_then_approval_welcomes_the_newcomer(link: InviteLink) -> None:
    invitation = _invitation(link)
    run = _start(invitation).pump()
    assert run.newcomer_events == [CodeAccepted()]
    (request,) = run.host_events
    assert isinstance(request, JoinRequested) and request.pseudonym == "Kind Otter"
    assert run.host.state is HostState.AWAITING_DECISION
    assert invitation.request(request.request_id) is run.host
    assert invitation.waiting() == [run.host]

    assert run.host.approve() == [NewcomerAdmitted(request.request_id, "Kind Otter")]
    run.pump()
    assert run.newcomer_events[-1] == Welcomed(link)
    assert run.newcomer.state is NewcomerState.WELCOMED and run.newcomer.finished
    assert run.host.state is HostState.ADMITTED and run.host.finished  # type: ignore[comparison-overlap]
    assert invitation.admitted == 1 and invitation.failures == 0 and invitation.in_flight == 0
    assert invitation.request(request.request_id) is None


def test_auto_approve(link: InviteLink) -> None:
    invitation = _invitation(link, auto_approve=True)
    run = _start(invitation).pump()
    assert [type(e) for e in run.host_events] == [JoinRequested, NewcomerAdmitted]
    assert run.newcomer_events == [CodeAccepted(), Welcomed(link)]


def test_the_invitation_admits_several_newcomers(link: InviteLink) -> None:
    invitation = _invitation(link, auto_approve=True)
    for name in ("Kind Otter", "Brave Wren", "Calm Fern", "Gentle Moss", "Warm Pebble"):
        run = _start(invitation, name=name).pump()
        assert run.newcomer_events[-1] == Welcomed(link)
    assert invitation.admitted == 5 and invitation.state(OPENED + 5) is InvitationState.OPEN


def test_byte_at_a_time(link: InviteLink) -> None:
    invitation = _invitation(link, auto_approve=True)
    run = _start(invitation).pump(chunk=1)
    assert run.newcomer_events[-1] == Welcomed(link)


def test_a_rotated_link_is_what_gets_sent(link: InviteLink) -> None:
    invitation = _invitation(link, auto_approve=True)
    circle, _ = create_circle("Another", "Quiet Heron")
    invitation.set_invite(InviteLink.for_circle(circle).to_text())
    run = _start(invitation).pump()
    welcomed = run.newcomer_events[-1]
    assert isinstance(welcomed, Welcomed) and welcomed.invite.circle_id == circle.circle_id


# -- deny -----------------------------------------------------------------------------------------
def test_deny_sends_a_polite_refusal(link: InviteLink) -> None:
    invitation = _invitation(link)
    run = _start(invitation).pump()
    (request,) = run.host_events
    assert isinstance(request, JoinRequested)
    assert run.host.deny() == [NewcomerDenied(request.request_id, "Kind Otter")]
    run.pump()
    assert run.newcomer_events[-1] == Refused(DEFAULT_REFUSAL)
    assert run.newcomer.state is NewcomerState.REFUSED and run.host.state is HostState.DENIED
    assert invitation.failures == 0 and invitation.admitted == 0
    assert invitation.request(request.request_id) is None


def test_deny_with_the_hosts_words(link: InviteLink) -> None:
    run = _start(_invitation(link)).pump()
    run.host.deny("  We are full tonight — please come next week.  ")
    run.pump()
    assert run.newcomer_events[-1] == Refused("We are full tonight — please come next week.")


def test_welcome_and_refusal_look_alike_on_the_wire(link: InviteLink) -> None:
    yes = _start(_invitation(link)).pump()
    yes.host.approve()
    no = _start(_invitation(link)).pump()
    no.host.deny()
    assert len(yes.host.data_to_send()) == len(no.host.data_to_send())


def test_deciding_twice_or_too_early_is_a_state_error(link: InviteLink) -> None:
    invitation = _invitation(link)
    fresh = invitation.new_session()
    with pytest.raises(JoinStateError):
        fresh.approve()
    run = _start(invitation).pump()
    run.host.approve()
    with pytest.raises(JoinStateError):
        run.host.deny()
    with pytest.raises(JoinStateError):
        run.host.approve()


# -- wrong codes ----------------------------------------------------------------------------------
def test_wrong_code_is_refused_and_counted(link: InviteLink) -> None:
    invitation = _invitation(link)
    run = _start(invitation, WRONG).pump()
    assert run.newcomer_events == [JoinFailed(FailureReason.WRONG_CODE)]
    assert run.host_events == [AttemptFailed(attempts_left=2), JoinFailed(FailureReason.WRONG_CODE)]
    assert run.newcomer.finished and run.host.finished
    assert invitation.failures == 1 and invitation.in_flight == 0
    assert invitation.state(OPENED + 1) is InvitationState.OPEN


def test_three_wrong_codes_close_the_invitation(link: InviteLink) -> None:
    invitation = _invitation(link, auto_approve=True)
    for left in (2, 1, 0):
        run = _start(invitation, WRONG).pump()
        assert AttemptFailed(attempts_left=left) in run.host_events
    assert InvitationClosed() in run.host_events
    assert invitation.state(OPENED + 1) is InvitationState.CLOSED
    # Even the right code is refused now, before any key is derived.
    late = _start(invitation).pump()
    assert late.host_events == [AttemptRefused(FailureReason.CLOSED)]
    assert late.newcomer_events == [JoinFailed(FailureReason.CLOSED)]


def test_right_code_after_two_wrong_ones_still_gets_in(link: InviteLink) -> None:
    invitation = _invitation(link, auto_approve=True)
    _start(invitation, WRONG).pump()
    _start(invitation, JoinCode(7, ("lantern", "amber"))).pump()
    run = _start(invitation).pump()
    assert run.newcomer_events[-1] == Welcomed(link)
    assert invitation.failures == 2


def test_a_guesser_who_hangs_up_after_the_reply_spends_an_attempt(link: InviteLink) -> None:
    invitation = _invitation(link)
    host = invitation.new_session()
    guesser = NewcomerSession(WRONG, "Kind Otter")
    host.receive_data(guesser.data_to_send(), OPENED + 1)
    assert host.data_to_send()  # the reply went out: a guess could be checked offline now
    assert host.connection_lost() == [
        AttemptFailed(attempts_left=2),
        JoinFailed(FailureReason.ABANDONED),
    ]
    assert invitation.failures == 1 and invitation.in_flight == 0


def test_hanging_up_before_the_reply_costs_nothing(link: InviteLink) -> None:
    invitation = _invitation(link)
    host = invitation.new_session()
    assert host.connection_lost() == [JoinFailed(FailureReason.ABANDONED)]
    assert invitation.failures == 0


def test_parallel_guesses_cannot_outrun_the_count(link: InviteLink) -> None:
    invitation = _invitation(link)
    hosts = [invitation.new_session() for _ in range(3)]
    for host in hosts:
        host.receive_data(NewcomerSession(WRONG, "Kind Otter").data_to_send(), OPENED + 1)
        assert host.state is HostState.AWAITING_REQUEST
    assert invitation.state(OPENED + 1) is InvitationState.BUSY
    fourth = _start(invitation).pump()
    assert fourth.host_events == [AttemptRefused(FailureReason.BUSY)]
    assert fourth.newcomer_events == [JoinFailed(FailureReason.BUSY)]
    for host in hosts:
        host.connection_lost()
    assert invitation.state(OPENED + 1) is InvitationState.CLOSED


def test_wrong_and_right_replies_have_the_same_shape(link: InviteLink) -> None:
    right = _start(_invitation(link)).pump()
    wrong = _start(_invitation(link), WRONG).pump()
    first_right, first_wrong = right.host_bytes[0], wrong.host_bytes[0]
    assert len(first_right) == len(first_wrong)
    assert msgpack.unpackb(first_right[2:])[0] == msgpack.unpackb(first_wrong[2:])[0]


def test_failures_never_reveal_the_code(link: InviteLink) -> None:
    wrong = _start(_invitation(link), WRONG).pump()
    wire = b"".join(wrong.host_bytes) + wrong.newcomer.data_to_send()
    for secret in (b"amber", b"lantern", b"lagoon", CODE.password, WRONG.password):
        assert secret not in wire
    for event in wrong.host_events + wrong.newcomer_events:
        assert "lantern" not in repr(event) and "lagoon" not in repr(event)


# -- expiry and cancellation ----------------------------------------------------------------------
def test_expired_invitation_refuses(link: InviteLink) -> None:
    invitation = _invitation(link, auto_approve=True)
    just_in_time = _start(invitation).pump(now=OPENED + 599)
    assert just_in_time.newcomer_events[-1] == Welcomed(link)
    late = _start(invitation).pump(now=OPENED + 600)
    assert late.host_events == [AttemptRefused(FailureReason.EXPIRED)]
    assert late.newcomer_events == [JoinFailed(FailureReason.EXPIRED)]


def test_cancelled_invitation_refuses(link: InviteLink) -> None:
    invitation = _invitation(link)
    invitation.cancel()
    run = _start(invitation).pump()
    assert run.newcomer_events == [JoinFailed(FailureReason.CANCELLED)]


# -- malformed input ------------------------------------------------------------------------------
def _host_after(invitation: Invitation, data: bytes) -> tuple[HostSession, list[JoinEvent]]:
    host = invitation.new_session()
    return host, host.receive_data(data, OPENED + 1)


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x00",  # an empty frame
        frame(b"\xc1"),
        frame(b"not msgpack"),
        frame(msgpack.packb({"kind": 1})),
        frame(msgpack.packb([])),
        frame(msgpack.packb([99, b"x"])),
        frame(msgpack.packb([True, 1, b"x" * 33])),
        frame(msgpack.packb([Kind.PAKE.value, 1])),
        frame(msgpack.packb([Kind.PAKE.value, 1, b"A" + bytes(31)])),  # short
        frame(msgpack.packb([Kind.PAKE.value, 1, b"A" + b"\xff" * 32])),  # not a point
        frame(msgpack.packb([Kind.PAKE.value, 1, b"B" + bytes(32)])),  # the host's own side
        frame(msgpack.packb([Kind.PAKE.value, 1, b"S" + bytes(32)])),
        frame(msgpack.packb([Kind.PAKE.value, "1", b"A" + bytes(32)])),
        frame(msgpack.packb([Kind.REQUEST.value, bytes(32), b"sealed"])),  # out of order
        frame(msgpack.packb([Kind.ANSWER.value, b"sealed"])),
        b"\xff\xff" + b"x" * 10,  # a frame announcing 65535 bytes
    ],
)
def test_malformed_first_messages_fail_without_counting(link: InviteLink, data: bytes) -> None:
    invitation = _invitation(link)
    host, events = _host_after(invitation, data)
    assert events[-1] == JoinFailed(FailureReason.MALFORMED)
    assert host.state is HostState.FAILED and host.finished
    assert invitation.failures == 0 and invitation.in_flight == 0
    assert host.receive_data(data, OPENED + 2) == []  # finished: nothing more is read


def test_a_newer_protocol_version_is_told_so(link: InviteLink) -> None:
    newcomer = NewcomerSession(CODE, "Kind Otter")
    pake = msgpack.unpackb(newcomer.data_to_send()[2:])
    pake[1] = 2
    host, events = _host_after(_invitation(link), frame(msgpack.packb(pake)))
    assert events == [AttemptRefused(FailureReason.UNSUPPORTED_VERSION)]
    assert newcomer.receive_data(host.data_to_send()) == [
        JoinFailed(FailureReason.UNSUPPORTED_VERSION)
    ]


@pytest.mark.parametrize("side", [b"A", b"B"])
def test_a_reflected_message_is_refused(side: bytes) -> None:
    newcomer = NewcomerSession(CODE, "Kind Otter")
    own = msgpack.unpackb(newcomer.data_to_send()[2:])[2]
    assert len(own) == 33
    # The newcomer's own message sent back to it (as is, or relabelled as the host's side)
    # must not be accepted as the host's.
    mirrored = frame(msgpack.packb([Kind.REPLY.value, side + own[1:], bytes(32)]))
    assert newcomer.receive_data(mirrored) == [JoinFailed(FailureReason.MALFORMED)]


def test_garbage_after_the_reply_counts_as_an_attempt(link: InviteLink) -> None:
    invitation = _invitation(link)
    host = invitation.new_session()
    host.receive_data(NewcomerSession(CODE, "Kind Otter").data_to_send(), OPENED + 1)
    events = host.receive_data(frame(b"\xc1"), OPENED + 2)
    assert events == [AttemptFailed(2), JoinFailed(FailureReason.MALFORMED)]


def test_a_bad_pseudonym_in_the_request_is_refused(link: InviteLink) -> None:
    invitation = _invitation(link)
    run = _start(invitation)
    run.newcomer.pseudonym = "Host"  # a modified client skipping its own check
    run.pump()
    assert run.host_events == [JoinFailed(FailureReason.MALFORMED)]
    assert run.newcomer_events[-1] == JoinFailed(FailureReason.MALFORMED)
    assert invitation.failures == 0  # the key was confirmed: this was no guess


def test_tampered_answer_is_refused(link: InviteLink) -> None:
    run = _start(_invitation(link)).pump()
    run.host.approve()
    answer = bytearray(run.host.data_to_send())
    answer[-1] ^= 1
    assert run.newcomer.receive_data(bytes(answer)) == [JoinFailed(FailureReason.MALFORMED)]


@pytest.mark.parametrize(
    "reply",
    [
        frame(b"\xc1"),
        frame(msgpack.packb([Kind.REPLY.value, b"B" + bytes(32), bytes(31)])),
        frame(msgpack.packb([Kind.REPLY.value, b"B" + b"\xff" * 32, bytes(32)])),
        frame(msgpack.packb([Kind.ANSWER.value, b"x"])),
        frame(msgpack.packb([Kind.ABORT.value, "something new"])),
        b"\xff\xff",
    ],
)
def test_newcomer_refuses_malformed_replies(reply: bytes) -> None:
    newcomer = NewcomerSession(CODE, "Kind Otter")
    assert newcomer.receive_data(reply) == [JoinFailed(FailureReason.MALFORMED)]
    assert newcomer.finished and newcomer.failure is FailureReason.MALFORMED


def test_newcomer_hang_up_and_late_bytes() -> None:
    newcomer = NewcomerSession(CODE, "Kind Otter")
    assert newcomer.connection_lost() == [JoinFailed(FailureReason.ABANDONED)]
    assert newcomer.connection_lost() == []
    assert newcomer.receive_data(b"\x00\x01x") == []


def test_newcomer_checks_its_own_pseudonym() -> None:
    with pytest.raises(PseudonymError):
        NewcomerSession(CODE, "   ")
