"""Liveness of member links from the kernel: TCP keepalive and a bound on unacknowledged data.

An idle link costs its peers nothing to keep when the kernel checks it: a keepalive probe is a
bare TCP segment (no payload, so no frame to decrypt and no process woken) and its answer an
ACK. On the dialer's side, after ``idle`` seconds with nothing received the kernel probes every
``interval`` seconds and closes the connection after ``count`` unanswered probes (the other side
learns of a vanished dialer when it sends, or when the dialer comes back and its new link
replaces the old one); data unacknowledged for
``user_timeout`` seconds closes it too (a post sent to a vanished laptop fails in seconds, not
after the minutes of TCP's retransmissions). A closed connection ends the link like any other
close, so the node redials as usual. Options a platform lacks are skipped.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass


@dataclass(frozen=True)
class TcpLiveness:
    idle: float = 120.0
    interval: float = 10.0
    count: int = 3
    user_timeout: float | None = 30.0


def apply(sock: socket.socket | None, liveness: TcpLiveness | None, *, probe: bool) -> None:
    r"""Set ``liveness`` on a connected TCP socket (None: leave it as it is). Only the side that
    ``probe``\ s sends keepalive probes (the dialer: one probe and one ACK per idle link and
    interval, not two of each); both bound unacknowledged data."""
    if sock is None or liveness is None or sock.family not in (socket.AF_INET, socket.AF_INET6):
        return
    options: list[tuple[int, int, int]] = []
    if probe:
        options.append((socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1))
        for name, value in (
            ("TCP_KEEPIDLE", liveness.idle),
            ("TCP_KEEPALIVE", liveness.idle),  # macOS's name for the idle time
            ("TCP_KEEPINTVL", liveness.interval),
            ("TCP_KEEPCNT", liveness.count),
        ):
            if hasattr(socket, name):
                options.append((socket.IPPROTO_TCP, getattr(socket, name), max(1, int(value))))
    if liveness.user_timeout is not None and hasattr(socket, "TCP_USER_TIMEOUT"):
        option = (socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, int(liveness.user_timeout * 1000))
        options.append(option)
    for level, option_name, value in options:
        try:
            sock.setsockopt(level, option_name, value)
        except OSError:
            continue  # not on this platform or this kind of socket: the app's idle timeout stays
