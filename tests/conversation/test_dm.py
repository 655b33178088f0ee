"""Direct messages: consent, silent decline, queueing, states, receipts and typing."""

from __future__ import annotations

from collections import Counter

import pytest

from messenger.conversation import (
    DirectMessageError,
    DmHeld,
    DmReceived,
    DmRequest,
    DmSettings,
    Dropped,
    DropReason,
    PeerTyping,
    codec,
    sign_dm,
)
from messenger.conversation.dm_envelope import DOMAIN
from messenger.conversation.wire import Dm, DmAck, DmReceipt, MsgType, Typing, decode, encode

from .sim import CIRCLE, Network


def traffic(net: Network) -> list[tuple[str, str, str]]:
    seen: list[tuple[str, str, str]] = []
    net.taps.append(lambda s, d, data: seen.append((s, d, type(decode(data)).__name__)))
    return seen


def connected(*names: str, **engine_args: object) -> Network:
    net = Network(names, **engine_args)  # type: ignore[arg-type]
    net.mesh()
    net.run()
    return net


def test_a_first_message_is_a_request_until_accepted() -> None:
    net = connected("a", "b")
    first = net.dm("a", "b", "hello, may I write to you?")
    second = net.dm("a", "b", "second thought")
    net.run()
    b = net["b"]
    assert [r.message.id for r in b.requests()] == [first]
    assert b.dms() == []
    assert b.engine.dms.requests() == [net["a"].pk]
    outs, events = b.engine.accept_dm(net["a"].pk)
    assert outs == []
    assert [e.message.id for e in events if isinstance(e, DmReceived)] == [first, second]
    # after accepting, messages go straight through; a's side accepted b by writing first
    net.dm("a", "b", "thanks")
    net.dm("b", "a", "you are welcome")
    net.run()
    assert b.dms() == ["thanks"]
    assert net["a"].dms() == ["you are welcome"]
    assert not net["a"].requests()


def test_a_decline_is_silent() -> None:
    net = connected("a", "b")
    seen = traffic(net)
    accepted = net.dm("a", "b", "one")
    net.run()
    net["b"].engine.decline_dm(net["a"].pk)
    declined = net.dm("a", "b", "two")
    net.run()
    net.tick(60_000)
    net.run()
    assert net["b"].dms() == []
    assert len(net["b"].requests()) == 1
    # the sender sees exactly what it would see had b accepted: delivered
    assert net["a"].dm_states(accepted) == net["a"].dm_states(declined)
    assert net["a"].dm_states(declined) == ["queued", "sent", "delivered"]
    assert {kind for src, _, kind in seen if src == "b"} == {"DmAck"}
    # ... and b's client keeps it, unshown, so that "delivered" is never a lie
    assert [e.message.envelope.body for e in net["b"].of(DmHeld)] == ["one", "two"]


def test_an_unblock_makes_held_messages_a_request_again() -> None:
    net = connected("a", "b")
    net.dm("a", "b", "one")
    net.run()
    net["b"].engine.accept_dm(net["a"].pk)
    net["b"].engine.decline_dm(net["a"].pk)  # a block
    net.dm("a", "b", "while blocked")
    net.run()
    net["b"].engine.reconsider_dm(net["a"].pk)  # the unblock
    net.dm("a", "b", "after the unblock")
    net.run()
    requests = net["b"].of(DmRequest)
    assert [r.message.envelope.body for r in requests][-1] == "after the unblock"
    _, events = net["b"].engine.accept_dm(net["a"].pk)
    assert [e.message.envelope.body for e in events if isinstance(e, DmReceived)] == [
        "after the unblock"
    ]


def test_queued_while_away_then_delivered_only_to_the_recipient() -> None:
    net = connected("a", "b", "c")
    seen = traffic(net)
    net.cut("a", "b")
    message = net.dm("a", "b", "for your eyes only")
    net.run()
    assert net["a"].dm_states(message) == ["queued"]
    assert not [t for t in seen if t[2] == "Dm"]
    net.link("a", "b")
    net.run()
    assert net["a"].dm_states(message) == ["queued", "sent", "delivered"]
    assert [t for t in seen if t[2] == "Dm"] == [("a", "b", "Dm")]
    assert [r.message.envelope.body for r in net["b"].requests()] == ["for your eyes only"]
    assert net["c"].dms() == [] and not net["c"].requests()


def test_a_message_sent_but_not_acknowledged_is_sent_again_and_shown_once() -> None:
    net = connected("a", "b")
    net["b"].engine.accept_dm(net["a"].pk)
    message = net.dm("a", "b", "did you get this?")
    # deliver a's message to b, then cut before b's acknowledgement gets back
    net.inject("a", "b", net.queues[("a", "b")].popleft())
    net.cut("a", "b")
    assert net["a"].dm_states(message) == ["queued", "sent"]
    net.link("a", "b")
    net.run()
    assert net["b"].dms() == ["did you get this?"]
    assert net["a"].dm_states(message) == ["queued", "sent", "delivered"]
    assert net["b"].engine.stats[DropReason.DUPLICATE] == 1


def test_read_receipts_are_off_by_default() -> None:
    net = connected("a", "b")
    seen = traffic(net)
    net["b"].engine.accept_dm(net["a"].pk)
    message = net.dm("a", "b", "hi")
    net.run()
    assert net["b"].engine.mark_read(net["a"].pk, [message]) == []
    net.run()
    assert net["a"].dm_states(message) == ["queued", "sent", "delivered"]
    assert "DmReceipt" not in {kind for *_, kind in seen}


def test_read_receipts_when_both_turn_them_on() -> None:
    net = connected("a", "b", dm_settings=DmSettings(read_receipts=True))
    net["b"].engine.accept_dm(net["a"].pk)
    message = net.dm("a", "b", "hi")
    net.run()
    net._send("b", net["b"].engine.mark_read(net["a"].pk, [message]))
    net.run()
    assert net["a"].dm_states(message) == ["queued", "sent", "delivered", "read"]


def test_receipts_for_a_member_who_is_away_wait_for_them() -> None:
    net = connected("a", "b", dm_settings=DmSettings(read_receipts=True))
    net["b"].engine.accept_dm(net["a"].pk)
    message = net.dm("a", "b", "hi")
    net.run()
    net.cut("a", "b")
    assert net["b"].engine.mark_read(net["a"].pk, [message]) == []
    net.link("a", "b")
    net.run()
    assert net["a"].dm_states(message)[-1] == "read"


def test_a_receipt_when_the_reader_has_them_off_shows_delivered_at_most() -> None:
    net = connected("a", "b")
    net["b"].engine.accept_dm(net["a"].pk)
    message = net.dm("a", "b", "hi")
    net.run()
    net.inject("b", "a", encode(DmReceipt((message,))))
    assert net["a"].dm_states(message) == ["queued", "sent", "delivered"]


def test_typing_indicators_are_off_by_default_and_work_when_on() -> None:
    net = connected("a", "b")
    net["b"].engine.accept_dm(net["a"].pk)
    net.dm("a", "b", "hi")
    net.run()
    assert net["a"].engine.set_typing(net["b"].pk, True, net.now) == []
    net.inject("a", "b", encode(Typing(True)))
    assert not net["b"].of(PeerTyping)

    net = connected("a", "b", dm_settings=DmSettings(typing_indicators=True))
    net["b"].engine.accept_dm(net["a"].pk)
    net.dm("a", "b", "hi")
    net.run()
    a, b = net["a"].engine, net["b"].pk
    assert len(a.set_typing(b, True, net.now)) == 1
    assert a.set_typing(b, True, net.now + 1000) == []  # at most every 3 s
    assert len(a.set_typing(b, True, net.now + 3000)) == 1
    net._send("a", a.set_typing(b, False, net.now + 3500))
    assert a.set_typing(b, False, net.now + 3600) == []
    net.run()
    assert net["b"].of(PeerTyping) == [PeerTyping(net["a"].pk, False)]


def test_typing_from_a_member_we_have_not_accepted_is_not_shown() -> None:
    net = connected("a", "b", dm_settings=DmSettings(typing_indicators=True))
    net.inject("a", "b", encode(Typing(True)))
    assert not net["b"].of(PeerTyping)


def forged_dm(net: Network, signer: str, sender: str, to: str, **fields: object) -> bytes:
    key = net[signer].key
    content: dict[str, object] = {
        "v": 1,
        "c": CIRCLE,
        "f": net[sender].pk,
        "o": net[to].pk,
        "t": net.now,
        "b": "psst",
        "k": bytes(16),
    }
    content.update(fields)
    signature = key.sign(DOMAIN + codec.pack(content)).signature
    return codec.pack({**content, "g": signature})


@pytest.mark.parametrize(
    ("signer", "sender", "to", "fields", "reason"),
    [
        ("c", "c", "b", {}, DropReason.WRONG_PEER),  # c's message relayed by a
        ("a", "a", "c", {}, DropReason.WRONG_PEER),  # not for b
        ("c", "a", "b", {}, DropReason.BAD_SIGNATURE),  # signed by someone else
        ("a", "a", "b", {"c": b"elsewhere"}, DropReason.WRONG_CIRCLE),
        ("a", "a", "b", {"v": 7}, DropReason.UNKNOWN_VERSION),
        ("a", "a", "b", {"b": ""}, DropReason.BAD_VALUE),
        ("a", "a", "b", {"k": b"short"}, DropReason.BAD_VALUE),
        ("a", "a", "b", {"b": "x" * 8193}, DropReason.OVERSIZE),
    ],
)
def test_forged_or_malformed_direct_messages_are_dropped(
    signer: str, sender: str, to: str, fields: dict[str, object], reason: DropReason
) -> None:
    net = connected("a", "b", "c")
    net["b"].engine.accept_dm(net["a"].pk)
    net.inject("a", "b", codec.pack([MsgType.DM, forged_dm(net, signer, sender, to, **fields)]))
    assert net["b"].dms() == [] and not net["b"].requests()
    assert net["b"].engine.stats[reason] == 1
    assert net["b"].of(Dropped) == [Dropped(net["a"].pk, reason, "dm")]
    assert not net.queues[("b", "a")]  # not even acknowledged


def test_direct_messages_from_non_members_or_refused_by_policy_are_dropped() -> None:
    net = Network(["a", "b"], members={Network(["b"])["b"].pk})
    net.link("a", "b")
    net.run()
    net.inject("a", "b", encode(Dm(forged_dm(net, "a", "a", "b"))))
    assert net["b"].engine.stats[DropReason.NOT_MEMBER] == 1

    net = connected("a", "b", dm_allowed=lambda key: False)
    net.inject("a", "b", encode(Dm(forged_dm(net, "a", "a", "b"))))
    assert net["b"].engine.stats[DropReason.NOT_ALLOWED] == 1
    assert not net["b"].requests()


def test_acks_for_unknown_messages_or_from_the_wrong_peer_change_nothing() -> None:
    net = connected("a", "b", "c")
    message = net.dm("a", "b", "hi")
    net.run()
    net.inject("c", "a", encode(DmAck((message, bytes(32)))))
    assert Counter(net["a"].dm_states(message)) == Counter(["queued", "sent", "delivered"])


def test_sending_checks_the_message() -> None:
    net = connected("a", "b")
    other = sign_dm(net["b"].key, CIRCLE, net["a"].pk, "not a's", net.now)
    with pytest.raises(DirectMessageError):
        net["a"].engine.send_dm(other, net.now)
    mine = sign_dm(net["a"].key, CIRCLE, net["b"].pk, "once", net.now)
    net["a"].engine.send_dm(mine, net.now)
    with pytest.raises(DirectMessageError):
        net["a"].engine.send_dm(mine, net.now)


def test_restored_outgoing_messages_are_sent_when_the_peer_connects() -> None:
    from messenger.views import DeliveryState

    net = Network(["a", "b"])
    message = sign_dm(net["a"].key, CIRCLE, net["b"].pk, "from before the restart", net.now)
    net["a"].engine.dms.restore(message, DeliveryState.QUEUED)
    net["b"].engine.accept_dm(net["a"].pk)
    net.link("a", "b")
    net.run()
    assert net["b"].dms() == ["from before the restart"]
    assert net["a"].engine.dms.state(message.id) is DeliveryState.DELIVERED
    assert DmRequest not in {type(e) for e in net["b"].events}
