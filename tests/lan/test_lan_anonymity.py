"""Anonymous posts and reports against colluders, with real processes on a virtual LAN of
network namespaces (issue 17, docs/ANONYMITY.md "Proof").

A circle of 6: the host and three members run a modified client (tests/anonymous/colluder.py)
that logs every message on every link with its arrival time, size, lane, round and phase, and
every message each round releases; two members are honest, stock clients. The honest two send
200 anonymous posts and 100 anonymous reports (to the host, a colluding moderator), each by one
of them chosen at random, one after another as people write (the next once the last is out).
For every released message the colluders guess its author from everything they logged, two
ways:

- **first to answer**: if a colluder collected the round, it saw each participant's outputs
  arrive: it names the honest member whose data output arrived first (the order in which a
  sender's message and its link's traffic arrive is the usual giveaway of direct sending);
- **later than usual**: it names the honest member who answered the round (reservation plus
  data) later, relative to the other, than the median round does: a member busy making its
  message, or making it on the loop, answers late just before its message comes out;
- either way, if an honest member collected the round, every output went to it and the
  colluders saw only the combined result arrive from it: they name that collector.

**Statistic.** Each message's author is a fair coin independent of everything else, so a guess
that learns nothing is right Bin(n, 1/2) times. With k right, the one-sided exact binomial test
against chance must not reject at the 0.5% level for either way of guessing (1% in all):
P(X >= k | Bin(n, 1/2)) > 0.005. For n = 300 that allows at most 172 right (57%). The same
statistic on the old transport (a post sent straight from its author) would be n right out of n.

Sending everything at once instead would not be a fair test of the rounds: the member who wrote
more sends alone at the end, so "always the same member" is right more often than half.
"""

from __future__ import annotations

import json
import math
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from messenger.headless.timings import encode
from tests.headless_peer import HeadlessPeer
from tests.netlab import Netlab

from .circle_lab import form_circle, start_peer, wait_all_connected

pytestmark = [pytest.mark.netns, pytest.mark.timeout(240)]

POSTS, REPORTS = 200, 100
TIMINGS = encode(
    keepalive_interval=1.0,
    idle_timeout=5.0,
    backoff_base=0.25,
    backoff_cap=2.0,
    find_timeout=8.0,
    tick=0.05,
    anon_round=0.05,
    anon_timeout=5.0,
    anon_per_window=1000,
)
COLLUDER = [sys.executable, "-m", "tests.anonymous.colluder"]


def p_value(k: int, n: int) -> float:
    """P(X >= k) for X ~ Bin(n, 1/2), exactly."""
    return float(sum(math.comb(n, i) for i in range(k, n + 1)) / 2**n)


def me(peer: HeadlessPeer) -> dict[str, Any]:
    items = peer.command("/members", "list")["items"]
    return next(item for item in items if item["me"])


def read_log(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def is_out(event: dict[str, Any], label: str) -> bool:
    """Whether ``event`` (at its sender) says the message ``label`` came out of a round."""
    if label.startswith("report"):
        return "your report reached" in str(event.get("message", ""))
    return event.get("event") == "post" and event.get("body") == label


def guesses(
    logs: dict[str, list[dict[str, Any]]], honest: list[str], rng: random.Random
) -> dict[str, dict[str, str]]:
    """For each way of guessing: label -> the honest member key the colluders name."""
    first: dict[int, dict[str, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
    announced: dict[int, str] = {}  # round -> who announced it to a colluder
    released: dict[str, tuple[int, int]] = {}
    for records in logs.values():
        for record in records:
            rx = record.get("rx")
            if rx is not None and rx.get("lane") == 4 and "round" in rx:
                if rx["kind"] == 1:
                    announced.setdefault(rx["round"], rx["from"])
                elif rx["kind"] == 2 and rx["from"] in honest:  # an output: phase 1 or 2
                    first[rx["round"]][rx["from"]].setdefault(rx["phase"], rx["t"])
            out = record.get("out")
            if out is not None and out["label"] is not None:
                released.setdefault(out["label"], (out["round"], out["slot"]))

    def seen(round_no: int) -> bool:
        times = first.get(round_no, {})
        return all(len(times.get(h, {})) == 2 for h in honest)

    def lateness(round_no: int) -> float:  # how much later honest[0] answered than honest[1]
        a, b = first[round_no][honest[0]], first[round_no][honest[1]]
        return (a[1] - b[1]) + (a[2] - b[2])

    rounds = sorted({r for r, _ in released.values() if seen(r)})
    usual = sorted(lateness(r) for r in rounds)
    median = usual[len(usual) // 2] if usual else 0.0
    named: dict[str, dict[str, str]] = {"first to answer": {}, "later than usual": {}}
    for label, (round_no, slot) in released.items():
        collector = announced.get(round_no)
        if collector in honest:
            for way in named.values():
                way[label] = collector
        elif seen(round_no) and slot < 2:
            data = first[round_no]
            order = sorted(honest, key=lambda h: data[h][2])
            named["first to answer"][label] = order[slot]
            named["later than usual"][label] = honest[0 if lateness(round_no) > median else 1]
        else:
            for way in named.values():
                way[label] = rng.choice(honest)
    return named


def test_colluders_guess_the_author_no_better_than_chance(lab: Netlab, tmp_path: Path) -> None:
    rng = random.Random(17)
    hosts = lab.lan(6)
    logs = {i: tmp_path / f"colluder{i}.jsonl" for i in (0, 1, 2, 3)}
    peers: list[HeadlessPeer] = []
    for i, host in enumerate(hosts):
        if i in logs:
            env = {"HEARTH_COLLUDER_LOG": str(logs[i])}
            peers.append(
                start_peer(host, f"colluder{i}", timings=TIMINGS, program=COLLUDER, env=env)
            )
        else:
            peers.append(start_peer(host, f"honest{i}", timings=TIMINGS))
    try:
        form_circle(peers, "--anonymous Feedback")
        wait_all_connected(peers, 60)
        honest_peers = peers[4:]
        honest = [str(me(p)["key"]) for p in honest_peers]
        target = str(me(peers[1])["member"])  # the reports are about a colluder

        truth: dict[str, str] = {}
        deadline = time.monotonic() + 180
        for i in range(POSTS + REPORTS):
            who = rng.randrange(2)
            sender = honest_peers[who]
            mark = len(sender.events)
            if i < POSTS:
                label = f"anonymous post {i}"
                sender.send(f"/say {label}")
            else:
                label = f"report {i}"
                sender.send(f"/report {target} spam {label}")
            truth[label] = honest[who]
            sender.wait_for(
                lambda e, label=label: is_out(e, label),  # type: ignore[misc]
                max(1.0, deadline - time.monotonic()),
                after=mark,
            )
        posts = [label for label in truth if label.startswith("anonymous post")]
        for peer in peers:
            peer.wait_for(
                lambda e, p=peer: len({x["body"] for x in p.of("post")} & set(posts)) == POSTS,  # type: ignore[misc]
                max(1.0, deadline - time.monotonic()),
            )
        peers[0].wait_for(
            lambda e: len({str(x.get("details")) for x in peers[0].of("report")}) >= REPORTS,
            max(1.0, deadline - time.monotonic()),
        )
        for peer in peers:
            for event in peer.of("post"):
                if event["body"] in truth:
                    assert event["author_key"] == "" and event["author"] == ""
        time.sleep(0.5)  # the colluders' last log lines are flushed as they are written
        named = guesses({str(i): read_log(p) for i, p in logs.items()}, honest, rng)
        for way, guessed in named.items():
            labelled = [label for label in truth if label in guessed]
            right = sum(guessed[label] == truth[label] for label in labelled)
            n = len(labelled)
            assert n >= POSTS + REPORTS - 5, f"only {n} messages were seen released by colluders"
            p = p_value(right, n)
            print(
                f"{way}: colluders named the author of {right} of {n} "
                f"(chance: {n / 2:.0f}); p = {p:.3f}"
            )
            assert p > 0.005, (
                f"{way}: the colluders guess better than chance: {right}/{n}, p = {p:.4f}"
            )
    finally:
        for peer in peers:
            peer.close()


def test_the_guesses_catch_a_member_who_answers_a_millisecond_late_when_it_sends() -> None:
    """The attacker above has teeth: in made-up logs where the collector sees the two honest
    members answer with a fixed skew between them and noise, and the sender 1 ms later than it
    would, "later than usual" names the sender far more often than chance."""
    rng = random.Random(5)
    honest = ["aa", "bb"]
    records: list[dict[str, Any]] = []
    truth: dict[str, str] = {}
    for round_no in range(300):
        sender = rng.choice(honest)
        for phase in (1, 2):
            for who in honest:
                t = round_no + phase * 0.01 + (0.002 if who == "bb" else 0.0)
                t += rng.uniform(0, 0.0005) + (0.001 if who == sender else 0.0)
                rx = {"lane": 4, "kind": 2, "round": round_no, "phase": phase, "from": who}
                records.append({"rx": {**rx, "t": t}})
        label = f"post {round_no}"
        truth[label] = sender
        records.append({"out": {"round": round_no, "slot": 0, "label": label}})
    named = guesses({"0": records}, honest, random.Random(1))["later than usual"]
    right = sum(named[label] == truth[label] for label in truth)
    assert p_value(right, len(truth)) < 1e-6, right


FORGER = [sys.executable, "-m", "tests.anonymous.forger"]


def bodies(peer: HeadlessPeer) -> set[str]:
    return {str(e["body"]) for e in peer.of("post")}


def pushed(
    forger: HeadlessPeer,
    command: str,
    receivers: tuple[HeadlessPeer, ...],
    barrier: str | None = None,
    tries: int = 3,
) -> None:
    """The forger pushes its forgery and then a valid barrier on the same links, again if a
    link was being replaced at that moment (a push is a raw send, not synced: right after a
    removal the re-keyed links come back up one by one), until every receiver has the barrier.
    The barrier arriving proves the forgery before it on that link was read and judged."""
    want = barrier or "barrier " + command.partition(" ")[2]
    for attempt in range(tries):
        forger.send(f"/say {command}")
        try:
            for peer in receivers:
                peer.wait_for(lambda e: e.get("body") == want, 15)
            return
        except TimeoutError:
            if attempt == tries - 1:
                raise


def test_forged_anonymous_posts_by_an_outsider_or_a_removed_member_are_refused(
    lab: Netlab, tmp_path: Path
) -> None:
    """A modified client pushes, straight over its links, an anonymous post whose ring holds a
    key nobody admitted, and one signed by a member removed since (the accomplice relays it);
    the stock clients refuse both. Barrier: a valid post pushed after each on the same links."""
    hosts = lab.lan(4)
    host = start_peer(hosts[0], "host", timings=TIMINGS)
    forger = start_peer(hosts[1], "forger", timings=TIMINGS, program=FORGER)
    leaving = start_peer(hosts[2], "leaving", timings=TIMINGS, program=FORGER)
    honest = start_peer(hosts[3], "honest", timings=TIMINGS)
    peers = [host, forger, leaving, honest]
    try:
        form_circle(peers, "--anonymous Feedback")
        wait_all_connected(peers, 60)
        pushed(forger, "forge-outsider from nobody we know", (host, honest))
        for peer in (host, honest):
            assert "from nobody we know" not in bodies(peer)

        exported = tmp_path / "removed.hex"
        leaving.send(f"/say forge-export {exported}")
        host.wait_event("post", 30, body="exported")
        old_link = forger.command("/invite", "circle")["invite"]
        host.send(f"/remove {me(leaving)['member']}")
        for peer in (host, honest, forger):
            peer.wait_for(lambda e: e.get("event") == "member_removed", 30)
        deadline = time.monotonic() + 30  # until the forger holds the new secret (epoch)
        while forger.command("/invite", "circle")["invite"] == old_link:
            assert time.monotonic() < deadline, "the forger never received the new secret"
            forger.drain(0.2)
        pushed(forger, f"forge-file {exported}", (host, honest), "barrier after the file")
        for peer in (host, honest):
            assert "from a removed member" not in bodies(peer)
    finally:
        for peer in peers:
            peer.close()
