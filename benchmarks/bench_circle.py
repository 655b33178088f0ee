"""Circles of 5 to 40 on a namespaced LAN: what a post, forming a circle and idling cost.

One headless peer per network namespace, all on one bridge (neighbour entries pinned so a
large circle does not overflow the kernel's shared ARP table). Counted from the outside, so the
figures do not depend on the code under test reporting on itself:

- **frames** per post: post-sized TCP segments leaving every host, counted by an nftables rule in
  each namespace (posts here are 300 characters, so each travels in a 1,024-byte frame, told
  apart from 256-byte keepalives and acknowledgements), beside N−1 (each member gets it once);
- **bytes** per post: the same segments' bytes;
- **CPU** per post, summed over all peers (``/proc/PID/stat``), beside the crypto floor measured
  here: N−1 Ed25519 verifications and ChaCha20-Poly1305 decryptions of a 256-byte frame;
- **delivery** p99 from ``/say`` to each member's ``post`` event, at each N beside N=5;
- **forming**: bytes and CPU per member joined, from the first join until every member holds a
  link to every other;
- **idle**: bytes and wakeups (context switches of every thread) per member per minute.

``HEARTH_BENCH_CIRCLE`` overrides the sizes (for example ``5,10``), ``HEARTH_BENCH_IDLE`` the
idle window in seconds.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import nacl.bindings as sodium
import nacl.signing

from .report import Report, percentile, rate

SIZES = tuple(int(n) for n in os.environ.get("HEARTH_BENCH_CIRCLE", "5,20,40").split(","))
POSTS = 10
IDLE_SECONDS = float(os.environ.get("HEARTH_BENCH_IDLE", "130"))
"""Long enough for every idle link's kernel keepalive round (``TcpLiveness.idle``, 120 s) to
fall inside the window; the app's own PINGs (every 15 minutes on a silent link) do not."""
BODY = ("A post a person might write in a support circle, a few sentences long. " * 5)[:300]
BIG = 600  # IP length above which a TCP segment is a post frame, not a keepalive or an ACK
TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Counters:
    segments: int
    post_bytes: int
    tx_bytes: int
    cpu: float
    switches: int


def _count_big_segments(host: object) -> None:
    for rule in (
        ["add", "table", "inet", "hb"],
        ["add", "chain", "inet", "hb", "out", "{ type filter hook output priority 0; }"],
        [
            "add",
            "rule",
            "inet",
            "hb",
            "out",
            "meta",
            "l4proto",
            "tcp",
            "ip",
            "length",
            "gt",
            str(BIG),
            "counter",
        ],
    ):
        host.run(["nft", *rule]).check_returncode()  # type: ignore[attr-defined]


def _big_segments(host: object) -> tuple[int, int]:
    """Post-sized TCP segments (and their bytes) this host sent so far."""
    for _ in range(3):  # `ip netns exec` now and then fails at once under load: ask again
        done = host.run(["nft", "-j", "list", "table", "inet", "hb"])  # type: ignore[attr-defined]
        if done.returncode == 0 and done.stdout.strip():
            break
    else:
        raise RuntimeError(f"nft gave no counters: {done.stderr.strip()}")
    for item in json.loads(done.stdout)["nftables"]:
        for expr in item.get("rule", {}).get("expr", []):
            if "counter" in expr:
                return int(expr["counter"]["packets"]), int(expr["counter"]["bytes"])
    return 0, 0


def _tx_bytes(host: object) -> int:
    link = host.links[0]  # type: ignore[attr-defined]
    return int(host.run(["cat", f"/sys/class/net/{link}/statistics/tx_bytes"]).stdout)  # type: ignore[attr-defined]


def _cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def _switches(pid: int) -> int:
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            text = (task / "status").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                total += int(line.split()[1])
    return total


def _read(hosts: Sequence[object], peers: Sequence[object]) -> Counters:
    big = [_big_segments(h) for h in hosts]
    pids: list[int] = [p.proc.pid for p in peers]  # type: ignore[attr-defined]
    return Counters(
        segments=sum(n for n, _ in big),
        post_bytes=sum(b for _, b in big),
        tx_bytes=sum(_tx_bytes(h) for h in hosts),
        cpu=sum(_cpu(pid) for pid in pids),
        switches=sum(_switches(pid) for pid in pids),
    )


def _delta(a: Counters, b: Counters) -> Counters:
    return Counters(
        b.segments - a.segments,
        b.post_bytes - a.post_bytes,
        b.tx_bytes - a.tx_bytes,
        b.cpu - a.cpu,
        b.switches - a.switches,
    )


def _settle(hosts: Sequence[object], quiet: float = 3.0, limit: float = 120.0) -> None:
    """Until no host sent a post-sized segment for ``quiet`` seconds (at most ``limit``): a
    circle still exchanging rosters and catching up is not idle yet."""
    deadline = time.monotonic() + limit
    last = sum(_big_segments(h)[0] for h in hosts)
    still = time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - still < quiet:
        time.sleep(0.5)
        now = sum(_big_segments(h)[0] for h in hosts)
        if now != last:
            last, still = now, time.monotonic()


def _crypto_floor_seconds() -> float:
    """One member's share of the floor: verify one signature, decrypt one 256-byte frame."""
    key = nacl.signing.SigningKey.generate()
    signed = key.sign(BODY.encode() * 2)
    verify = key.verify_key
    aead_key, nonce = secrets.token_bytes(32), bytes(12)
    frame = sodium.crypto_aead_chacha20poly1305_ietf_encrypt(bytes(256), None, nonce, aead_key)

    def one() -> None:
        verify.verify(signed)
        sodium.crypto_aead_chacha20poly1305_ietf_decrypt(frame, None, nonce, aead_key)

    return 1.0 / rate(one, min_time=0.3, max_iters=20_000)


@dataclass
class Figures:
    n: int
    segments_per_post: float
    bytes_per_post: float
    cpu_per_post: float
    delivery_p99: float
    form_bytes_per_member: float
    form_cpu_per_member: float
    idle_bytes_per_member_min: float
    idle_wakeups_per_member_min: float


def _circle(n: int) -> Figures:
    sys.path.insert(0, os.getcwd())
    from tests.lan.circle_lab import start_peer, wait_all_connected
    from tests.netlab import Netlab

    with Netlab() as lab:
        hosts = lab.lan(n, pin_neighbours=True)
        for host in hosts:
            _count_big_segments(host)
        # timings=None: the product's own keepalives and timeouts, not the test suite's
        peers = [start_peer(h, f"p{i + 1}", timings=None) for i, h in enumerate(hosts)]
        try:
            before = _read(hosts, peers)
            link = peers[0].command("/create Bench circle", "circle")["invite"]
            for peer in peers[1:]:
                peer.send(f"/join {link}")
            for peer in peers[1:]:
                peer.wait_event("circle", 60)
            wait_all_connected(peers, 60 + 3 * n)
            _settle(hosts)  # the last roster and sync exchanges
            formed = _read(hosts, peers)
            forming = _delta(before, formed)
            time.sleep(IDLE_SECONDS)
            idle = _delta(formed, _read(hosts, peers))
            delays: list[float] = []
            start = _read(hosts, peers)
            started = time.monotonic()
            for k in range(POSTS):
                author = peers[(k * 7) % n]
                marks = [len(p.events) for p in peers]
                sent = time.monotonic()
                author.send(f"/say {BODY}")
                for peer, mark in zip(peers, marks, strict=True):
                    if peer is author:
                        continue
                    got = peer.wait_for(lambda e: e.get("event") == "post", 60, after=mark)
                    delays.append(peer.read_at[peer.events.index(got)] - sent)
            time.sleep(1.0)  # late forwards and duplicates are counted too
            posting = _delta(start, _read(hosts, peers))
            # Idle work goes on while posting: take its share out of the CPU (frames are
            # counted by size, and idle links send no post-sized frames).
            share = (time.monotonic() - started + 1.0) / IDLE_SECONDS
            seg = posting.segments / POSTS
            byt = posting.post_bytes / POSTS
            cpu = max(0.0, posting.cpu - idle.cpu * share) / POSTS
        finally:
            for peer in peers:
                peer.close()
    joined = max(1, n - 1)
    per_minute = 60.0 / IDLE_SECONDS / n
    return Figures(
        n=n,
        segments_per_post=seg,
        bytes_per_post=byt,
        cpu_per_post=cpu,
        delivery_p99=percentile(delays, 99),
        form_bytes_per_member=forming.tx_bytes / joined,
        form_cpu_per_member=forming.cpu / joined,
        idle_bytes_per_member_min=idle.tx_bytes * per_minute,
        idle_wakeups_per_member_min=idle.switches * per_minute,
    )


def run(report: Report) -> None:
    sys.path.insert(0, os.getcwd())
    from tests import netlab

    reason = netlab.can_build() or (None if shutil.which("nft") else "needs nft (nftables)")
    if reason is not None:
        report.note(f"namespaced LAN skipped: {reason}")
        return
    floor = _crypto_floor_seconds()
    results = [_circle(n) for n in SIZES]
    first = results[0]
    for f in results:
        n = f.n
        report.compare(
            f"N={n} frames per post (all hosts)",
            f.segments_per_post,
            "",
            "N-1 (each member once)",
            n - 1,
            higher_is_better=False,
            target=f"<= {3 * (n - 1)} (3(N-1))",
        )
        report.figure(f"N={n} bytes per post (all hosts, IP)", f.bytes_per_post, "B")
        report.compare(
            f"N={n} CPU per post, all peers",
            f.cpu_per_post * 1000,
            "ms",
            "crypto floor (N-1 verify+decrypt)",
            floor * (n - 1) * 1000,
            higher_is_better=False,
            target="<= 5x",
        )
        report.compare(
            f"N={n} delivery p99 to every member",
            f.delivery_p99 * 1000,
            "ms",
            f"N={first.n} same run",
            first.delivery_p99 * 1000,
            higher_is_better=False,
            target="<= 2x",
        )
        report.compare(
            f"N={n} forming: bytes per member joined",
            f.form_bytes_per_member,
            "B",
            f"N={first.n} x N/{first.n}",
            first.form_bytes_per_member * n / first.n,
            higher_is_better=False,
            target="<= 1x (O(N) per member)",
        )
        report.compare(
            f"N={n} forming: CPU per member joined",
            f.form_cpu_per_member * 1000,
            "ms",
            f"N={first.n} x N/{first.n}",
            first.form_cpu_per_member * 1000 * n / first.n,
            higher_is_better=False,
            target="<= 1x (O(N) per member)",
        )
        report.figure(
            f"N={n} idle bytes per member", f.idle_bytes_per_member_min, "B/min", target="<= 2000"
        )
        report.figure(
            f"N={n} idle wakeups per member",
            f.idle_wakeups_per_member_min,
            "/min",
            target="<= 60",
        )
