"""What a passive observer on the LAN learns from the TCP connection graph (README: "What
Hearth hides, and what it does not").

Six real headless peers on one switch, in two circles of three. The observer sees every frame
on the switch's ports (as a managed switch, a Wi-Fi access point or anyone on a hub does) but
holds no key. From which pairs of addresses exchange TCP segments alone it rebuilds both
circles exactly: members keep links only with members of their own circles, and dial nobody
else. The suite's short timings make idle links send something every few seconds; with the
product's (an idle link's kernel keepalive every two minutes) an observer watches longer and
learns the same. This test pins that limitation so the README stays honest; it is not a
property Hearth provides.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

import pytest

from tests import netlab
from tests.lan.circle_lab import form_circle, start_peer, wait_all_connected

pytestmark = [pytest.mark.netns, pytest.mark.timeout(120)]

OBSERVE_SECONDS = 7

TCP_PAIRS = r"""
import json, socket, sys, time
sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
sock.settimeout(0.2)
pairs, end = set(), time.monotonic() + float(sys.argv[1])
while time.monotonic() < end:
    try:
        frame = sock.recv(65535)
    except TimeoutError:
        continue
    if frame[12:14] != b"\x08\x00" or frame[23] != 6:
        continue
    src, dst = socket.inet_ntoa(frame[26:30]), socket.inet_ntoa(frame[30:34])
    pairs.add(tuple(sorted((src, dst))))
print(json.dumps(sorted(pairs)))
"""


def test_an_observer_of_tcp_connections_can_tell_who_shares_a_circle(lab: netlab.Netlab) -> None:
    hosts = lab.lan(6)
    peers = [start_peer(h, f"peer{i + 1}") for i, h in enumerate(hosts)]
    try:
        first, second = peers[:3], peers[3:]
        form_circle(first, "Monday Circle")
        form_circle(second, "Thursday Circle")
        wait_all_connected(first)
        wait_all_connected(second)
        switch = lab.segments[0].ns
        observed = subprocess.run(
            ["ip", "netns", "exec", switch, sys.executable, "-c", TCP_PAIRS, str(OBSERVE_SECONDS)],
            capture_output=True,
            text=True,
            timeout=OBSERVE_SECONDS + 20,
            check=True,
        )
    finally:
        for peer in peers:
            peer.close()
    edges = {tuple(pair) for pair in json.loads(observed.stdout)}
    address = [h.address() for h in hosts]
    same_circle = {
        tuple(sorted((address[i], address[j])))
        for group in ((0, 1, 2), (3, 4, 5))
        for i, j in itertools.combinations(group, 2)
    }
    all_pairs = {tuple(sorted(p)) for p in itertools.combinations(address, 2)}
    # The observer's guess "two devices share a circle iff they exchange TCP" is right for
    # every one of the 15 pairs.
    assert edges & all_pairs == same_circle
