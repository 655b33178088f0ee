"""Record every mDNS packet seen on one interface: a passive observer for privacy tests.

Usage: ``python mdns_capture.py --address ADDR [--seconds S]``. Joins 224.0.0.251 on the
interface with address ADDR, prints ``{"event": "listening"}``, then one
``{"event": "packet", "src": IP, "data": HEX}`` line per packet, and ``{"event": "done"}`` when
told ``stop`` on stdin, when stdin closes, or after ``--seconds`` (at most 30), whichever comes
first. At most 5000 packets are recorded.
"""

from __future__ import annotations

import argparse
import json
import select
import socket
import sys
import time

MDNS_GROUP = "224.0.0.251"
MDNS_PORT = 5353
MAX_PACKETS = 5000


def say(**fields: object) -> None:
    print(json.dumps(fields), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--address", required=True)
    parser.add_argument("--seconds", type=float, default=15.0)
    args = parser.parse_args()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((MDNS_GROUP, MDNS_PORT))
    membership = socket.inet_aton(MDNS_GROUP) + socket.inet_aton(args.address)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, membership)
    say(event="listening")
    deadline = time.monotonic() + min(args.seconds, 30.0)
    recorded = 0
    while recorded < MAX_PACKETS:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        readable, _, _ = select.select([sock, sys.stdin], [], [], remaining)
        if sys.stdin in readable:
            line = sys.stdin.readline()
            if not line or line.strip() == "stop":
                break
        if sock in readable:
            data, (src, _port) = sock.recvfrom(9000)
            say(event="packet", src=src, data=data.hex())
            recorded += 1
    sock.close()
    say(event="done")


if __name__ == "__main__":
    main()
