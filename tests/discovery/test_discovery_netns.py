"""Discovery between real hosts (network namespaces on a bridge), and what an observer sees."""

from __future__ import annotations

import base64
import getpass
import hashlib
import operator
import os
import re
import socket
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial

import pytest
from zeroconf._dns import DNSPointer, DNSService, DNSText
from zeroconf._protocol.incoming import DNSIncoming

from network.discovery.hints import Announcement, parse_txt
from tests import netlab
from tests.discovery.procs import CAPTURE_SCRIPT, PEER_SCRIPT, PeerProcess

pytestmark = [pytest.mark.netns, pytest.mark.timeout(60)]

K1 = hashlib.blake2b(b"circle one", digest_size=32).digest()
K2 = hashlib.blake2b(b"circle two", digest_size=32).digest()
LOBBY = hashlib.blake2b(b"the open lobby", digest_size=32).digest()
PORT = 7000

# Distinctive strings handed to the peer processes: they would show up if anything used them.
PSEUDONYM = "Zephyrine-Quillfeather"
CIRCLE_NAME = "Marigold-Larks-Grief-Circle"
FAKE_USER = "oswaldcobblepotter"


def start_peer(
    host: netlab.Host, keys: Sequence[bytes], name: str, extra: Sequence[str] = (), **kw: object
) -> PeerProcess:
    args = [str(PEER_SCRIPT), "--address", host.address(), "--port", str(PORT), "--lifetime", "14"]
    for key in keys:
        args += ["--key", key.hex()]
    proc = host.python([*args, *extra], stdin=-1, stdout=-1, **kw)
    return PeerProcess(proc, name)


def test_three_hosts_find_each_other_and_the_right_pairs_match(lab: netlab.Netlab) -> None:
    h1, h2, h3 = lab.lan(3)
    p1, p2, p3 = (
        start_peer(h1, [K1], "host1"),
        start_peer(h2, [K1, LOBBY], "host2"),
        start_peer(h3, [K2], "host3"),
    )
    ids = {p: p.ready() for p in (p1, p2, p3)}
    hosts = {p1: h1, p2: h2, p3: h3}
    shared = {frozenset({p1, p2}): [K1.hex()]}
    for me in (p1, p2, p3):
        for other in (p1, p2, p3):
            if me is other:
                continue
            event = me.found(ids[other])
            assert event["addresses"] == [hosts[other].address()]
            assert event["port"] == PORT
            assert event["matched"] == shared.get(frozenset({me, other}), []), (me.name, other.name)
    # Nobody reports itself.
    for me in (p1, p2, p3):
        assert all(e.get("peer_id") != ids[me] for e in me.events if e["event"] != "ready")
    # host3 leaves: the others hear its goodbye.
    p3.quit()
    for me in (p1, p2):
        me.wait_for(lambda e: e == {"event": "gone", "peer_id": ids[p3]})
    p1.quit()
    p2.quit()


def test_one_group_membership_per_socket_is_enough_for_two_interfaces(lab: netlab.Netlab) -> None:
    """A host on two networks in a namespace that allows one multicast membership per socket
    (which once made the second interface refuse the group, when one zeroconf socket joined
    for every interface): each interface has its own zeroconf and socket now, so both join,
    and each network is told only its own address. (An interface that does refuse the group is
    still left out with a warning while the others work: ``Discovery.start``.)"""
    first, second = lab.segment(), lab.segment()
    two = lab.host(first, second)
    one = lab.host(first)
    limit = two.run(["sysctl", "-w", "net.ipv4.igmp_max_memberships=1"])
    assert limit.returncode == 0, limit.stderr
    extra = ["--address", two.address(second.index)]
    p_two = start_peer(two, [K1], "two-interfaces", extra, stderr=-1)
    p_one = start_peer(one, [K1], "one-interface")
    ready = p_two.wait_for(lambda e: e["event"] == "ready")
    assert ready["senders"] == sorted([two.address(first.index), two.address(second.index)])
    found = p_two.found(p_one.ready())
    assert found["matched"] == [K1.hex()]
    assert p_one.found(str(ready["peer_id"]))["addresses"] == [two.address(first.index)]
    p_one.quit()
    p_two.quit()
    assert p_two.proc.stderr is not None
    assert b"mDNS works on" not in p_two.proc.stderr.read()


def test_discovery_goes_on_when_one_interface_cannot_join_the_group(lab: netlab.Netlab) -> None:
    """Issue 19 item 4: a host on two networks whose second interface the kernel refuses the
    mDNS group (the namespace's membership limit drops to 0 after the first joined) still
    finds and is found on the first, and says how many interfaces work; when none can join,
    discovery fails with a clear error."""
    first, second = lab.segment(), lab.segment()
    two = lab.host(first, second)
    one = lab.host(first)
    extra = ["--address", two.address(second.index), "--refuse-groups-after", "1"]
    p_two = start_peer(two, [K1], "two-interfaces", extra, stderr=-1)
    p_one = start_peer(one, [K1], "one-interface")
    ready = p_two.wait_for(lambda e: e["event"] == "ready")
    assert ready["senders"] == [two.address(first.index)]
    assert p_two.found(p_one.ready())["matched"] == [K1.hex()]
    assert p_one.found(str(ready["peer_id"]))["addresses"] == [two.address(first.index)]
    p_one.quit()
    p_two.quit()
    assert p_two.proc.stderr is not None
    assert b"mDNS works on 1 of 2 interfaces" in p_two.proc.stderr.read()

    none = lab.host(first)
    p_none = start_peer(none, [K1], "no-interface", ["--refuse-groups-after", "0"], stderr=-1)
    assert p_none.proc.wait(timeout=30) != 0
    assert p_none.proc.stderr is not None
    assert b"could not join the multicast group on any interface" in p_none.proc.stderr.read()


# -- privacy ------------------------------------------------------------------------------------


@dataclass
class Seen:
    """What the observer learnt about one service instance."""

    servers: set[str] = field(default_factory=set)
    announcements: list[Announcement] = field(default_factory=list)

    @property
    def nonces(self) -> set[bytes]:
        return {a.nonce for a in self.announcements}

    @property
    def hints(self) -> set[bytes]:
        return {h for a in self.announcements for h in a.hints}


@contextmanager
def capture(host: netlab.Host) -> Iterator[PeerProcess]:
    proc = host.python(
        [str(CAPTURE_SCRIPT), "--address", host.address(), "--seconds", "14"], stdin=-1, stdout=-1
    )
    observer = PeerProcess(proc, "observer")
    observer.wait_for(lambda e: e["event"] == "listening")
    yield observer
    observer.send("stop")
    observer.wait_for(lambda e: e["event"] == "done")


SERVICE = "_hearth._tcp.local."
INSTANCE = re.compile(r"([a-z2-7]{12})\._hearth\._tcp\.local\.")
HOST = re.compile(r"([a-z2-7]{12})\.local\.")


def test_an_observer_learns_nothing_that_identifies_or_links(lab: netlab.Netlab) -> None:
    alice, bob, watcher = lab.lan(3)
    env = {**os.environ, "USER": FAKE_USER, "LOGNAME": FAKE_USER, "HEARTH_PSEUDONYM": PSEUDONYM}
    telltale = ["--pseudonym", PSEUDONYM, "--circle", CIRCLE_NAME, "--user", FAKE_USER]
    profile = [K1, LOBBY]  # alice's circles, the same in both of her runs
    with capture(watcher) as observer:
        bob_peer = start_peer(bob, [K1], "bob", telltale, env=env)
        bob_id = bob_peer.ready()
        runs = []
        for run in range(2):
            alice_peer = start_peer(alice, profile, f"alice-run{run}", telltale, env=env)
            alice_id = alice_peer.ready()
            runs.append(alice_id)
            assert alice_peer.found(bob_id)["matched"] == [K1.hex()]
            assert bob_peer.found(alice_id)["matched"] == [K1.hex()]
            alice_peer.quit()
            bob_peer.wait_for(partial(operator.eq, {"event": "gone", "peer_id": alice_id}))
        bob_peer.quit()
    packets = [e for e in observer.events if e["event"] == "packet"]
    assert packets, "the observer recorded nothing"

    # 1. Nothing personal or secret in any byte of any packet.
    hostname = socket.gethostname()
    secrets_ = [K1, LOBBY]
    needles = [PSEUDONYM, CIRCLE_NAME, FAKE_USER]
    needles += [hostname] if len(hostname) >= 6 else []
    encodings = [
        enc(k).rstrip(b"=")
        for k in secrets_
        for enc in (base64.b64encode, base64.urlsafe_b64encode, base64.b32encode)
    ]
    for packet in packets:
        data = bytes.fromhex(packet["data"])
        lowered = data.lower()
        for needle in needles:
            assert needle.lower().encode() not in lowered, f"{needle!r} leaked"
        for key in secrets_:
            assert key not in data and key[:8] not in data and key.hex().encode() not in lowered
        for encoded in encodings:
            assert encoded[:16] not in data

    # 2. Every name is the service type or a random label; TXT is exactly v, n, h.
    seen: dict[str, Seen] = defaultdict(Seen)
    server_labels: set[str] = set()
    short_names = {hostname.lower(), getpass.getuser().lower(), FAKE_USER, PSEUDONYM.lower()}
    for packet in packets:
        message = DNSIncoming(bytes.fromhex(packet["data"]))
        names = [q.name for q in message.questions]
        for record in message.answers():
            names.append(record.name)
            if isinstance(record, DNSPointer):
                names.append(record.alias)
            if isinstance(record, DNSService):
                names.append(record.server)
                instance = INSTANCE.fullmatch(record.name.lower())
                assert instance is not None
                seen[instance.group(1)].servers.add(record.server.lower())
            if isinstance(record, DNSText):
                instance = INSTANCE.fullmatch(record.name.lower())
                assert instance is not None
                seen[instance.group(1)].announcements.append(parse_txt(record.text))
        for name in names:
            lowered_name = name.lower()
            assert (
                lowered_name == SERVICE
                or INSTANCE.fullmatch(lowered_name)
                or (HOST.fullmatch(lowered_name))
            ), f"unexpected name {name!r}"
            host_label = HOST.fullmatch(lowered_name)
            if host_label:
                server_labels.add(host_label.group(1))
            assert not any(s in lowered_name.split(".") for s in short_names)
    assert set(seen) == {bob_id, *runs}, "the observer did not see every peer's announcement"

    # 3. Two runs of one profile share nothing: not the label, the host name, a nonce, a hint.
    first, second = seen[runs[0]], seen[runs[1]]
    assert runs[0] != runs[1]
    assert first.servers and second.servers and not first.servers & second.servers
    assert first.nonces and second.nonces and not first.nonces & second.nonces
    assert not first.hints & second.hints
    assert not {s.split(".")[0] for s in first.servers} & set(runs)  # label ≠ host name

    # 4. Two members of the same circle publish different hints for it.
    bob_seen = seen[bob_id]
    assert not bob_seen.hints & (first.hints | second.hints)
    assert not bob_seen.nonces & (first.nonces | second.nonces)
    assert len(server_labels) == 3
